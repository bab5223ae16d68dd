// name: merge-action-sets
// description: Write one batch of ActionSet nodes, the distinct action lists of this run's access edges (src/model/action-sets.ts): merged by id, the list's content address, so a list an earlier run or another provider stored is the same node. Each row's properties carry id, actions, lastSeen and lastRunId (a set this run stamped is never cleaned by it); firstSeen survives from the first run that stored the list. The rows come as `$batch.rows`, a list inside a map, so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $batch.rows AS row
MERGE (s:ActionSet {id: row.id})
WITH s, row, coalesce(s.firstSeen, $now) AS firstSeen
SET s = row.properties, s.firstSeen = firstSeen
RETURN count(s) AS written
