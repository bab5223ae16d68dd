// name: activity-hub-use
// description: Write on the member leg of each given Grant hub (member -[type]-> hub) whether the member used any of the hub's targets over the covered window, and which ones, with the calls and the last one per target (parallel lists): the use of the pair edges the hub stands for (model/grants.ts pairUse). Returns how many member legs were written.
UNWIND $rows AS row
MATCH (p:Principal {id: row.from})-[e]->(g:Grant {id: row.hub})
WHERE type(e) = row.type
SET e.used = size(row.targets) > 0, e.usedTargets = row.targets, e.usedTargetCounts = row.counts, e.usedTargetLastUsed = row.lastUsed
REMOVE e.useCount, e.lastUsed
RETURN count(e) AS written
