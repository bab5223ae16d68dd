// name: stale-relationships
// description: Delete, in bounded batches, relationships of one type in a fully collected scope that this run did not confirm.
MATCH ()-[r:{{type}}]->() WHERE r.scope = $scope AND r.lastRunId <> $runId
WITH r LIMIT $limit
DELETE r
RETURN '{{type}}' AS kind, count(*) AS deleted
