// name: job-run-stats
// description: Runs per scheduler job and status, with the finish time of the job's last successful run (epoch ms), for /metrics.
MATCH (r:JobRun)
WITH r.job AS job, r.status AS status, count(*) AS runs,
     max(CASE WHEN r.status = 'succeeded' THEN r.finishedAt END) AS lastSuccess
RETURN job, status, runs, CASE WHEN lastSuccess IS NULL THEN null ELSE lastSuccess.epochMillis END AS lastSuccessMs
ORDER BY job, status
