// name: detached-scopes-of-type
// description: Once, for a store written before relationships lost their per-type scope index: mark the scopes of the relationships of one type none of whose ends is a node of their scope, before the type's index is dropped.
MATCH (a)-[r:{{type}}]->(b)
WHERE r.scope IS NOT NULL AND r.scope <> coalesce(a.scope, '') AND r.scope <> coalesce(b.scope, '')
WITH DISTINCT r.scope AS id
MERGE (s:Scope {id: id})
SET s.detachedRelationships = true
RETURN count(*) AS marked
