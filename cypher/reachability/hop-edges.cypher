// name: reachability-hop-edges
// description: One page of hop edges (principal to principal) for the reachability summary: for each source principal of the page (by internal id), its targets, edge types ({{hopTypes}}: every hop type of the vocabulary) and conditional flags.
UNWIND $keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[h:{{hopTypes}}]->(b:Principal)
RETURN toFloat(key) AS source, collect(toFloat(id(b))) AS targets, collect(type(h)) AS types,
       collect(coalesce(h.conditional, false)) AS conditional
