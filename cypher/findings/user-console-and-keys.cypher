// name: user-console-and-keys
// description: IAM users with both a console password and an active access key: one identity serving a person and a program.
MATCH (u:AwsUser {passwordEnabled: true})-[:HAS_CREDENTIAL]->(k:AwsAccessKey {status: 'active'})
WITH u, k ORDER BY k.accessKeyId
WITH u, collect(k.accessKeyId) AS keys
RETURN {id: u.id, labels: labels(u), name: u.name, scope: u.scope} AS subject,
       null AS target,
       null AS severity,
       'user ' + u.name + ' has a console password and ' + toString(size(keys)) + ' active access key'
         + CASE WHEN size(keys) = 1 THEN '' ELSE 's' END AS message,
       [] AS path,
       false AS conditional,
       [u.id] AS ids,
       {accessKeyIds: keys, passwordLastUsedAt: u.passwordLastUsedAt, nonHuman: u.nonHuman} AS facts
