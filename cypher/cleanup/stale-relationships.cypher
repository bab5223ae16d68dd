// name: stale-relationships
// description: Delete, in bounded batches, relationships of the loadable types ($types) in the fully collected scopes ($scopes) that this run did not confirm, found from the nodes of those scopes (a seek of the Entity.scope index, then each node's relationships): a relationship property index would be updated, every property of the relationship decoded, on every write of it. A relationship none of whose ends is in its own scope is found by stale-detached-relationships instead. Counts per type.
MATCH (n:Entity) WHERE n.scope IN $scopes
MATCH (n)-[r]-()
WHERE r.scope IN $scopes AND r.lastRunId <> $runId AND type(r) IN $types
WITH DISTINCT r LIMIT $limit
WITH r, type(r) AS kind
DELETE r
RETURN kind, count(*) AS deleted
