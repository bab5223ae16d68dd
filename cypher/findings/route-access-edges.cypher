// name: route-access-edges
// description: Every CAN_ACCESS edge from a principal to a production resource, grouped by resource, with its levels and conditionality: the last hop of a reach route.
MATCH (r:Resource {environment: 'production'})<-[a:CAN_ACCESS]-(p:Principal)
WITH r, collect({from: elementId(p), levels: coalesce(a.levels, []), conditional: coalesce(a.conditional, false),
                 rel: elementId(a), tie: coalesce(a.reason, '')}) AS access
RETURN elementId(r) AS target, r.id AS targetId, access
