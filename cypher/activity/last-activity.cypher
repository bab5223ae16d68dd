// name: activity-last-activity
// description: Write each identity's last logged activity (any call, allowed or refused, over the activity store's retention window) and how many calls that window holds; identities the graph does not hold are left out. Returns how many nodes were written.
UNWIND $rows AS row
MATCH (p:Principal {id: row.id})
SET p.lastActivity = datetime(row.lastActivity), p.activityEvents = row.events, p.activityWindowStart = datetime($windowStart)
RETURN count(p) AS written
