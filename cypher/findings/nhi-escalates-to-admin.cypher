// name: nhi-escalates-to-admin
// description: Non-human identities that are not administrators of an AWS account but can become one: per route the one route search chose ($routes: identity and account internal ids, the route's edges as {from, to, type} in order; src/answers/questions.ts escalationRoutes, within the rule's $maxHops), ending in ADMINISTERS or a self-escalation (CAN_ESCALATE to the account), one per (identity, account); every hop with its evidence.
UNWIND $routes AS route
MATCH (s:Principal {nonHuman: true}) WHERE id(s) = toInteger(route.subject)
MATCH (a:AwsAccount) WHERE id(a) = toInteger(route.target)
CALL (route) {
  UNWIND range(0, size(route.edges) - 1) AS i
  WITH i, route.edges[i] AS edge
  MATCH (x) WHERE id(x) = toInteger(edge.from)
  MATCH (y) WHERE id(y) = toInteger(edge.to)
  MATCH (x)-[rel]->(y) WHERE type(rel) = edge.type
  WITH i, rel ORDER BY i
  RETURN collect(rel) AS rels
}
// A relationship removed since the routes were read (a sync in between) drops the row, never a hop.
WITH * WHERE size(rels) = size(route.edges)
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
