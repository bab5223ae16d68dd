// name: merge-nodes
// description: Write one batch of nodes of one kind. A node's properties are replaced by what this run observed (so a removed tag disappears); each row's properties already carry id, scope, lastSeen and lastRunId, and firstSeen survives from the first run that saw the node.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, coalesce(n.firstSeen, $now) AS firstSeen
SET n = row.properties, n.firstSeen = firstSeen, n:{{extraLabels}}
RETURN count(n) AS written
