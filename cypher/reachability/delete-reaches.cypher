// name: delete-reaches
// description: Delete one batch of stale reachability summary rows and delegations (REACHES, REACHES_AS; by relationship internal id), once the computation that found them stale has written everything else. Lists come inside one map parameter (`$batch`), so that every batch, whatever its size, finds the plan the first one made (a list parameter's size is part of Neo4j's plan-cache key: src/graph/loader.ts, `batchParams`).
UNWIND $batch.relationships AS rel
MATCH ()-[r:REACHES|REACHES_AS]->() WHERE id(r) = toInteger(rel)
DELETE r
RETURN count(*) AS deleted
