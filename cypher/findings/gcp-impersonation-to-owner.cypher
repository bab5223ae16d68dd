// name: gcp-impersonation-to-owner
// description: Principals that are not owners of a GCP organization, folder or project but whose escalation route to one (the route the one route search chose: $routes, src/answers/questions.ts escalationRoutes, within the rule's $maxHops) is a chain of CAN_IMPERSONATE and FEDERATES_TO edges (workload identity federation, delegation) to a service account that ADMINISTERS it (roles/owner there or above; stored, or through a Grant hub): one per (principal, topmost level so reached), every hop with its evidence.
UNWIND $routes AS route
WITH route WHERE route.targetKind IN ['GcpOrganization', 'GcpFolder', 'GcpProject']
MATCH (s:Principal) WHERE id(s) = toInteger(route.subject)
MATCH (a) WHERE id(a) = toInteger(route.target)
{{include findings/escalation-route-hops}}
WITH s, a, rels, last(rels) AS final, [rel IN rels | rel.end] AS ends
WHERE final.type = 'ADMINISTERS' AND size(rels) >= 2
  AND all(rel IN rels[0..size(rels) - 1] WHERE rel.type IN ['CAN_IMPERSONATE', 'FEDERATES_TO'])
  // The topmost level the owner holds: the levels below it are owned by inheritance. Its
  // ADMINISTERS edge is stored, or stands in a Grant hub of an inherited binding (model/grants.ts).
  AND NOT EXISTS { (a)-[:CHILD_OF]->+(:Entity)<-[:ADMINISTERS]-(owner) WHERE owner = final.start }
  AND NOT EXISTS { (a)-[:CHILD_OF]->+(:Entity)<-[:ADMINISTERS]-(:Grant)<-[:ADMINISTERS]-(owner) WHERE owner = final.start }
WITH s, a, rels, final, ends, any(rel IN rels WHERE coalesce(rel.conditional, false)) AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: a.id, labels: labels(a), name: a.name, scope: a.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       coalesce(s.name, s.id) + ' can act as ' + final.start.name + ', owner of ' + coalesce(a.name, a.id) + ' ('
         + split(a.id, ':')[1] + '), in ' + toString(size(rels) - 1) + ' hop'
         + CASE WHEN size(rels) = 2 THEN '' ELSE 's' END
         + CASE WHEN size(rels) > 2 THEN ' via ' + reduce(v = '', n IN ends[0..size(ends) - 1] | v + CASE WHEN v = '' THEN '' ELSE ' → ' END + n.name) ELSE '' END
         + CASE WHEN conditional THEN ', only if undecided conditions hold' ELSE '' END AS message,
       [rel IN rels | {from: {id: rel.start.id, labels: labels(rel.start), name: rel.start.name, scope: rel.start.scope},
                       to: {id: rel.end.id, labels: labels(rel.end), name: rel.end.name, scope: rel.end.scope},
                       type: rel.type, technique: rel.technique, levels: coalesce(rel.levels, []),
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false),
                       used: rel.used, useCount: rel.useCount, lastUsed: rel.lastUsed, memberUse: rel.memberUse}] AS path,
       conditional,
       [s.id, a.id] AS ids,
       {hops: size(rels) - 1, owner: final.start.id, nonHuman: coalesce(s.nonHuman, false),
        kinds: [rel IN rels | rel.type]} AS facts
