// name: stale-nodes
// description: Delete, in bounded batches, nodes of one kind in a fully collected scope that this run did not confirm (with their relationships).
MATCH (n:{{label}}) WHERE n.scope = $scope AND n.lastRunId <> $runId
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
