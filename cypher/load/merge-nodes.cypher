// name: merge-nodes
// description: Write one batch of nodes of one kind. A node's properties are replaced by what this run observed (so a removed tag disappears); each row's properties already carry id, scope, lastSeen and lastRunId, and firstSeen survives from the first run that saw the node. Returns each node's element id (the relationship batches find their endpoints by it) and the ids of the nodes that had no relationship at all (new ones among them): relationships from or to them cannot exist yet, so the loader creates them instead of merging. The rows come as `$batch.rows`, a list inside a map, so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $batch.rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, coalesce(n.firstSeen, $now) AS firstSeen, NOT EXISTS { (n)--() } AS unlinked
SET n = row.properties, n.firstSeen = firstSeen, n:{{extraLabels}}
RETURN count(n) AS written, collect(CASE WHEN unlinked THEN row.id END) AS unlinked, collect([row.id, elementId(n)]) AS elements
