// name: reachability-member-legs
// description: One page of member legs for the reachability summary: for each source principal of the page (by internal id), the Grant hubs it enters ({{hopTypes}} or CAN_ACCESS), the leg's type and conditional flag. A hub's target legs are read once, not per member (grant-legs).
UNWIND $keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[m:{{hopTypes}}|CAN_ACCESS]->(g:Grant)
RETURN toFloat(key) AS source, collect(toFloat(id(g))) AS grants, collect(type(m)) AS types,
       collect(coalesce(m.conditional, false)) AS conditional
