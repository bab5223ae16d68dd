// name: create-reaches
// description: Create one batch of new reachability summary rows, sent as columns (row i is element i of every list; first-hop ids are named once per batch and referred to by position). Endpoints are found by the internal ids the same computation read moments before; the pair had no REACHES row then. Integers only, apart from firstHop and firstSeen, so a row fits one property chain without list records. Lists come inside one map parameter (`$batch`), so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND range(0, size($batch.principals) - 1) AS i
MATCH (a:Principal|Grant) WHERE id(a) = toInteger($batch.principals[i])
MATCH (b:Resource) WHERE id(b) = toInteger($batch.resources[i])
CREATE (a)-[r:REACHES {hops: toInteger($batch.hops[i]), minHops: toInteger($batch.minHops[i]), levelMask: toInteger($batch.levelMasks[i]),
  allLevelMask: toInteger($batch.allLevelMasks[i]), viaCode: toInteger($batch.viaCodes[i]),
  firstHop: $batch.firstHopIds[toInteger($batch.firstHops[i])], conditional: $batch.conditional[i], maxHops: $maxHops,
  digest: toInteger($batch.digests[i]), firstSeen: $now}]->(b)
RETURN count(r) AS written
