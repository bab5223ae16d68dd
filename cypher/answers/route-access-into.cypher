// name: route-access-into
// description: The CAN_ACCESS edges into one resource (internal id as a float): where a route between an identity and the resource can end, with each accessor's internal id and id, the levels and whether the edge is conditional. Access through a Grant hub (model/grants.ts) comes as the pair edge it stands for, with the hub (internal id, id) and its member leg's flag; `conditional` is then the target leg's.
MATCH (r:Resource) WHERE id(r) = toInteger($key)
CALL (r) {
  MATCH (x:Principal)-[a:CAN_ACCESS]->(r)
  RETURN x, a, null AS hub, null AS hubId, false AS memberConditional
  UNION ALL
  MATCH (x:Principal)-[m:CAN_ACCESS]->(g:Grant)-[a:CAN_ACCESS]->(r)
  RETURN x, a, toFloat(id(g)) AS hub, g.id AS hubId, coalesce(m.conditional, false) AS memberConditional
}
RETURN toFloat(id(x)) AS from, x.id AS fromId, coalesce(a.levels, []) AS levels,
       coalesce(a.conditional, false) AS conditional, hub, hubId, memberConditional
