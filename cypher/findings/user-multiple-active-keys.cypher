// name: user-multiple-active-keys
// description: IAM users holding more than one active access key.
MATCH (u:AwsUser)-[:HAS_CREDENTIAL]->(k:AwsAccessKey {status: 'active'})
WITH u, k ORDER BY k.accessKeyId
WITH u, collect(k.accessKeyId) AS keys
WHERE size(keys) > 1
RETURN {id: u.id, labels: labels(u), name: u.name, scope: u.scope} AS subject,
       null AS target,
       null AS severity,
       'user ' + u.name + ' has ' + toString(size(keys)) + ' active access keys' AS message,
       [] AS path,
       false AS conditional,
       [u.id] AS ids,
       {activeKeys: size(keys), accessKeyIds: keys} AS facts
