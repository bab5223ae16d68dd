// name: resolve-missing
// description: Findings of the rules that ran which this report no longer found are resolved now (rules that did not run resolve nothing).
MATCH (f:Finding)
WHERE f.resolvedAt IS NULL AND f.ruleId IN $ruleIds AND NOT f.fingerprint IN $fingerprints
SET f.resolvedAt = $generatedAt, f.status = 'resolved'
RETURN count(f) AS resolved
