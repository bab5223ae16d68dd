// name: update-reaches
// description: Rewrite one batch of reachability summary rows whose properties changed, by relationship internal id, sent as columns; firstSeen stays.
UNWIND range(0, size($relationships) - 1) AS i
MATCH ()-[r:REACHES]->() WHERE id(r) = toInteger($relationships[i])
SET r.hops = toInteger($hops[i]), r.levels = $levelSets[$levels[i]], r.allLevels = $levelSets[$allLevels[i]],
    r.firstHop = $firstHops[i], r.viaTypes = $viaTypes[i], r.conditional = $conditional[i], r.scope = $scopes[i],
    r.digest = toInteger($digests[i]), r.maxHops = $maxHops,
    r.lastSeen = $now, r.lastRunId = $runId
RETURN count(r) AS written
