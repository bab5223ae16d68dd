// name: reaches-summary-rows
// description: The one expansion of the reachability summary, included by every query that reads it ({{include reachability/summary-rows}}): binds `s` (the principal), `r` (the resource) and `x`, a map with the REACHES properties (hops, minHops, levelMask, allLevelMask, viaCode, conditional, firstHop, maxHops) of each answer. An answer is a REACHES row of `s`, or else a REACHES row of the principal `s` delegates to (REACHES_AS), or else one of the principal that one delegates to, and so on (chains of at most four, src/reachability/delegation.ts): per resource, the first principal on the chain with a REACHES row into it answers. A delegation with a via digit takes its target's rows one hop longer, that hop first; one with via digit 0 takes them as they are (the same rows), conditional if it is. A principal may delegate to a CAN_ACCESS Grant hub, whose REACHES rows are what every member reaches through it (what a principal reaches directly through its s3:* on every bucket); a principal delegating to one such hub may delegate to others of its CAN_ACCESS hubs too, when none of them reaches a resource another of its delegates reaches, so that per resource at most one path answers. `s` is always a Principal, never the hub.
MATCH (s:Principal)-[delegation:REACHES_AS*0..4]->(delegate:Principal|Grant)-[stored:REACHES]->(r:Resource)
WITH *, [d IN delegation | startNode(d)] AS delegators, [d IN delegation WHERE d.viaDigit > 0] AS steps
WITH *, coalesce(delegators[1], s) AS delegator1, coalesce(delegators[2], s) AS delegator2,
     coalesce(delegators[3], s) AS delegator3
WHERE size(delegation) = 0
   OR (NOT EXISTS { (s)-[:REACHES]->(r) }
       AND (size(delegation) < 2 OR NOT EXISTS { (delegator1)-[:REACHES]->(r) })
       AND (size(delegation) < 3 OR NOT EXISTS { (delegator2)-[:REACHES]->(r) })
       AND (size(delegation) < 4 OR NOT EXISTS { (delegator3)-[:REACHES]->(r) }))
WITH *, CASE WHEN size(delegation) = 0 THEN properties(stored)
             WHEN size(steps) = 0 THEN stored {.*, conditional: stored.conditional OR any(d IN delegation WHERE d.conditional)}
             ELSE stored {.levelMask, .allLevelMask, .maxHops,
                          hops: stored.hops + size(steps), minHops: stored.minHops + size(steps),
                          viaCode: reduce(code = stored.viaCode, i IN range(size(steps) - 1, 0, -1) |
                                          code + steps[i].viaDigit * toInteger(8 ^ (stored.hops + size(steps) - 1 - i))),
                          conditional: stored.conditional OR any(d IN delegation WHERE d.conditional),
                          firstHop: endNode(head(steps)).id} END AS x
