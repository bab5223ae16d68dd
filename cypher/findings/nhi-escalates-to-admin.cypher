// name: nhi-escalates-to-admin
// description: Non-human identities that do not control a target but can come to (administrator of an AWS account, cluster-admin of a Kubernetes cluster, root on a Kubernetes node, owner of a GCP organization, folder or project; src/answers/escalation-targets.ts): per route the one route search chose ($routes: identity and target internal ids, the target's kind, the route's edges as {from, to, type, hub?} in order (hub: through a Grant hub); src/answers/questions.ts escalationRoutes, within the rule's $maxHops), ending in ADMINISTERS, a self-escalation (CAN_ESCALATE into the scope) or the hop onto the node, one per (identity, target); every hop with its evidence.
UNWIND $routes AS route
MATCH (s:Principal {nonHuman: true}) WHERE id(s) = toInteger(route.subject)
MATCH (a) WHERE id(a) = toInteger(route.target)
{{include findings/escalation-route-hops}}
WITH s, a, route.targetKind AS kind, rels, last(rels) AS final,
     size([rel IN rels WHERE rel.type <> 'ADMINISTERS']) AS hops,
     any(rel IN rels WHERE coalesce(rel.conditional, false)) AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: a.id, labels: labels(a), name: a.name, scope: a.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       s.name + CASE kind WHEN 'K8sCluster' THEN ' can become cluster-admin of '
                          WHEN 'K8sNode' THEN ' can become root on node '
                          WHEN 'AwsAccount' THEN ' can become administrator of account '
                          ELSE ' can become owner of ' END
         + coalesce(a.name, a.id) + ' in ' + toString(hops) + ' hop'
         + CASE WHEN hops = 1 THEN '' ELSE 's' END
         + CASE WHEN kind = 'K8sNode' THEN ' via ' + final.start.name
                WHEN final.type = 'CAN_ESCALATE' THEN ' (' + final.start.name + ' makes itself administrator)'
                ELSE ' via ' + final.start.name END
         + CASE WHEN conditional THEN ', only if undecided conditions hold' ELSE '' END AS message,
       [rel IN rels | {from: {id: rel.start.id, labels: labels(rel.start), name: rel.start.name, scope: rel.start.scope},
                       to: {id: rel.end.id, labels: labels(rel.end), name: rel.end.name, scope: rel.end.scope},
                       type: rel.type, technique: rel.technique, levels: coalesce(rel.levels, []),
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false),
                       used: rel.used, useCount: rel.useCount, lastUsed: rel.lastUsed, memberUse: rel.memberUse}] AS path,
       conditional,
       [s.id, a.id] AS ids,
       {hops: hops, self: final.type = 'CAN_ESCALATE' AND kind <> 'K8sNode', kind: kind,
        account: CASE WHEN kind = 'AwsAccount' THEN split(a.id, ':')[2] ELSE null END,
        cluster: CASE WHEN kind IN ['K8sCluster', 'K8sNode'] THEN split(a.id, ':')[1] ELSE null END,
        techniques: [rel IN rels WHERE rel.technique IS NOT NULL | rel.technique]} AS facts
