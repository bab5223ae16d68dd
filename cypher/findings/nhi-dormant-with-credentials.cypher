// name: nhi-dormant-with-credentials
// description: Non-human identities with an active credential (an access key, a user-managed service account key, a token secret) and no logged call for more than $dormantDays days of a window the logs cover (activityCoveredFrom/To, written by the activity summary), which must span at least $minCoveredDays days.
MATCH (p:Principal {nonHuman: true})-[:HAS_CREDENTIAL]->(k:Credential)
WHERE p.activityCoveredFrom IS NOT NULL
  AND coalesce(k.status, 'active') = 'active'
  AND duration.inDays(p.activityCoveredFrom, p.activityCoveredTo).days >= $minCoveredDays
WITH p, collect(k) AS keys,
     duration.inDays(coalesce(p.lastActivity, p.activityCoveredFrom), p.activityCoveredTo).days AS quietDays
WHERE quietDays > $dormantDays
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: keys[0].id, labels: labels(keys[0]), name: keys[0].name, scope: keys[0].scope} AS target,
       null AS severity,
       p.name + CASE WHEN p.lastActivity IS NULL
                     THEN ' made no logged call in the ' + toString(quietDays) + ' days the logs cover'
                     ELSE ' made no logged call for ' + toString(quietDays) + ' days (last ' + toString(date(p.lastActivity)) + ')' END
         + ' and still holds ' + toString(size(keys)) + ' active credential' + CASE WHEN size(keys) > 1 THEN 's' ELSE '' END
         + ' (limit ' + toString($dormantDays) + ' days)' AS message,
       [] AS path,
       false AS conditional,
       [p.id] AS ids,
       {quietDays: quietDays, lastActivity: p.lastActivity, coveredFrom: p.activityCoveredFrom,
        coveredTo: p.activityCoveredTo, credentials: [k IN keys | k.id]} AS facts
