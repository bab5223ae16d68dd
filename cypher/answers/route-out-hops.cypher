// name: route-out-hops
// description: One forward layer of a route search between two nodes: the hop edges ({{hopTypes}}) out of the given identities (internal ids as floats), with the identities they enter (internal id, id) and whether each edge is conditional. A hop through a Grant hub (model/grants.ts) comes as the pair edge it stands for, with the hub (internal id, id) and its member leg's flag; `conditional` is then the target leg's.
UNWIND $keys AS key
MATCH (a:Principal) WHERE id(a) = toInteger(key)
CALL (a) {
  MATCH (a)-[h:{{hopTypes}}]->(b:Principal)
  RETURN b, type(h) AS type, coalesce(h.conditional, false) AS conditional, null AS hub, null AS hubId,
         false AS memberConditional
  UNION ALL
  MATCH (a)-[m:{{hopTypes}}]->(g:Grant)-[h]->(b:Principal)
  WHERE type(h) = type(m)
  RETURN b, type(h) AS type, coalesce(h.conditional, false) AS conditional, toFloat(id(g)) AS hub, g.id AS hubId,
         coalesce(m.conditional, false) AS memberConditional
}
RETURN toFloat(key) AS from, toFloat(id(b)) AS to, b.id AS toId, type, conditional, hub, hubId, memberConditional
