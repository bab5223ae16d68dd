// name: administrators
// description: Principals whose effective permissions amount to full control of an AWS account (ADMINISTERS), with the evidence; $account (12 digits) or null for all accounts.
MATCH (s:Principal)-[r:ADMINISTERS]->(a:AwsAccount)
WHERE $account IS NULL OR a.id = 'aws:account:' + $account
RETURN s.id AS principal, a.id AS account, r.reason AS reason, r.evidence AS evidence, r.conditional AS conditional
ORDER BY account, principal
