// name: changes-added
// description: The findings a report run added: found active by $report and not active in $previous (absent, or suppressed then; every active finding when $previous is null), each with the detail as $report saw it, in report order after the cursor $after.
MATCH (:ReportRun {id: $report})-[found:FOUND]->(f:Finding)
WHERE NOT found.suppressed
  AND NOT EXISTS { MATCH (:ReportRun {id: $previous})-[before:FOUND]->(f) WHERE NOT before.suppressed }
  AND ($after IS NULL OR f.sortKey > $after)
RETURN f {.*, detail: found.detail} AS finding
ORDER BY f.sortKey
LIMIT $limit
