// name: reachability-member-legs
// description: One page of member legs for the reachability summary: for each source principal of the page (by internal id), the Grant hubs it enters ({{hopTypes}} or CAN_ACCESS), the leg's type and conditional flag. A hub's target legs are read once, not per member (grant-legs). Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[m:{{hopTypes}}|CAN_ACCESS]->(g:Grant)
RETURN toFloat(key) AS source, collect(toFloat(id(g))) AS grants, collect(type(m)) AS types,
       collect(coalesce(m.conditional, false)) AS conditional
