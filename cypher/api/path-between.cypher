// name: path-between
// description: The full explained path from one identity to one resource (found by element id, read moments before with its id, so one plan serves every kind): the shortest bounded, typed, directed route through hop edges and one final access, preferring a route with no conditional edge when one of the same length exists.
MATCH (s:Principal) WHERE elementId(s) = $fromElement AND s.id = $from
MATCH (r:Resource) WHERE elementId(r) = $toElement AND r.id = $to
CALL (s, r) {
  OPTIONAL MATCH p = SHORTEST 1 (s)
    (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE WHERE type(h) IN $via]->()){0,10}
    (:Principal)-[a:CAN_ACCESS WHERE $levels IS NULL OR any(level IN a.levels WHERE level IN $levels)]->(r)
  WHERE length(p) <= $maxHops + 1
  RETURN p AS shortest
}
CALL (s, r) {
  OPTIONAL MATCH p = SHORTEST 1 (s)
    (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE WHERE type(h) IN $via AND NOT coalesce(h.conditional, false)]->()){0,10}
    (:Principal)-[a:CAN_ACCESS WHERE NOT coalesce(a.conditional, false)
      AND ($levels IS NULL OR any(level IN a.levels WHERE level IN $levels))]->(r)
  WHERE length(p) <= $maxHops + 1
  RETURN p AS unconditional
}
WITH CASE WHEN unconditional IS NOT NULL AND length(unconditional) = length(shortest) THEN unconditional ELSE shortest END AS p
WHERE p IS NOT NULL
RETURN [rel IN relationships(p) | {type: type(rel), props: properties(rel),
         from: {props: properties(startNode(rel)), labels: labels(startNode(rel)), elementId: elementId(startNode(rel))},
         to: {props: properties(endNode(rel)), labels: labels(endNode(rel)), elementId: elementId(endNode(rel))}}] AS edges
