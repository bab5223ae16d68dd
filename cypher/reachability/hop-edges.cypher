// name: reachability-hop-edges
// description: One page of hop edges (principal to principal) for the reachability summary: for each source principal of the page (by internal id), its targets, edge types ({{hopTypes}}: every hop type of the vocabulary) and conditional flags. Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[h:{{hopTypes}}]->(b:Principal)
RETURN toFloat(key) AS source, collect(toFloat(id(b))) AS targets, collect(type(h)) AS types,
       collect(coalesce(h.conditional, false)) AS conditional
