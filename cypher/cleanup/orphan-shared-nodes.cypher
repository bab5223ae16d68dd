// name: orphan-shared-nodes
// description: Shared nodes (no scope, e.g. Public or an external principal) go once no loaded relationship uses them and this run did not confirm them, with any summary rows (REACHES) still attached; counts per kind.
MATCH (n:Entity) WHERE n.scope IS NULL AND n.lastRunId <> $runId AND NOT (n)-[:{{loaded}}]-()
WITH n LIMIT $limit
// A node's labels come in no set order: its kind is the one among $kinds.
WITH n, [l IN labels(n) WHERE l IN $kinds][0] AS kind
DETACH DELETE n
RETURN kind, count(*) AS deleted
