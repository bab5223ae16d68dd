// name: nhi-unused-high-privilege
// description: Access of non-human identities that writes data or changes its permissions (levels write or permissions) and that the logs show unused over the window they cover (the pair edge's use, stored or through a Grant hub, written by the activity summary).
MATCH (p:Principal {nonHuman: true})
WHERE p.activityCoveredFrom IS NOT NULL
{{include activity/pair-use}}
WITH p, t AS r, pair AS e
WHERE r:Resource AND e.type = 'CAN_ACCESS' AND e.used = false AND any(level IN e.levels WHERE level IN $levels)
WITH p, e, r, [level IN e.levels WHERE level IN $levels] AS high
RETURN {id: p.id, labels: labels(p), name: p.name, scope: p.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       CASE WHEN coalesce(r.environment, 'unknown') = 'production' THEN 'high' ELSE null END AS severity,
       p.name + ' may ' + reduce(s = '', l IN high | s + CASE WHEN s = '' THEN '' ELSE ' and ' END + l) + ' ' + coalesce(r.name, r.id)
         + ' and did not use it between ' + toString(date(p.activityCoveredFrom)) + ' and ' + toString(date(p.activityCoveredTo)) AS message,
       [{from: {id: p.id, labels: labels(p), name: p.name, scope: p.scope}, to: {id: r.id, labels: labels(r), name: r.name, scope: r.scope},
         type: 'CAN_ACCESS', technique: null, levels: e.levels, evidence: e.evidence, conditional: e.conditional,
         used: false, useCount: 0}] AS path,
       e.conditional AS conditional,
       [p.id, r.id] AS ids,
       {levels: e.levels, actions: e.actions, environment: coalesce(r.environment, 'unknown'),
        coveredFrom: p.activityCoveredFrom, coveredTo: p.activityCoveredTo} AS facts
