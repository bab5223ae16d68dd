// name: create-reaches-delegations
// description: Create one batch of reachability summary delegations (REACHES_AS: the source's answers are the delegate's REACHES rows, one hop longer), sent as columns like create-reaches. Endpoints are found by the internal ids the same computation read moments before. Lists come inside one map parameter (`$batch`), so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND range(0, size($batch.principals) - 1) AS i
MATCH (a:Principal) WHERE id(a) = toInteger($batch.principals[i])
MATCH (b:Principal|Grant) WHERE id(b) = toInteger($batch.delegates[i])
CREATE (a)-[d:REACHES_AS {viaDigit: toInteger($batch.viaDigits[i]), conditional: $batch.conditional[i], maxHops: $maxHops,
  digest: toInteger($batch.digests[i]), firstSeen: $now}]->(b)
RETURN count(d) AS written
