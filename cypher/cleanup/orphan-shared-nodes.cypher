// name: orphan-shared-nodes
// description: Shared nodes (no scope, e.g. Public or a service principal) go once no relationship uses them and this run did not confirm them; counts per kind.
MATCH (n:Entity) WHERE n.scope IS NULL AND n.lastRunId <> $runId AND NOT (n)--()
WITH n LIMIT $limit
WITH n, labels(n)[0] AS kind
DELETE n
RETURN kind, count(*) AS deleted
