// name: touch-reaches
// description: Stamp one batch of unchanged reachability summary rows (by relationship internal id) as confirmed by this computation.
UNWIND $relationships AS rel
MATCH ()-[r:REACHES]->() WHERE id(r) = toInteger(rel)
SET r.lastSeen = $now, r.lastRunId = $runId
RETURN count(r) AS written
