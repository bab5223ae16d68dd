// name: heartbeat
// description: A running load says it is alive, so a crashed one can be told from a slow one.
MATCH (r:CollectionRun {id: $id}) WHERE r.status = 'running'
SET r.heartbeatAt = $now, r.counts = $counts
