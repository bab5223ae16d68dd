// name: route-hop-edges
// description: Every hop a reach route may take (CAN_ASSUME, CAN_IMPERSONATE, FEDERATES_TO, RUNS_AS, CAN_ESCALATE), grouped by source node, with the end node's stable id (the route tie-break key) and what tells parallel hops apart.
MATCH (a)-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->(b)
WITH a, collect({to: elementId(b), toId: b.id, type: type(h), conditional: coalesce(h.conditional, false),
                 rel: elementId(h), tie: coalesce(h.technique, '') + ' ' + coalesce(h.reason, '')}) AS hops
RETURN elementId(a) AS source, hops
