// name: record-run
// description: Record one report run with its counts (MERGE, so a retried transaction writes it once).
MERGE (r:ReportRun {id: $id})
SET r += $props, r.generatedAt = $generatedAt, r.status = 'succeeded'
