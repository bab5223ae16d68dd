// name: merge-relationships
// description: Write one batch of relationships of one type. Each endpoint is found by the element id its node batch or the reference check returned (a seek, no index lock), and must still carry the row's id, so an element id reused after a delete writes nothing and the loader reports the endpoint as missing. Each row's properties already carry scope, lastSeen and lastRunId; firstSeen survives from the first run that saw the relationship. The text names only the type, so one plan serves every pair of node kinds. The rows come as `$batch.rows`, a list inside a map, so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $batch.rows AS row
MATCH (a) WHERE elementId(a) = row.fromElement AND a.id = row.from
MATCH (b) WHERE elementId(b) = row.toElement AND b.id = row.to
MERGE (a)-[r:{{type}}]->(b)
WITH r, row, coalesce(r.firstSeen, $now) AS firstSeen
SET r = row.properties, r.firstSeen = firstSeen
RETURN count(r) AS written
