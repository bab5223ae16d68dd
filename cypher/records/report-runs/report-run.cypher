// name: report-run
// description: One report run by id.
MATCH (r:ReportRun {id: $id})
WHERE r.status = 'succeeded'
RETURN r {.*} AS run
