// name: reach-paths
// description: Every shortest path (at most $maxHops hops, then CAN_ACCESS) from the principals $from selects to the resources $to selects; a selector is {id, labels, properties: [{key, value}]} with null/empty parts ignored; $level (e.g. write) or null. `reachgraph query reach` builds the selectors and keeps one path per pair.
MATCH p = ALL SHORTEST (s:Principal)
  (()-[:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->(:Principal)){0,10}
  (:Principal)-[access:CAN_ACCESS WHERE $level IS NULL OR $level IN access.levels]->(r:Resource)
// Endpoint and length predicates give the same answer before or after shortest-path selection; the
// level must hold on the final edge before selection, so it sits in the pattern.
WHERE length(p) <= $maxHops + 1
  AND ($from.id IS NULL OR s.id = $from.id)
  AND all(l IN $from.labels WHERE l IN labels(s))
  AND all(f IN $from.properties WHERE s[f.key] = f.value)
  AND ($to.id IS NULL OR r.id = $to.id)
  AND all(l IN $to.labels WHERE l IN labels(r))
  AND all(f IN $to.properties WHERE r[f.key] = f.value)
RETURN s.id AS principal, r.id AS resource,
       [rel IN relationships(p) | {from: startNode(rel).id, to: endNode(rel).id, type: type(rel), technique: rel.technique,
         reason: rel.reason, evidence: rel.evidence, conditional: rel.conditional, requires: rel.requires,
         levels: rel.levels}] AS path
ORDER BY principal, resource
