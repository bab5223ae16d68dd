// name: nhi-unused-high-privilege
// description: Access of non-human identities that writes data or changes its permissions (levels write or permissions) and that the logs show unused over the window they cover (CAN_ACCESS used = false, written by the activity summary).
MATCH (p:Principal {nonHuman: true})-[e:CAN_ACCESS]->(r:Resource)
WHERE e.used = false AND any(level IN e.levels WHERE level IN $levels)
WITH p, e, r, [level IN e.levels WHERE level IN $levels] AS high
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       CASE WHEN coalesce(r.environment, 'unknown') = 'production' THEN 'high' ELSE null END AS severity,
       p.name + ' may ' + reduce(s = '', l IN high | s + CASE WHEN s = '' THEN '' ELSE ' and ' END + l) + ' ' + coalesce(r.name, r.id)
         + ' and did not use it between ' + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, reason: e.reason, evidence: e.evidence, conditional: coalesce(e.conditional, false)}] AS path,
       coalesce(e.conditional, false) AS conditional,
       [p.id, r.id] AS ids,
       {levels: e.levels, actions: e.actions, environment: coalesce(r.environment, 'unknown'),
        coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
