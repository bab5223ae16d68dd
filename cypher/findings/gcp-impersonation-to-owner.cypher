// name: gcp-impersonation-to-owner
// description: Principals that are not owners of a GCP organization, folder or project but can impersonate, directly or along a chain of CAN_IMPERSONATE and FEDERATES_TO edges (workload identity federation, delegation), a service account that is (ADMINISTERS: roles/owner there or above): the shortest chain per (principal, topmost level the account owns), at most 6 hops, every hop with its evidence.
MATCH (sa:GcpServiceAccount)-[own:ADMINISTERS]->(c)
WHERE (c:GcpOrganization OR c:GcpFolder OR c:GcpProject)
  // The topmost level the account owns stands for the levels below it, which it owns by inheritance.
  AND NOT EXISTS { (c)-[:CHILD_OF]->(:Entity)<-[:ADMINISTERS]-(sa) }
MATCH p = SHORTEST 1 (s:Principal)-[:CAN_IMPERSONATE|FEDERATES_TO]->{1,6}(sa)
WHERE s <> sa AND NOT EXISTS { (s)-[:ADMINISTERS]->(c) }
WITH s, c, own, p, relationships(p) AS rels, nodes(p) AS ns
ORDER BY length(p), ns[size(ns) - 1].id
WITH s, c, head(collect({own: own, rels: rels, ns: ns})) AS best
WITH s, c, best.own AS own, best.rels AS rels, best.ns AS ns
WITH s, c, own, ns,
     [i IN range(0, size(rels) - 1) |
       {from: {id: ns[i].id, labels: labels(ns[i]), name: ns[i].name, scope: ns[i].scope},
        to: {id: ns[i + 1].id, labels: labels(ns[i + 1]), name: ns[i + 1].name, scope: ns[i + 1].scope},
        type: type(rels[i]), technique: rels[i].technique, levels: [], reason: rels[i].reason,
        evidence: rels[i].evidence, conditional: coalesce(rels[i].conditional, false)}] AS hops
WITH s, c, own, ns, hops + [{from: {id: last(ns).id, labels: labels(last(ns)), name: last(ns).name, scope: last(ns).scope},
                             to: {id: c.id, labels: labels(c), name: c.name, scope: c.scope},
                             type: 'ADMINISTERS', technique: null, levels: [], reason: own.reason,
                             evidence: own.evidence, conditional: coalesce(own.conditional, false)}] AS path
WITH s, c, ns, path, any(h IN path WHERE h.conditional) AS conditional
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: c.id, labels: labels(c), name: c.name, scope: c.scope} AS target,
       CASE WHEN conditional THEN 'medium' ELSE null END AS severity,
       coalesce(s.name, s.id) + ' can act as ' + last(ns).name + ', owner of ' + coalesce(c.name, c.id) + ' ('
         + split(c.id, ':')[1] + '), in ' + toString(size(path) - 1) + ' hop'
         + CASE WHEN size(path) = 2 THEN '' ELSE 's' END
         + CASE WHEN size(path) > 2 THEN ' via ' + reduce(v = '', n IN ns[1..size(ns) - 1] | v + CASE WHEN v = '' THEN '' ELSE ' → ' END + n.name) ELSE '' END
         + CASE WHEN conditional THEN ', only if undecided conditions hold' ELSE '' END AS message,
       path,
       conditional,
       [s.id, c.id] AS ids,
       {hops: size(path) - 1, owner: last(ns).id, nonHuman: coalesce(s.nonHuman, false),
        kinds: [h IN path | h.type]} AS facts
