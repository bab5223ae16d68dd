// name: update-reaches-delegations
// description: Rewrite one batch of reachability summary delegations whose properties changed (same delegate), by relationship internal id; the properties are replaced as a whole, firstSeen stays.
UNWIND range(0, size($relationships) - 1) AS i
MATCH ()-[d:REACHES_AS]->() WHERE id(d) = toInteger($relationships[i])
SET d = {viaDigit: toInteger($viaDigits[i]), conditional: $conditional[i], maxHops: $maxHops,
  digest: toInteger($digests[i]), firstSeen: coalesce(d.firstSeen, $now)}
RETURN count(d) AS written
