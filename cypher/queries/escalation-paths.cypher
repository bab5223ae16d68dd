// name: escalation-paths
// description: Principals that are not administrators of an AWS account but can become one: every shortest path of at most $maxHops hops over CAN_ASSUME, FEDERATES_TO, RUNS_AS and CAN_ESCALATE that ends in ADMINISTERS or in a self-escalation (CAN_ESCALATE to the account); $account (12 digits) or null for all accounts. `reachgraph query escalations` keeps one path per principal and account.
MATCH p = ALL SHORTEST (s:Principal)
  (()-[:CAN_ASSUME|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->(:Principal)){0,10}
  (:Principal)-[:ADMINISTERS|CAN_ESCALATE]->(a:AwsAccount)
WHERE length(p) <= $maxHops + 1
  AND ($account IS NULL OR a.id = 'aws:account:' + $account)
  AND NOT EXISTS { (s)-[:ADMINISTERS]->(a) }
  // An account's root already controls that account: it is no escalation.
  AND NOT (s:AwsAccountRoot AND split(s.id, ':')[4] = split(a.id, ':')[2])
RETURN s.id AS principal, a.id AS account,
       [r IN relationships(p) | {from: startNode(r).id, to: endNode(r).id, type: type(r), technique: r.technique,
         reason: r.reason, evidence: r.evidence, conditional: r.conditional, requires: r.requires}] AS path
ORDER BY account, principal
