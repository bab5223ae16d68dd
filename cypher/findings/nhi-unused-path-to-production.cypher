// name: nhi-unused-path-to-production
// description: Routes of non-human identities to production data that the logs never show exercised over the window they cover: the identity's own access to the resource unused, or its assumption, federation or impersonation of an identity with access to it unused (the pair edge's use, stored or through a Grant hub, written by the activity summary). A one-hop route to a resource the identity used directly is left out. Routes of more hops are in `reachgraph unused-permissions`.
MATCH (p:Principal {nonHuman: true})
WHERE p.activityCoveredFrom IS NOT NULL
{{include activity/pair-use}}
WITH p, t AS r, pair AS e
WHERE r:Resource AND r.environment = 'production' AND e.type = 'CAN_ACCESS' AND e.used = false
  AND any(level IN e.levels WHERE level IN $levels)
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       null AS severity,
       p.name + ' can reach production data ' + coalesce(r.name, r.id) + ' and never did between '
         + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, evidence: e.evidence, conditional: e.conditional,
         used: false, useCount: 0}] AS path,
       e.conditional AS conditional,
       [p.id, r.id] AS ids,
       {hops: 0, unusedHop: 'CAN_ACCESS', levels: e.levels, coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
UNION ALL
MATCH (p:Principal {nonHuman: true})
WHERE p.activityCoveredFrom IS NOT NULL
{{include activity/pair-use}}
WITH p, t AS q, pair AS h
WHERE q:Principal AND h.type IN ['CAN_ASSUME', 'FEDERATES_TO', 'CAN_IMPERSONATE'] AND h.used = false AND p <> q
CALL (q) {
  WITH q AS p
  {{include activity/pair-use}}
  RETURN t AS r, pair AS e
}
WITH p, q, h, r, e
WHERE r:Resource AND r.environment = 'production' AND e.type = 'CAN_ACCESS' AND any(level IN e.levels WHERE level IN $levels)
  // The resource reached as used directly (stored or through a hub) is not a route the identity needs to give up.
  AND NOT EXISTS { (p)-[d:CAN_ACCESS]->(r) WHERE d.used = true }
  AND NOT EXISTS { (p)-[m:CAN_ACCESS]->(:Grant)-[:CAN_ACCESS]->(r) WHERE r.id IN coalesce(m.usedTargets, []) }
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       null AS severity,
       p.name + ' can reach production data ' + coalesce(r.name, r.id) + ' through ' + coalesce(q.name, q.id)
         + ' and never took that hop between ' + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: q.id, labels: labels(q), name: q.name, scope: q.scope},
         type: h.type, technique: null, levels: null, evidence: h.evidence, conditional: h.conditional,
         used: false, useCount: 0},
        {from: {id: q.id, labels: labels(q), name: q.name, scope: q.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, evidence: e.evidence, conditional: e.conditional}] AS path,
       h.conditional OR e.conditional AS conditional,
       [p.id, q.id, r.id] AS ids,
       {hops: 1, unusedHop: h.type, levels: e.levels, coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
