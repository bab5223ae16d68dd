// name: orphan-shared-nodes
// description: Shared nodes (no scope, e.g. Public or a service principal) go once no relationship uses them and this run did not confirm them.
MATCH (n:{{label}}) WHERE n.scope IS NULL AND n.lastRunId <> $runId AND NOT (n)--()
WITH n LIMIT $limit
DELETE n
RETURN count(*) AS deleted
