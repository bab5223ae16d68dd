// name: create-relationships
// description: Write one batch of relationships of one type that the loader knows are new (an end had no relationship at all when this run wrote it), so there is nothing to merge with. Each endpoint is found by the element id its node batch or the reference check returned (a seek, no index lock), and must still carry the row's id, so an element id reused after a delete writes nothing and the loader reports the endpoint as missing. Each row's properties already carry scope, lastSeen and lastRunId; firstSeen is this run's time. The text names only the type, so one plan serves every pair of node kinds. The rows come as `$batch.rows`, a list inside a map, so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $batch.rows AS row
MATCH (a) WHERE elementId(a) = row.fromElement AND a.id = row.from
MATCH (b) WHERE elementId(b) = row.toElement AND b.id = row.to
CREATE (a)-[r:{{type}}]->(b)
SET r = row.properties, r.firstSeen = $now
RETURN count(r) AS written
