// name: record-job-run
// description: Record one run of a scheduler job and its outcome (report id when it got that far, error when it failed).
MERGE (r:JobRun {id: $id})
SET r.job = $job, r.status = $status, r.startedAt = $startedAt, r.finishedAt = $finishedAt,
    r.durationMs = $durationMs, r.error = $error, r.reportId = $reportId
RETURN r.id AS id
