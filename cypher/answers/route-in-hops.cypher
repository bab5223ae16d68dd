// name: route-in-hops
// description: One backward layer of a route search between two nodes: the hop edges ({{hopTypes}}) into the given identities (internal ids as floats), with the identities they leave (internal id, id) and whether each edge is conditional.
UNWIND $keys AS key
MATCH (b:Principal) WHERE id(b) = toInteger(key)
MATCH (a:Principal)-[h:{{hopTypes}}]->(b)
RETURN toFloat(id(a)) AS from, a.id AS fromId, toFloat(key) AS to, type(h) AS type,
       coalesce(h.conditional, false) AS conditional
