// name: record-scopes
// description: Remember, per scope of a run, the last run that loaded it and the last run that completed it (after cleanup); all the run's scopes in one statement.
MATCH (r:CollectionRun {id: $runId})
UNWIND $scopes AS scope
MERGE (s:Scope {id: scope.id})
SET s.provider = scope.provider, s.name = scope.name, s.lastRunId = $runId, s.lastLoadedAt = $now
FOREACH (_ IN CASE WHEN scope.complete THEN [1] ELSE [] END |
  SET s.lastCompleteRunId = $runId, s.lastCompleteAt = $now)
MERGE (r)-[:COLLECTED]->(s)
