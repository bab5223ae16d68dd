// name: role-unused
// description: IAM roles not used for more than $maxUnusedDays days before $now (RoleLastUsed; a role never used counts from its creation); service-linked roles only when $includeServiceLinked.
MATCH (r:AwsRole)
WHERE coalesce(r.lastUsedAt, r.createdAt) IS NOT NULL
  AND ($includeServiceLinked OR NOT coalesce(r.serviceLinked, false))
WITH r, duration.inDays(coalesce(r.lastUsedAt, r.createdAt), $now).days AS unusedDays
WHERE unusedDays > $maxUnusedDays
RETURN {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS subject,
       null AS target,
       null AS severity,
       'role ' + r.name
         + CASE WHEN r.lastUsedAt IS NULL THEN ' has no recorded use since it was created ' + toString(unusedDays) + ' days ago'
                ELSE ' has not been used for ' + toString(unusedDays) + ' days' END
         + ' (limit ' + toString($maxUnusedDays) + ')' AS message,
       [] AS path,
       false AS conditional,
       [r.id] AS ids,
       {unusedDays: unusedDays, neverUsed: r.lastUsedAt IS NULL, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt} AS facts
