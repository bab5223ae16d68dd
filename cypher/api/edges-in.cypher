// name: edges-in
// description: A page of a node's incoming relationships of the given types, ordered by type then source id, after a cursor. Through a Grant hub (model/grants.ts) it lists the pair edges the hub stands for (the target leg with the member leg's properties as memberProps and the hub's id as grant), never the hub.
MATCH (n:{{label}} {id: $id})
CALL (n) {
  MATCH (m:Entity)-[e]->(n)
  WHERE type(e) IN $types AND NOT m:Grant
  RETURN e, m, null AS memberProps, null AS grant
  UNION ALL
  MATCH (m:Entity)-[l]->(g:Grant)-[e]->(n)
  WHERE type(e) IN $types AND type(l) = type(e)
  RETURN e, m, properties(l) AS memberProps, g.id AS grant
}
WITH n, e, m, memberProps, grant
WHERE $afterType IS NULL OR type(e) > $afterType OR (type(e) = $afterType AND m.id > $afterId)
RETURN type(e) AS type, {{include graph/edge-properties}} AS props, {props: properties(m), labels: labels(m), elementId: elementId(m)} AS from,
       {props: properties(n), labels: labels(n), elementId: elementId(n)} AS to, m.id AS otherId, memberProps, grant
ORDER BY type, otherId
LIMIT $limit
