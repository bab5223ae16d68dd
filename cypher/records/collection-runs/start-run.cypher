// name: start-run
// description: Record a new collection run as running, with the time its analysis decided time conditions at (asOf), the host and pid of the process loading it, so a later run on the same host can tell a dead loader at once.
CREATE (r:CollectionRun {id: $id})
SET r.startedAt = $now, r.heartbeatAt = $now, r.status = 'running', r.sources = $sources, r.scopes = $scopes,
    r.cleanedScopes = [], r.counts = '{}', r.deleted = '{}', r.errors = [], r.host = $host, r.pid = $pid,
    r.asOf = $asOf
RETURN r.id AS id
