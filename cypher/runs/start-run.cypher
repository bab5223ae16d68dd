// name: start-run
// description: Record a new collection run as running.
CREATE (r:CollectionRun {id: $id})
SET r.startedAt = $now, r.heartbeatAt = $now, r.status = 'running', r.sources = $sources, r.scopes = $scopes,
    r.cleanedScopes = [], r.counts = '{}', r.deleted = '{}', r.errors = []
RETURN r.id AS id
