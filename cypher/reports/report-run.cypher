// name: report-run
// description: One report run by id.
MATCH (r:ReportRun {id: $id})
RETURN r {.*} AS run
