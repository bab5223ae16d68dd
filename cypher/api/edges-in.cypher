// name: edges-in
// description: A page of a node's incoming relationships of the given types, ordered by type then source id, after a cursor.
MATCH (n:{{label}} {id: $id})<-[e]-(m:Entity)
WHERE type(e) IN $types
  AND ($afterType IS NULL OR type(e) > $afterType OR (type(e) = $afterType AND m.id > $afterId))
RETURN type(e) AS type, properties(e) AS props, {props: properties(m), labels: labels(m), elementId: elementId(m)} AS from,
       {props: properties(n), labels: labels(n), elementId: elementId(n)} AS to, m.id AS otherId
ORDER BY type, otherId
LIMIT $limit
