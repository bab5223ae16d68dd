// name: reaches-summary-rows
// description: The one expansion of the reachability summary, included by every query that reads it ({{include reachability/summary-rows}}): binds `s` (the principal), `r` (the resource) and `x`, a map with the REACHES properties (hops, minHops, levelMask, allLevelMask, viaCode, conditional, firstHop, maxHops) of each answer. An answer is either a REACHES row of `s`, or a REACHES row of the principal `s` delegates to (REACHES_AS: a computation found `s`'s rows to be exactly that principal's, one hop longer), taken one hop longer with that hop first. A principal with REACHES rows of its own is never read through a delegation (one kind or the other, even while a computation is rewriting them). Either end may be bound before.
MATCH (s)-[delegation:REACHES_AS*0..1]->(delegate:Principal)-[stored:REACHES]->(r:Resource)
WHERE size(delegation) = 0 OR NOT EXISTS { (s)-[:REACHES]->() }
WITH *, CASE WHEN size(delegation) = 0 THEN properties(stored)
             ELSE stored {.levelMask, .allLevelMask, .maxHops,
                          hops: stored.hops + 1, minHops: stored.minHops + 1,
                          viaCode: head(delegation).viaDigit * toInteger(8 ^ stored.hops) + stored.viaCode,
                          conditional: stored.conditional OR head(delegation).conditional,
                          firstHop: delegate.id} END AS x
