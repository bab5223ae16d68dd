// name: record-scope
// description: Remember, per scope, the last run that loaded it and the last run that completed it (after cleanup).
MERGE (s:Scope {id: $scope})
SET s.provider = $provider, s.name = $name, s.lastRunId = $runId, s.lastLoadedAt = $now
FOREACH (_ IN CASE WHEN $complete THEN [1] ELSE [] END |
  SET s.lastCompleteRunId = $runId, s.lastCompleteAt = $now)
WITH s
MATCH (r:CollectionRun {id: $runId})
MERGE (r)-[:COLLECTED]->(s)
