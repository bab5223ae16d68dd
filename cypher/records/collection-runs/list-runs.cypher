// name: list-runs
// description: The most recent collection runs, newest first.
MATCH (r:CollectionRun)
RETURN r {.id, .status, .startedAt, .finishedAt, .heartbeatAt, .sources, .scopes, .cleanedScopes, .counts, .deleted, .errors, .asOf} AS run
ORDER BY r.startedAt DESC
LIMIT $limit
