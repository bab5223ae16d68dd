// name: update-reaches-delegations
// description: Rewrite one batch of reachability summary delegations whose properties changed (same delegate), by relationship internal id; the properties are replaced as a whole, firstSeen stays. Lists come inside one map parameter (`$batch`), so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND range(0, size($batch.relationships) - 1) AS i
MATCH ()-[d:REACHES_AS]->() WHERE id(d) = toInteger($batch.relationships[i])
SET d = {viaDigit: toInteger($batch.viaDigits[i]), conditional: $batch.conditional[i], maxHops: $maxHops,
  digest: toInteger($batch.digests[i]), firstSeen: coalesce(d.firstSeen, $now)}
RETURN count(d) AS written
