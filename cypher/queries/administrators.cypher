// name: administrators
// description: Principals whose effective permissions amount to full control of a scope (ADMINISTERS an AWS account, a Kubernetes cluster or a GCP organization, folder or project: the labels in $scopeKinds), with the evidence (reachgraph adds each row's `reason`, derived from `evidence`: src/answers/named-queries.ts); $account (12 digits) or null for every scope. Through a Grant hub (model/grants.ts) a row is the hub's target leg, with the member leg's properties as `member` and the hub's id as `grant`: the pair edge is the two combined.
CALL () {
  MATCH (s:Principal)-[r:ADMINISTERS]->(a)
  WHERE NOT a:Grant
  RETURN s, a, r, null AS member, null AS grant
  UNION ALL
  MATCH (s:Principal)-[m:ADMINISTERS]->(g:Grant)-[r:ADMINISTERS]->(a)
  RETURN s, a, r, properties(m) AS member, g.id AS grant
}
WITH s, a, r, member, grant, [l IN labels(a) WHERE l IN $scopeKinds][0] AS targetKind
WHERE targetKind IS NOT NULL AND ($account IS NULL OR a.id = 'aws:account:' + $account)
RETURN s.id AS principal, a.id AS target, targetKind, r.evidence AS evidence,
       r.conditional AS conditional, r.conditions AS conditions, member, grant
ORDER BY target, principal
