// name: merge-relationships
// description: Write one batch of relationships of one type between two node kinds. Both endpoints are found through their unique id index; a row whose endpoint is missing writes nothing, and the loader reports it.
UNWIND $rows AS row
MATCH (a:{{fromLabel}} {id: row.from})
MATCH (b:{{toLabel}} {id: row.to})
MERGE (a)-[r:{{type}}]->(b)
WITH r, row, coalesce(r.firstSeen, $now) AS firstSeen
SET r = row.properties
SET r.scope = row.scope, r.firstSeen = firstSeen, r.lastSeen = $now, r.lastRunId = $runId
RETURN count(r) AS written
