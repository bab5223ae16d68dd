// name: create-relationships
// description: Write one batch of relationships of one type between two node kinds that the loader knows are new (an end had no relationship at all when this run wrote it), so there is nothing to merge with. Both endpoints are found through their unique id index; a row whose endpoint is missing writes nothing, and the loader reports it. Each row's properties already carry scope, lastSeen and lastRunId; firstSeen is this run's time.
UNWIND $rows AS row
MATCH (a:{{fromLabel}} {id: row.from})
MATCH (b:{{toLabel}} {id: row.to})
CREATE (a)-[r:{{type}}]->(b)
SET r = row.properties, r.firstSeen = $now
RETURN count(r) AS written
