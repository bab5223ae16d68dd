// name: nhi-unused-path-to-production
// description: Routes of non-human identities to production data that the logs never show exercised over the window they cover: the identity's own access to the resource unused, or its assumption, federation or impersonation of an identity with access to it unused (used = false, written by the activity summary). A one-hop route to a resource the identity used directly is left out. Routes of more hops are in `reachgraph unused-permissions`.
MATCH (p:Principal {nonHuman: true})-[e:CAN_ACCESS]->(r:Resource {environment: 'production'})
WHERE e.used = false AND any(level IN e.levels WHERE level IN $levels)
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       null AS severity,
       p.name + ' can reach production data ' + coalesce(r.name, r.id) + ' and never did between '
         + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, reason: e.reason, evidence: e.evidence, conditional: coalesce(e.conditional, false)}] AS path,
       coalesce(e.conditional, false) AS conditional,
       [p.id, r.id] AS ids,
       {hops: 0, unusedHop: 'CAN_ACCESS', levels: e.levels, coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
UNION ALL
MATCH (p:Principal {nonHuman: true})-[h:CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(q:Principal)-[e:CAN_ACCESS]->(r:Resource {environment: 'production'})
WHERE h.used = false AND p <> q AND any(level IN e.levels WHERE level IN $levels)
  // The resource reached as used directly is not a route the identity needs to give up.
  AND NOT EXISTS { (p)-[d:CAN_ACCESS]->(r) WHERE d.used = true }
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       null AS severity,
       p.name + ' can reach production data ' + coalesce(r.name, r.id) + ' through ' + coalesce(q.name, q.id)
         + ' and never took that hop between ' + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: q.id, labels: labels(q), name: q.name, scope: q.scope},
         type: type(h), technique: null, levels: null, reason: h.reason, evidence: h.evidence, conditional: coalesce(h.conditional, false)},
        {from: {id: q.id, labels: labels(q), name: q.name, scope: q.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, reason: e.reason, evidence: e.evidence, conditional: coalesce(e.conditional, false)}] AS path,
       coalesce(h.conditional, false) OR coalesce(e.conditional, false) AS conditional,
       [p.id, q.id, r.id] AS ids,
       {hops: 1, unusedHop: type(h), levels: e.levels, coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
