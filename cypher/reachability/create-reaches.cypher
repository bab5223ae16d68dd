// name: create-reaches
// description: Create one batch of new reachability summary rows, sent as columns (row i is element i of every list; first-hop ids are named once per batch and referred to by position). Endpoints are found by the internal ids the same computation read moments before; the pair had no REACHES row then. Integers only, apart from firstHop and firstSeen, so a row fits one property chain without list records.
UNWIND range(0, size($principals) - 1) AS i
MATCH (a:Principal|Grant) WHERE id(a) = toInteger($principals[i])
MATCH (b:Resource) WHERE id(b) = toInteger($resources[i])
CREATE (a)-[r:REACHES {hops: toInteger($hops[i]), minHops: toInteger($minHops[i]), levelMask: toInteger($levelMasks[i]),
  allLevelMask: toInteger($allLevelMasks[i]), viaCode: toInteger($viaCodes[i]),
  firstHop: $firstHopIds[toInteger($firstHops[i])], conditional: $conditional[i], maxHops: $maxHops,
  digest: toInteger($digests[i]), firstSeen: $now}]->(b)
RETURN count(r) AS written
