// name: gcp-service-account-keys
// description: User-managed keys of GCP service accounts (GcpServiceAccountKey: the collection keeps USER_MANAGED keys only), older than $maxAgeDays days before $now (-1: every key); a disabled key is reported only by the rule without a threshold, as info. Last use (lastUsedAt) is when the key last authenticated, from Policy Analyzer's activity analysis when collected (service-account-key-last-authentication.json), named in the message and kept as a fact.
MATCH (sa:GcpServiceAccount)-[:HAS_CREDENTIAL]->(k:GcpServiceAccountKey)
WHERE k.status = 'active' OR $maxAgeDays < 0
WITH sa, k, CASE WHEN k.createdAt IS NULL THEN null ELSE duration.inDays(k.createdAt, $now).days END AS ageDays
WHERE $maxAgeDays < 0 OR ageDays > $maxAgeDays
RETURN {id: sa.id, labels: labels(sa), name: sa.name, scope: sa.scope} AS subject,
       {id: k.id, labels: labels(k), name: k.name, scope: k.scope} AS target,
       CASE WHEN k.status = 'active' THEN null ELSE 'info' END AS severity,
       CASE WHEN k.status = 'active' THEN '' ELSE 'disabled ' END + 'user-managed key ' + split(k.id, ':')[3]
         + ' of service account ' + sa.name
         + CASE WHEN ageDays IS NULL THEN ' (creation time not collected)'
                ELSE ' is ' + toString(ageDays) + ' days old' END
         + CASE WHEN $maxAgeDays < 0 THEN '' ELSE ' (limit ' + toString($maxAgeDays) + ')' END
         + CASE WHEN k.lastUsedAt IS NULL THEN '' ELSE ', last authenticated ' + toString(date(k.lastUsedAt)) END AS message,
       [] AS path,
       false AS conditional,
       [k.id] AS ids,
       {keyId: split(k.id, ':')[3], ageDays: ageDays, createdAt: k.createdAt, status: k.status,
        lastUsedAt: k.lastUsedAt, environment: coalesce(sa.environment, 'unknown')} AS facts
