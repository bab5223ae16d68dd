// name: merge-nodes
// description: Write one batch of nodes of one kind. A node's properties are replaced by what this run observed (so a removed tag disappears); firstSeen survives, lastSeen and lastRunId record this run.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, coalesce(n.firstSeen, $now) AS firstSeen
SET n = row.properties
SET n:{{extraLabels}}, n.id = row.id, n.scope = row.scope, n.firstSeen = firstSeen, n.lastSeen = $now, n.lastRunId = $runId
RETURN count(n) AS written
