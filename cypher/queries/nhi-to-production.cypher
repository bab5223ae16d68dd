// name: nhi-to-production
// description: Which non-human identities can reach production resources, and how: the shortest path from each identity to each production resource, with the reason for every hop; a path is conditional when any hop is.
MATCH p = SHORTEST 1 (s:Principal {nonHuman: true})
  (()-[:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->()){0,6}
  (x:Principal)-[access:CAN_ACCESS]->(r:Resource {environment: 'production'})
RETURN s.id AS identity, s.name AS identityName, s.nhiType AS nhiType, r.id AS resource, r.name AS resourceName,
       r.sensitivity AS sensitivity, access.levels AS levels,
       any(rel IN relationships(p) WHERE rel.conditional) AS conditional,
       [n IN nodes(p) | n.name] AS names,
       [rel IN relationships(p) | {type: type(rel), from: startNode(rel).name, to: endNode(rel).name, reason: rel.reason,
         evidenceRefs: rel.evidenceRefs, conditions: rel.conditions}] AS hops,
       length(p) AS length
ORDER BY identityName, resourceName
