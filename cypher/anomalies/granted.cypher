// name: anomalies-granted
// description: What each identity active on the days under review is granted directly, as pair edges (through Grant hubs too, never a hub): the routes whose first use the path-first-exercised detector reports. The same edges as activity/granted, for many identities at once.
UNWIND $ids AS id
MATCH (n:Principal {id: id})
CALL (n) {
  MATCH (n)-[e:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO]->(m:Entity)
  WHERE NOT m:Grant
  RETURN type(e) AS type, m.id AS target, e.levels AS levels, {{include graph/edge-actions}} AS actions, m.environment AS environment
  UNION ALL
  MATCH (n)-[l:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO]->(g:Grant)-[e]->(m:Entity)
  WHERE type(e) = type(l)
  RETURN type(e) AS type, m.id AS target, e.levels AS levels, {{include graph/edge-actions}} AS actions, m.environment AS environment
}
RETURN n.id AS identity, type, target, levels, actions, environment
ORDER BY identity, type, target
