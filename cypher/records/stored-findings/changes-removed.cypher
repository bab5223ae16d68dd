// name: changes-removed
// description: The findings a report run removed: found by $previous (active or suppressed) and not at all by $report (none when $previous is null), each with the detail as $previous saw it, in report order after the cursor $after.
MATCH (:ReportRun {id: $previous})-[before:FOUND]->(f:Finding)
WHERE NOT EXISTS { MATCH (:ReportRun {id: $report})-[:FOUND]->(f) }
  AND ($after IS NULL OR f.sortKey > $after)
RETURN f {.*, detail: before.detail} AS finding
ORDER BY f.sortKey
LIMIT $limit
