// name: update-reaches
// description: Rewrite one batch of reachability summary rows whose properties changed, by relationship internal id, sent as columns like create-reaches. The properties are replaced as a whole (so none of an older row shape lingers); firstSeen stays.
UNWIND range(0, size($relationships) - 1) AS i
MATCH ()-[r:REACHES]->() WHERE id(r) = toInteger($relationships[i])
SET r = {hops: toInteger($hops[i]), minHops: toInteger($minHops[i]), levelMask: toInteger($levelMasks[i]),
  allLevelMask: toInteger($allLevelMasks[i]), viaCode: toInteger($viaCodes[i]),
  firstHop: $firstHopIds[toInteger($firstHops[i])], conditional: $conditional[i], maxHops: $maxHops,
  digest: toInteger($digests[i]), firstSeen: coalesce(r.firstSeen, $now)}
RETURN count(r) AS written
