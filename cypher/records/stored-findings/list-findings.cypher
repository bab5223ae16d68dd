// name: list-findings
// description: Stored findings matching the filter (every key null when not asked for; $newSince: open now and not active in that report run, absent or suppressed then, as the report diff counts new findings), in report order (most severe first, then rule and subject), one page after the cursor $after.
MATCH (f:Finding)
WHERE ($severities IS NULL OR f.severity IN $severities)
  AND ($ruleIds IS NULL OR f.ruleId IN $ruleIds)
  AND ($statuses IS NULL OR f.status IN $statuses)
  AND ($subject IS NULL OR f.subjectId = $subject)
  AND ($target IS NULL OR f.targetId = $target)
  AND ($nameContains IS NULL OR toLower(f.subjectName) CONTAINS $nameContains
       OR toLower(coalesce(f.targetName, '')) CONTAINS $nameContains)
  AND ($owner IS NULL OR f.owner = $owner)
  AND ($unowned IS NULL OR (f.owner IS NULL) = $unowned)
  AND ($newSince IS NULL OR (f.status = 'open'
       AND NOT EXISTS { MATCH (:ReportRun {id: $newSince})-[seen:FOUND]->(f) WHERE NOT seen.suppressed }))
  AND ($after IS NULL OR f.sortKey > $after)
RETURN f {.*} AS finding
ORDER BY f.sortKey
LIMIT $limit
