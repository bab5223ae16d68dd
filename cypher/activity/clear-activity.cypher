// name: activity-clear
// description: Remove the activity summary from identities and credentials the store no longer names (aged out of the retention window), so lastActivity never outlives its evidence. Returns how many nodes were cleared.
MATCH (n:Principal|Credential)
WHERE n.lastActivity IS NOT NULL AND NOT n.id IN $ids
REMOVE n.lastActivity, n.activityEvents, n.activityWindowStart
RETURN count(n) AS cleared
