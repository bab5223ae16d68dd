// name: reachability-access-edges
// description: One page of CAN_ACCESS edges for the reachability summary: for each source principal of the page (by internal id), the resources it accesses, the levels and conditional flags. Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (x:Principal) WHERE id(x) = key
MATCH (x)-[a:CAN_ACCESS]->(r:Resource)
RETURN toFloat(key) AS source, collect(toFloat(id(r))) AS targets, collect(a.levels) AS levels,
       collect(coalesce(a.conditional, false)) AS conditional
