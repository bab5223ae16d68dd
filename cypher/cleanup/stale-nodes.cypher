// name: stale-nodes
// description: Delete, in bounded batches, nodes in the fully collected scopes ($scopes) that this run did not confirm (with their relationships); counts per kind.
MATCH (n:Entity) WHERE n.scope IN $scopes AND n.lastRunId <> $runId
WITH n LIMIT $limit
// A node's labels come in no set order: its kind is the one among $kinds.
WITH n, [l IN labels(n) WHERE l IN $kinds][0] AS kind
DETACH DELETE n
RETURN kind, count(*) AS deleted
