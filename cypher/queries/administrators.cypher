// name: administrators
// description: Principals whose effective permissions amount to full control of an AWS account (ADMINISTERS), with the evidence; $account (12 digits) or null for all accounts. Through a Grant hub (model/grants.ts) a row is the hub's target leg, with the member leg's properties as `member` and the hub's id as `grant`: the pair edge is the two combined.
CALL () {
  MATCH (s:Principal)-[r:ADMINISTERS]->(a:AwsAccount)
  WHERE $account IS NULL OR a.id = 'aws:account:' + $account
  RETURN s, a, r, null AS member, null AS grant
  UNION ALL
  MATCH (s:Principal)-[m:ADMINISTERS]->(g:Grant)-[r:ADMINISTERS]->(a:AwsAccount)
  WHERE $account IS NULL OR a.id = 'aws:account:' + $account
  RETURN s, a, r, properties(m) AS member, g.id AS grant
}
RETURN s.id AS principal, a.id AS account, r.reason AS reason, r.evidence AS evidence, r.conditional AS conditional,
       r.conditions AS conditions, member, grant
ORDER BY account, principal
