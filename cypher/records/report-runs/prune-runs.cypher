// name: prune-runs
// description: Keep the newest $keep succeeded report runs of one job ($job null: reports of no job) and delete the older ones with their FOUND links (each run's view of its findings), and the runs of that job whose recording failed before the newest succeeded one. Finding nodes stay: they carry each problem's history (firstSeen, lastSeen, resolvedAt).
MATCH (r:ReportRun)
WHERE r.status = 'succeeded' AND coalesce(r.job, '') = coalesce($job, '')
WITH r ORDER BY r.generatedAt DESC, r.id DESC
WITH collect(r) AS runs
WITH runs[$keep..] AS old, runs[0] AS newest
OPTIONAL MATCH (x:ReportRun)
WHERE x IN old
   OR (x.status <> 'succeeded' AND coalesce(x.job, '') = coalesce($job, '') AND x.generatedAt < newest.generatedAt)
DETACH DELETE x
RETURN count(x) AS deleted
