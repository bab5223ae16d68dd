// name: reaches-summary-rows
// description: The one expansion of the reachability summary, included by every query that reads it ({{include reachability/summary-rows}}): binds `s` (the principal), `r` (the resource) and `x`, a map with the REACHES properties (hops, minHops, levelMask, allLevelMask, viaCode, conditional, firstHop, maxHops) of each answer. An answer is a REACHES row of `s`, or else a REACHES row of the principal `s` delegates to (REACHES_AS), or else one of the principal that one delegates to (chains of at most two, src/reachability/delegation.ts): per resource, the first principal on the chain with a REACHES row into it answers, each delegation taken one hop longer with its hop first. Either end may be bound before.
MATCH (s)-[delegation:REACHES_AS*0..2]->(delegate:Principal)-[stored:REACHES]->(r:Resource)
WITH *, CASE size(delegation) WHEN 2 THEN endNode(head(delegation)) ELSE s END AS delegator
WHERE size(delegation) = 0
   OR (NOT EXISTS { (s)-[:REACHES]->(r) } AND NOT EXISTS { (delegator)-[:REACHES]->(r) })
WITH *, CASE WHEN size(delegation) = 0 THEN properties(stored)
             ELSE stored {.levelMask, .allLevelMask, .maxHops,
                          hops: stored.hops + size(delegation), minHops: stored.minHops + size(delegation),
                          viaCode: reduce(code = stored.viaCode, i IN range(size(delegation) - 1, 0, -1) |
                                          code + delegation[i].viaDigit * toInteger(8 ^ (stored.hops + size(delegation) - 1 - i))),
                          conditional: stored.conditional OR any(d IN delegation WHERE d.conditional),
                          firstHop: endNode(head(delegation)).id} END AS x
