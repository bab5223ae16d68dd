// name: last-report-run
// description: The latest report run, of one job when $job is set, generated before $beforeTime (ties broken by id) when set.
MATCH (r:ReportRun)
WHERE r.status = 'succeeded' AND ($job IS NULL OR r.job = $job)
  AND ($beforeTime IS NULL OR r.generatedAt < $beforeTime OR (r.generatedAt = $beforeTime AND r.id < $beforeId))
RETURN r {.*} AS run
ORDER BY r.generatedAt DESC, r.id DESC
LIMIT 1
