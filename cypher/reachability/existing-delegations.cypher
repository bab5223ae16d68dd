// name: reachability-existing-delegations
// description: One page of the reachability summary delegations (REACHES_AS) already in the graph: for each source principal of the page (by internal id), the delegate, the relationship's internal id and its digest, so a refresh rewrites only what changed.
UNWIND $keys AS key
MATCH (a:Principal) WHERE id(a) = key
MATCH (a)-[d:REACHES_AS]->(b)
RETURN toFloat(key) AS source, collect(toFloat(id(b))) AS targets, collect(toFloat(id(d))) AS relationships,
       collect(toFloat(coalesce(d.digest, 0))) AS digests
