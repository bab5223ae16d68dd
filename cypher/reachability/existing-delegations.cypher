// name: reachability-existing-delegations
// description: One page of the reachability summary delegations (REACHES_AS) already in the graph: for each source principal of the page (by internal id), the delegate, the relationship's internal id and its digest, so a refresh rewrites only what changed. Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[d:REACHES_AS]->(b)
RETURN toFloat(key) AS source, collect(toFloat(id(b))) AS targets, collect(toFloat(id(d))) AS relationships,
       collect(toFloat(coalesce(d.digest, 0))) AS digests
