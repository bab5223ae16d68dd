// name: report-findings
// description: The findings one report run found (active and suppressed), each with the detail as that run saw it and the store's firstSeen and lastSeen.
MATCH (:ReportRun {id: $id})-[found:FOUND]->(f:Finding)
RETURN found.detail AS detail, f.firstSeen AS firstSeen, f.lastSeen AS lastSeen
ORDER BY f.sortKey
