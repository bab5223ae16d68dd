// name: route-out-hops
// description: One forward layer of a route search between two nodes: the hop edges ({{hopTypes}}) out of the given identities (internal ids as floats), with the identities they enter (internal id, id) and whether each edge is conditional.
UNWIND $keys AS key
MATCH (a:Principal) WHERE id(a) = toInteger(key)
MATCH (a)-[h:{{hopTypes}}]->(b:Principal)
RETURN toFloat(key) AS from, toFloat(id(b)) AS to, b.id AS toId, type(h) AS type,
       coalesce(h.conditional, false) AS conditional
