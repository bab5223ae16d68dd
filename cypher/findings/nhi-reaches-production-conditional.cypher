// name: nhi-reaches-production-conditional
// description: Non-human identities whose strongest access to a production resource holds only under conditions that could not be decided offline (MFA, source IP, tags…): per REACHES row from a non-human principal to a production resource, the strongest level any route grants when no unconditional route grants it (or anything at all), with the route the route rule picks among those granting it (src/answers/route-rule.ts) and the undecided condition keys. Listed apart from the unconditional paths, never dropped. The routes ($routes: subject and target internal ids, level, unconditionalLevel, the route's edges as {from, to, type, hub?} in order (hub: through a Grant hub)) are chosen by the one route search (src/answers/route-search.ts, through src/reports/routes.ts); this query turns them into rows.
UNWIND $routes AS route
MATCH (s:Principal) WHERE id(s) = toInteger(route.subject)
MATCH (r:Resource) WHERE id(r) = toInteger(route.target)
{{include reachability/summary-rows}}
CALL (route) {
  UNWIND range(0, size(route.edges) - 1) AS i
  WITH i, route.edges[i] AS edge
  MATCH (a) WHERE id(a) = toInteger(edge.from)
  MATCH (b) WHERE id(b) = toInteger(edge.to)
  // A stored edge, or (edge.hub) the pair edge a Grant hub stands for (model/grants.ts): the target
  // leg's properties, both legs' evidence (JSON arrays joined), conditional if either leg is.
  OPTIONAL MATCH (a)-[direct]->(b) WHERE edge.hub IS NULL AND type(direct) = edge.type
  OPTIONAL MATCH (a)-[m]->(g:Grant)-[leg]->(b)
    WHERE edge.hub IS NOT NULL AND id(g) = toInteger(edge.hub) AND type(m) = edge.type AND type(leg) = edge.type
  WITH i, a, b, coalesce(direct, leg) AS rel, m
  WHERE rel IS NOT NULL
  WITH i, {start: a, end: b, type: type(rel), technique: rel.technique, levels: rel.levels,
           evidence: CASE WHEN m IS NULL THEN rel.evidence
                          ELSE left(m.evidence, size(m.evidence) - 1) + ',' + substring(rel.evidence, 1) END,
           conditional: coalesce(m.conditional, false) OR coalesce(rel.conditional, false),
           conditions: coalesce(m.conditions, [])
                       + [c IN coalesce(rel.conditions, []) WHERE NOT c IN coalesce(m.conditions, [])],
           // Use over the covered window: the stored edge's, or through a hub the member leg's record
           // of the targets it used (model/grants.ts pairUse decides the pair's).
           used: rel.used, useCount: rel.useCount, lastUsed: rel.lastUsed,
           memberUse: CASE WHEN m IS NULL THEN null
                           ELSE {used: m.used, usedTargets: m.usedTargets, usedTargetCounts: m.usedTargetCounts,
                                 usedTargetLastUsed: m.usedTargetLastUsed} END} AS rel
  ORDER BY i
  RETURN collect(rel) AS rels
}
// A relationship removed since the routes were read (a sync in between) drops the row, never a hop.
WITH * WHERE size(rels) = size(route.edges)
WITH s, r, x, route.level AS level, rels, route.unconditionalLevel AS unconditionalLevel
WITH s, r, x, level, rels, unconditionalLevel,
     reduce(keys = [], rel IN rels | keys + [k IN coalesce(rel.conditions, []) WHERE NOT k IN keys]) AS conditions
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       {id: r.id, labels: labels(r), name: r.name, scope: r.scope} AS target,
       CASE WHEN level IN ['permissions', 'write'] THEN 'medium' ELSE 'low' END AS severity,
       s.name + ' can ' + CASE level WHEN 'permissions' THEN 'change permissions of' WHEN 'tagging' THEN 'tag' ELSE level END
         + ' ' + r.name + ' (production, sensitivity ' + coalesce(r.sensitivity, 'unknown') + ') only if '
         + CASE WHEN size(conditions) = 0 THEN 'undecided conditions hold'
                ELSE 'conditions on ' + reduce(text = '', k IN conditions | text + CASE WHEN text = '' THEN '' ELSE ', ' END + k) + ' hold' END AS message,
       [rel IN rels | {from: {id: rel.start.id, labels: labels(rel.start), name: rel.start.name, scope: rel.start.scope},
                       to: {id: rel.end.id, labels: labels(rel.end), name: rel.end.name, scope: rel.end.scope},
                       type: rel.type, technique: rel.technique, levels: coalesce(rel.levels, []),
                       evidence: rel.evidence, conditional: coalesce(rel.conditional, false),
                       used: rel.used, useCount: rel.useCount, lastUsed: rel.lastUsed, memberUse: rel.memberUse}] AS path,
       true AS conditional,
       [s.id, r.id] AS ids,
       {level: level, unconditionalLevel: unconditionalLevel, conditions: conditions, hops: size(rels) - 1,
        sensitivity: coalesce(r.sensitivity, 'unknown')} AS facts
