// name: delete-reaches
// description: Delete one batch of stale reachability summary rows and delegations (REACHES, REACHES_AS; by relationship internal id), once the computation that found them stale has written everything else.
UNWIND $relationships AS rel
MATCH ()-[r:REACHES|REACHES_AS]->() WHERE id(r) = toInteger(rel)
DELETE r
RETURN count(*) AS deleted
