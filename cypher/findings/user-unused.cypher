// name: user-unused
// description: IAM users with no console sign-in and no access-key use for more than $maxUnusedDays days before $now (credential report and access-key last use); a user never active counts from its creation.
MATCH (u:AwsUser)
OPTIONAL MATCH (u)-[:HAS_CREDENTIAL]->(k:AwsAccessKey)
WITH u, [t IN collect(k.lastUsedAt) + [u.passwordLastUsedAt] WHERE t IS NOT NULL] AS uses
WITH u, CASE WHEN size(uses) = 0 THEN null ELSE reduce(latest = uses[0], t IN uses | CASE WHEN t > latest THEN t ELSE latest END) END AS lastActiveAt
WHERE coalesce(lastActiveAt, u.createdAt) IS NOT NULL
WITH u, lastActiveAt, duration.inDays(coalesce(lastActiveAt, u.createdAt), $now).days AS unusedDays
WHERE unusedDays > $maxUnusedDays
RETURN {id: u.id, labels: labels(u), name: u.name, scope: u.scope} AS subject,
       null AS target,
       null AS severity,
       'user ' + u.name
         + CASE WHEN lastActiveAt IS NULL THEN ' has never signed in or used an access key since it was created ' + toString(unusedDays) + ' days ago'
                ELSE ' has not signed in or used an access key for ' + toString(unusedDays) + ' days' END
         + ' (limit ' + toString($maxUnusedDays) + ')' AS message,
       [] AS path,
       false AS conditional,
       [u.id] AS ids,
       {unusedDays: unusedDays, neverUsed: lastActiveAt IS NULL, lastActiveAt: lastActiveAt, createdAt: u.createdAt,
        nonHuman: u.nonHuman} AS facts
