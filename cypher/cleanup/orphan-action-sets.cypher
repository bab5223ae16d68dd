// name: orphan-action-sets
// description: ActionSet nodes (src/model/action-sets.ts) go once no access edge names them (a seek of the CAN_ACCESS actionSet index per set) and this run did not write them; a set that an edge of any scope or provider still names stays. Runs after the stale relationships are deleted, in the same transaction; counts as ActionSet.
MATCH (s:ActionSet) WHERE s.lastRunId <> $runId
  AND NOT EXISTS { MATCH ()-[r:CAN_ACCESS]->() WHERE r.actionSet = s.id }
WITH s LIMIT $limit
DELETE s
RETURN 'ActionSet' AS kind, count(*) AS deleted
