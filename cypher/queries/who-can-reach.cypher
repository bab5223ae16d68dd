// name: who-can-reach
// description: Every principal that can reach the resource $resource (by id) directly or through at most $maxHops hops, with every shortest path; $level (e.g. write) or null. `reachgraph query who-can` keeps one path per principal.
MATCH p = ALL SHORTEST (s:Principal)
  (()-[:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->(:Principal)){0,10}
  (:Principal)-[access:CAN_ACCESS WHERE $level IS NULL OR $level IN access.levels]->(r:Resource {id: $resource})
// Endpoint and length predicates give the same answer before or after shortest-path selection; the
// level must hold on the final edge before selection, so it sits in the pattern.
WHERE length(p) <= $maxHops + 1
RETURN s.id AS principal, r.id AS resource,
       [rel IN relationships(p) | {from: startNode(rel).id, to: endNode(rel).id, type: type(rel), technique: rel.technique,
         reason: rel.reason, evidence: rel.evidence, conditional: rel.conditional, requires: rel.requires,
         levels: rel.levels}] AS path
ORDER BY principal
