// name: merge-nodes
// description: Write one batch of nodes of one kind. A node's properties are replaced by what this run observed (so a removed tag disappears); each row's properties already carry id, scope, lastSeen and lastRunId, and firstSeen survives from the first run that saw the node. Returns each node's element id (the relationship batches find their endpoints by it) and the ids of the nodes that had no relationship at all (new ones among them): relationships from or to them cannot exist yet, so the loader creates them instead of merging. A node with relationships that leaves its scope marks the scope it leaves (mark-detached-scopes), in the same transaction: a relationship of that scope may no longer have an end in it, and cleanup finds the scope's stale relationships from its nodes.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
WITH n, row, coalesce(n.firstSeen, $now) AS firstSeen, NOT EXISTS { (n)--() } AS unlinked, n.scope AS previousScope
SET n = row.properties, n.firstSeen = firstSeen, n:{{extraLabels}}
FOREACH (_ IN CASE WHEN NOT unlinked AND previousScope IS NOT NULL AND previousScope <> coalesce(row.properties.scope, '') THEN [1] ELSE [] END |
  MERGE (s:Scope {id: previousScope}) SET s.detachedRelationships = true)
RETURN count(n) AS written, collect(CASE WHEN unlinked THEN row.id END) AS unlinked, collect([row.id, elementId(n)]) AS elements
