// name: list-report-runs
// description: The most recent report runs, newest first.
MATCH (r:ReportRun)
WHERE r.status = 'succeeded'
RETURN r {.*} AS run
ORDER BY r.generatedAt DESC, r.id DESC
LIMIT $limit
