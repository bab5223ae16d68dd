// name: reachability-grant-legs
// description: One page of Grant hubs' target legs for the reachability summary: for each hub of the page (by internal id), its hop legs ({{hopTypes}}) into principals and its CAN_ACCESS legs into resources, with their types, levels and conditional flags. Lists come inside one map parameter (`$page.keys`), so that every page, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $page.keys AS key
MATCH (g:Grant) WHERE id(g) = key
MATCH (g)-[t:{{hopTypes}}|CAN_ACCESS]->(b)
WHERE (type(t) = 'CAN_ACCESS' AND b:Resource) OR (type(t) <> 'CAN_ACCESS' AND b:Principal)
RETURN toFloat(key) AS grant, collect(toFloat(id(b))) AS targets, collect(type(t)) AS types,
       collect(t.levels) AS levels, collect(coalesce(t.conditional, false)) AS conditional
