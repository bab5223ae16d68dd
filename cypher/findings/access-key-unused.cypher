// name: access-key-unused
// description: Active IAM access keys not used for more than $maxUnusedDays days before $now; a key never used counts from its creation.
MATCH (u:AwsUser)-[:HAS_CREDENTIAL]->(k:AwsAccessKey {status: 'active'})
WHERE coalesce(k.lastUsedAt, k.createdAt) IS NOT NULL
WITH u, k, duration.inDays(coalesce(k.lastUsedAt, k.createdAt), $now).days AS unusedDays
WHERE unusedDays > $maxUnusedDays
RETURN {id: u.id, labels: labels(u), name: u.name, scope: u.scope} AS subject,
       {id: k.id, labels: labels(k), name: k.name, scope: k.scope} AS target,
       null AS severity,
       'access key ' + k.accessKeyId + ' of user ' + u.name
         + CASE WHEN k.lastUsedAt IS NULL THEN ' has never been used since it was created ' + toString(unusedDays) + ' days ago'
                ELSE ' has not been used for ' + toString(unusedDays) + ' days' END
         + ' (limit ' + toString($maxUnusedDays) + ')' AS message,
       [] AS path,
       false AS conditional,
       [k.id] AS ids,
       {accessKeyId: k.accessKeyId, unusedDays: unusedDays, neverUsed: k.lastUsedAt IS NULL, createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt} AS facts
