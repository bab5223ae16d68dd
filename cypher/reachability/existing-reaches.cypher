// name: reachability-existing-reaches
// description: One page of the REACHES rows already in the graph: for each source principal of the page (by internal id), the target, the relationship's internal id and the digest of its properties, so a refresh rewrites only what changed. Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (a) WHERE id(a) = key AND (a:Principal OR a:Grant)
MATCH (a)-[x:REACHES]->(b)
RETURN toFloat(key) AS source, collect(toFloat(id(b))) AS targets, collect(toFloat(id(x))) AS relationships,
       collect(toFloat(coalesce(x.digest, 0))) AS digests
