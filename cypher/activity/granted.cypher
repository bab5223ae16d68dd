// name: activity-granted
// description: What one identity is granted directly, as pair edges (through Grant hubs too, never a hub): the resources it can access with the levels and actions, and the identities it can assume, federate to or impersonate. The granted side of granted vs used.
MATCH (n:Principal {id: $id})
CALL (n) {
  MATCH (n)-[e:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(m:Entity)
  WHERE NOT m:Grant
  RETURN type(e) AS type, m.id AS target, e.levels AS levels, {{include graph/edge-actions}} AS actions, m.environment AS environment
  UNION ALL
  MATCH (n)-[l:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(g:Grant)-[e]->(m:Entity)
  WHERE type(e) = type(l)
  RETURN type(e) AS type, m.id AS target, e.levels AS levels, {{include graph/edge-actions}} AS actions, m.environment AS environment
}
RETURN type, target, levels, actions, environment
ORDER BY type, target
