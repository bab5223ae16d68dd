// name: create-reaches
// description: Create one batch of new reachability summary rows, sent as columns (row i is element i of every list). Endpoints are found by the internal ids the same computation read moments before; the pair had no REACHES row then.
UNWIND range(0, size($principals) - 1) AS i
MATCH (a:Principal) WHERE id(a) = toInteger($principals[i])
MATCH (b:Resource) WHERE id(b) = toInteger($resources[i])
CREATE (a)-[r:REACHES]->(b)
SET r.hops = toInteger($hops[i]), r.levels = $levelSets[$levels[i]], r.allLevels = $levelSets[$allLevels[i]],
    r.firstHop = $firstHops[i], r.viaTypes = $viaTypes[i], r.conditional = $conditional[i], r.scope = $scopes[i],
    r.digest = toInteger($digests[i]), r.maxHops = $maxHops,
    r.firstSeen = $now, r.lastSeen = $now, r.lastRunId = $runId
RETURN count(r) AS written
