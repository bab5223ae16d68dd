// name: activity-access-key-last-use
// description: Write each long-term access key's last logged use over the activity store's retention window, and the number of calls made with it. Returns how many keys were written.
UNWIND $rows AS row
MATCH (k:AwsAccessKey {id: row.id})
SET k.lastActivity = datetime(row.lastActivity), k.activityEvents = row.events, k.activityWindowStart = datetime($windowStart)
RETURN count(k) AS written
