// name: record-findings
// description: Merge the report's findings on their fingerprint (firstSeen kept, resolvedAt cleared when one comes back) and link them to the run, with the detail as this run saw it.
MATCH (r:ReportRun {id: $reportId})
UNWIND $findings AS row
MERGE (f:Finding {fingerprint: row.fingerprint})
ON CREATE SET f.firstSeen = $generatedAt
SET f += row.props, f.lastSeen = $generatedAt, f.resolvedAt = null, f.lastReportId = $reportId
MERGE (r)-[found:FOUND]->(f)
SET found.detail = row.detail, found.suppressed = row.props.suppressed
RETURN count(f) AS recorded
