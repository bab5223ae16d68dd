// name: access-key-not-rotated
// description: Active IAM access keys created more than $maxAgeDays days before $now.
MATCH (u:AwsUser)-[:HAS_CREDENTIAL]->(k:AwsAccessKey {status: 'active'})
WHERE k.createdAt IS NOT NULL
WITH u, k, duration.inDays(k.createdAt, $now).days AS ageDays
WHERE ageDays > $maxAgeDays
RETURN {id: u.id, labels: labels(u), name: u.name, scope: u.scope} AS subject,
       {id: k.id, labels: labels(k), name: k.name, scope: k.scope} AS target,
       null AS severity,
       'access key ' + k.accessKeyId + ' of user ' + u.name + ' is ' + toString(ageDays) + ' days old (limit ' + toString($maxAgeDays) + ')' AS message,
       [] AS path,
       false AS conditional,
       [k.id] AS ids,
       {accessKeyId: k.accessKeyId, ageDays: ageDays, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt} AS facts
