// name: merge-relationships
// description: Write one batch of relationships of one type between two node kinds. Both endpoints are found through their unique id index; a row whose endpoint is missing writes nothing, and the loader reports it. Each row's properties already carry scope, lastSeen and lastRunId; firstSeen survives from the first run that saw the relationship.
UNWIND $rows AS row
MATCH (a:{{fromLabel}} {id: row.from})
MATCH (b:{{toLabel}} {id: row.to})
MERGE (a)-[r:{{type}}]->(b)
WITH r, row, coalesce(r.firstSeen, $now) AS firstSeen
SET r = row.properties, r.firstSeen = firstSeen
RETURN count(r) AS written
