// name: activity-covered-scopes
// description: Write on every identity of a scope the logs cover (an AWS account, a GCP project, a cluster) the window its coverage spans, and clear it from identities of scopes no longer covered: "unused" and "dormant" hold over that window only. Returns how many identities were written.
UNWIND $scopes AS s
MATCH (p:Entity)
WHERE p.scope = s.scope AND p:Principal
SET p.activityCoveredFrom = datetime(s.from), p.activityCoveredTo = datetime(s.to)
RETURN count(p) AS written
