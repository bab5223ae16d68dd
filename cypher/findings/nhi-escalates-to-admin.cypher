// name: nhi-escalates-to-admin
// description: Non-human identities that are not administrators of an AWS account but can become one, as escalation-paths finds them: the shortest route of at most $maxHops hops over CAN_ASSUME, FEDERATES_TO, RUNS_AS and CAN_ESCALATE ending in ADMINISTERS or a self-escalation (CAN_ESCALATE to the account), one per (identity, account), ties broken by node ids; every hop with its evidence.
MATCH p = ALL SHORTEST (s:Principal {nonHuman: true})
  (()-[:CAN_ASSUME|FEDERATES_TO|RUNS_AS|CAN_ESCALATE]->(:Principal)){0,10}
  (:Principal)-[:ADMINISTERS|CAN_ESCALATE]->(a:AwsAccount)
WHERE length(p) <= $maxHops + 1
  AND NOT EXISTS { (s)-[:ADMINISTERS]->(a) }
  // An account's root already controls that account: it is no escalation.
  AND NOT (s:AwsAccountRoot AND split(s.id, ':')[4] = split(a.id, ':')[2])
WITH s, a, p ORDER BY reduce(key = '', rel IN relationships(p) | key + endNode(rel).id + ' ' + type(rel) + ' ')
WITH s, a, collect(p)[0] AS p
WITH s, a, relationships(p) AS rels
WITH s, a, rels, last(rels) AS final,
     size([rel IN rels WHERE type(rel) <> 'ADMINISTERS']) AS hops,
     any(rel IN rels WHERE coalesce(rel.conditional, false)) AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: a.id, labels: labels(a), name: a.name, scope: a.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       s.name + ' can become administrator of account ' + coalesce(a.name, a.id) + ' in ' + toString(hops) + ' hop'
         + CASE WHEN hops = 1 THEN '' ELSE 's' END
         + CASE WHEN type(final) = 'CAN_ESCALATE' THEN ' (' + startNode(final).name + ' makes itself administrator)' ELSE ' via ' + startNode(final).name END
         + CASE WHEN conditional THEN ', only if undecided conditions hold' ELSE '' END AS message,
       [rel IN rels | {from: {id: startNode(rel).id, labels: labels(startNode(rel)), name: startNode(rel).name, scope: startNode(rel).scope},
                       to: {id: endNode(rel).id, labels: labels(endNode(rel)), name: endNode(rel).name, scope: endNode(rel).scope},
                       type: type(rel), technique: rel.technique, levels: coalesce(rel.levels, []), reason: rel.reason,
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false)}] AS path,
       conditional,
       [s.id, a.id] AS ids,
       {hops: hops, self: type(final) = 'CAN_ESCALATE', account: split(a.id, ':')[2],
        techniques: [rel IN rels WHERE rel.technique IS NOT NULL | rel.technique]} AS facts
