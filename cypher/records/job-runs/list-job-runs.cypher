// name: list-job-runs
// description: The most recent scheduler job runs, newest first, optionally of one job.
MATCH (r:JobRun)
WHERE $job IS NULL OR r.job = $job
RETURN r {.id, .job, .status, .startedAt, .finishedAt, .durationMs, .error, .reportId} AS run
ORDER BY r.startedAt DESC
LIMIT $limit
