// name: analysis-flags
// description: Nodes an analyzer flagged with one of the rules in $flagRules (AnalysisFlag via HAS_FLAG): one finding per flag, with the flag's severity, message and evidence.
MATCH (s)-[:HAS_FLAG]->(f:AnalysisFlag)
WHERE f.rule IN $flagRules
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       null AS target,
       f.severity AS severity,
       f.message AS message,
       [] AS path,
       false AS conditional,
       [f.id] AS ids,
       {flag: f.rule} AS facts,
       f.evidence AS evidence
