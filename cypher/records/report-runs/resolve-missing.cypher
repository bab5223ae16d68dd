// name: resolve-missing
// description: Findings of the rules that ran which this report did not find (every finding it found now names it as lastReportId) are resolved now; rules that did not run resolve nothing.
MATCH (f:Finding)
WHERE f.resolvedAt IS NULL AND f.ruleId IN $ruleIds AND f.lastReportId <> $reportId
SET f.resolvedAt = $generatedAt, f.status = 'resolved'
RETURN count(f) AS resolved
