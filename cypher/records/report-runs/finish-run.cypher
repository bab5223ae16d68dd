// name: finish-run
// description: Mark a report run whose findings were all written as succeeded (or one whose recording failed as failed).
MATCH (r:ReportRun {id: $id})
SET r.status = $status
