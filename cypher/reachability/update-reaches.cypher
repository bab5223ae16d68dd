// name: update-reaches
// description: Rewrite one batch of reachability summary rows whose properties changed, by relationship internal id, sent as columns like create-reaches. The properties are replaced as a whole (so none of an older row shape lingers); firstSeen stays. Lists come inside one map parameter (`$batch`), so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND range(0, size($batch.relationships) - 1) AS i
MATCH ()-[r:REACHES]->() WHERE id(r) = toInteger($batch.relationships[i])
SET r = {hops: toInteger($batch.hops[i]), minHops: toInteger($batch.minHops[i]), levelMask: toInteger($batch.levelMasks[i]),
  allLevelMask: toInteger($batch.allLevelMasks[i]), viaCode: toInteger($batch.viaCodes[i]),
  firstHop: $batch.firstHopIds[toInteger($batch.firstHops[i])], conditional: $batch.conditional[i], maxHops: $maxHops,
  digest: toInteger($batch.digests[i]), firstSeen: coalesce(r.firstSeen, $now)}
RETURN count(r) AS written
