// name: route-access-into
// description: The CAN_ACCESS edges into one resource (internal id as a float): where a route between an identity and the resource can end, with each accessor's internal id and id, the levels and whether the edge is conditional.
MATCH (r:Resource) WHERE id(r) = toInteger($key)
MATCH (x:Principal)-[a:CAN_ACCESS]->(r)
RETURN toFloat(id(x)) AS from, x.id AS fromId, coalesce(a.levels, []) AS levels,
       coalesce(a.conditional, false) AS conditional
