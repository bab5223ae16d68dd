// name: heartbeat
// description: A running load says it is alive, so a crashed one can be told from a slow one. The counts so far come as `$progress.counts`, a string inside a map, so that each heartbeat finds the plan of the first (a string parameter's length is part of Neo4j's plan-cache key).
MATCH (r:CollectionRun {id: $id}) WHERE r.status = 'running'
SET r.heartbeatAt = $now, r.counts = $progress.counts
