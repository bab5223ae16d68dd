// name: mark-interrupted
// description: Runs still marked running whose loading process is gone (its pid is dead on this host, or its heartbeat is stale) were interrupted.
MATCH (r:CollectionRun) WHERE r.status = 'running' AND (r.id IN $deadIds OR r.heartbeatAt < $staleBefore)
SET r.status = 'interrupted', r.finishedAt = $now,
    r.errors = r.errors + ['interrupted: the loading process stopped before finishing (last heartbeat ' + toString(r.heartbeatAt) + '); nothing was deleted']
RETURN r.id AS id
