// name: activity-clear-coverage
// description: Remove the coverage window and the used marks of edges (and of Grant hub member legs) from identities whose scope the logs no longer cover, so nothing is called unused over a window no log holds. Returns how many identities were cleared. The edge types (`usedTypes`) are the ones activity marks (src/activity/graph-summary.ts).
MATCH (p:Principal)
WHERE p.activityCoveredFrom IS NOT NULL AND NOT coalesce(p.scope IN $scopes, false)
OPTIONAL MATCH (p)-[e:{{usedTypes}}]->()
REMOVE p.activityCoveredFrom, p.activityCoveredTo, e.used, e.lastUsed, e.useCount, e.usedTargets, e.usedTargetCounts, e.usedTargetLastUsed
RETURN count(DISTINCT p) AS cleared
