// name: route-in-hops
// description: One backward layer of a route search between two nodes: the hop edges ({{hopTypes}}) into the given identities (internal ids as floats), with the identities they leave (internal id, id) and whether each edge is conditional. A hop through a Grant hub (model/grants.ts) comes as the pair edge it stands for, with the hub (internal id, id) and its member leg's flag; `conditional` is then the target leg's.
UNWIND $keys AS key
MATCH (b:Principal) WHERE id(b) = toInteger(key)
CALL (b) {
  MATCH (a:Principal)-[h:{{hopTypes}}]->(b)
  RETURN a, type(h) AS type, coalesce(h.conditional, false) AS conditional, null AS hub, null AS hubId,
         false AS memberConditional
  UNION ALL
  MATCH (a:Principal)-[m:{{hopTypes}}]->(g:Grant)-[h]->(b)
  WHERE type(h) = type(m)
  RETURN a, type(h) AS type, coalesce(h.conditional, false) AS conditional, toFloat(id(g)) AS hub, g.id AS hubId,
         coalesce(m.conditional, false) AS memberConditional
}
RETURN toFloat(id(a)) AS from, a.id AS fromId, toFloat(key) AS to, type, conditional, hub, hubId, memberConditional
