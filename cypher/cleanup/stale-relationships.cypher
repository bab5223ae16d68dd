// name: stale-relationships
// description: Delete, in bounded batches, relationships of one type in the fully collected scopes ($scopes, a seek of the type's scope index) that this run did not confirm.
MATCH ()-[r:{{type}}]->() WHERE r.scope IN $scopes AND r.lastRunId <> $runId
WITH r LIMIT $limit
DELETE r
RETURN '{{type}}' AS kind, count(*) AS deleted
