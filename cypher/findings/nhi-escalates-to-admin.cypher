// name: nhi-escalates-to-admin
// description: Non-human identities that do not control a target but can come to (administrator of an AWS account, cluster-admin of a Kubernetes cluster, root on a Kubernetes node; src/answers/escalation-targets.ts): per route the one route search chose ($routes: identity and target internal ids, the target's kind, the route's edges as {from, to, type, hub?} in order (hub: through a Grant hub); src/answers/questions.ts escalationRoutes, within the rule's $maxHops), ending in ADMINISTERS, a self-escalation (CAN_ESCALATE into the scope) or the hop onto the node, one per (identity, target); every hop with its evidence.
UNWIND $routes AS route
MATCH (s:Principal {nonHuman: true}) WHERE id(s) = toInteger(route.subject)
MATCH (a) WHERE id(a) = toInteger(route.target)
CALL (route) {
  UNWIND range(0, size(route.edges) - 1) AS i
  WITH i, route.edges[i] AS edge
  MATCH (x) WHERE id(x) = toInteger(edge.from)
  MATCH (y) WHERE id(y) = toInteger(edge.to)
  // A stored edge, or (edge.hub) the pair edge a Grant hub stands for (model/grants.ts): the target
  // leg's properties, both legs' evidence (JSON arrays joined), conditional if either leg is.
  OPTIONAL MATCH (x)-[direct]->(y) WHERE edge.hub IS NULL AND type(direct) = edge.type
  OPTIONAL MATCH (x)-[m]->(g:Grant)-[leg]->(y)
    WHERE edge.hub IS NOT NULL AND id(g) = toInteger(edge.hub) AND type(m) = edge.type AND type(leg) = edge.type
  WITH i, x, y, coalesce(direct, leg) AS rel, m
  WHERE rel IS NOT NULL
  WITH i, {start: x, end: y, type: type(rel), technique: rel.technique, levels: rel.levels,
           reason: coalesce(m.reason, rel.reason),
           evidence: CASE WHEN m IS NULL THEN rel.evidence
                          ELSE left(m.evidence, size(m.evidence) - 1) + ',' + substring(rel.evidence, 1) END,
           conditional: coalesce(m.conditional, false) OR coalesce(rel.conditional, false),
           conditions: coalesce(m.conditions, [])
                       + [c IN coalesce(rel.conditions, []) WHERE NOT c IN coalesce(m.conditions, [])]} AS rel
  ORDER BY i
  RETURN collect(rel) AS rels
}
// A relationship removed since the routes were read (a sync in between) drops the row, never a hop.
WITH * WHERE size(rels) = size(route.edges)
WITH s, a, route.targetKind AS kind, rels, last(rels) AS final,
     size([rel IN rels WHERE rel.type <> 'ADMINISTERS']) AS hops,
     any(rel IN rels WHERE coalesce(rel.conditional, false)) AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: a.id, labels: labels(a), name: a.name, scope: a.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       s.name + CASE kind WHEN 'K8sCluster' THEN ' can become cluster-admin of '
                          WHEN 'K8sNode' THEN ' can become root on node '
                          ELSE ' can become administrator of account ' END
         + coalesce(a.name, a.id) + ' in ' + toString(hops) + ' hop'
         + CASE WHEN hops = 1 THEN '' ELSE 's' END
         + CASE WHEN kind = 'K8sNode' THEN ' via ' + final.start.name
                WHEN final.type = 'CAN_ESCALATE' THEN ' (' + final.start.name + ' makes itself administrator)'
                ELSE ' via ' + final.start.name END
         + CASE WHEN conditional THEN ', only if undecided conditions hold' ELSE '' END AS message,
       [rel IN rels | {from: {id: rel.start.id, labels: labels(rel.start), name: rel.start.name, scope: rel.start.scope},
                       to: {id: rel.end.id, labels: labels(rel.end), name: rel.end.name, scope: rel.end.scope},
                       type: rel.type, technique: rel.technique, levels: coalesce(rel.levels, []), reason: rel.reason,
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false)}] AS path,
       conditional,
       [s.id, a.id] AS ids,
       {hops: hops, self: final.type = 'CAN_ESCALATE' AND kind <> 'K8sNode', kind: kind,
        account: CASE WHEN kind = 'AwsAccount' THEN split(a.id, ':')[2] ELSE null END,
        cluster: CASE WHEN kind = 'AwsAccount' THEN null ELSE split(a.id, ':')[1] END,
        techniques: [rel IN rels WHERE rel.technique IS NOT NULL | rel.technique]} AS facts
