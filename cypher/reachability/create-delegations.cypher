// name: create-reaches-delegations
// description: Create one batch of reachability summary delegations (REACHES_AS: the source's answers are the delegate's REACHES rows, one hop longer), sent as columns like create-reaches. Endpoints are found by the internal ids the same computation read moments before.
UNWIND range(0, size($principals) - 1) AS i
MATCH (a:Principal) WHERE id(a) = toInteger($principals[i])
MATCH (b:Principal|Grant) WHERE id(b) = toInteger($delegates[i])
CREATE (a)-[d:REACHES_AS {viaDigit: toInteger($viaDigits[i]), conditional: $conditional[i], maxHops: $maxHops,
  digest: toInteger($digests[i]), firstSeen: $now}]->(b)
RETURN count(d) AS written
