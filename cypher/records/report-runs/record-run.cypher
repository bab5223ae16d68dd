// name: record-run
// description: Record one report run with its counts and a status: 'recording' while its findings are written in batches, 'succeeded' once all are (MERGE, so a retried transaction writes it once). Only succeeded runs are read back.
MERGE (r:ReportRun {id: $id})
SET r += $props, r.generatedAt = $generatedAt, r.status = $status
