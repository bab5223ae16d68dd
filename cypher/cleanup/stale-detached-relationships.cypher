// name: stale-detached-relationships
// description: Delete, in bounded batches, relationships of one type in the scopes $scopes that this run did not confirm, by a scan of the type: only for the scopes marked as holding relationships none of whose ends is in their scope (detached-scopes), which stale-relationships cannot reach from the scopes' nodes.
MATCH ()-[r:{{type}}]->() WHERE r.scope IN $scopes AND r.lastRunId <> $runId
WITH r LIMIT $limit
DELETE r
RETURN '{{type}}' AS kind, count(*) AS deleted
