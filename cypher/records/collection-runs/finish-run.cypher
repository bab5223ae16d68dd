// name: finish-run
// description: Close a run with its outcome, counts, cleanup figures and errors.
MATCH (r:CollectionRun {id: $id})
SET r.status = $status, r.finishedAt = $now, r.counts = $counts, r.deleted = $deleted,
    r.cleanedScopes = $cleanedScopes, r.errors = $errors
