// name: paths-on-demand
// description: Without a reachability summary: every shortest route (bounded, typed, directed) from each matching identity to each matching resource, summarised as the summary rows are (fewest hops, levels granted at that distance, conditional when every shortest route is), a page at a time in (identity id, resource id) order. Slow on large graphs; the transaction timeout bounds it.
MATCH p = ALL SHORTEST (s:Principal)
  (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE WHERE type(h) IN $via]->()){0,10}
  (:Principal)-[a:CAN_ACCESS WHERE $levels IS NULL OR any(level IN a.levels WHERE level IN $levels)]->(r:Resource)
WHERE length(p) <= $maxHops + 1
  AND ($fromId IS NULL OR s.id = $fromId)
  AND ($toId IS NULL OR r.id = $toId)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
  AND ($who.providers IS NULL OR s.provider IN $who.providers)
  AND ($who.nonHuman IS NULL OR s.nonHuman = $who.nonHuman)
  AND ($who.nhiTypes IS NULL OR s.nhiType IN $who.nhiTypes)
  AND ($who.environments IS NULL OR coalesce(s.environment, 'unknown') IN $who.environments)
  AND ($who.nameContains IS NULL OR toLower(s.name) CONTAINS $who.nameContains)
  AND ($who.kinds IS NULL OR any(label IN labels(s) WHERE label IN $who.kinds))
  AND ($who.scopes IS NULL OR s.scope IN $who.scopes)
  AND ($what.providers IS NULL OR r.provider IN $what.providers)
  AND ($what.environments IS NULL OR coalesce(r.environment, 'unknown') IN $what.environments)
  AND ($what.sensitivities IS NULL OR coalesce(r.sensitivity, 'unknown') IN $what.sensitivities)
  AND ($what.nameContains IS NULL OR toLower(r.name) CONTAINS $what.nameContains)
  AND ($what.kinds IS NULL OR any(label IN labels(r) WHERE label IN $what.kinds))
  AND ($what.scopes IS NULL OR r.scope IN $what.scopes)
WITH s, r, length(p) - 1 AS hops, a.levels AS levels, [rel IN relationships(p) | type(rel)][..-1] AS via,
     any(rel IN relationships(p) WHERE rel.conditional) AS conditionalRoute
WITH s, r, hops, collect(levels) AS levelSets, collect(via) AS vias, collect(conditionalRoute) AS conditionalRoutes
ORDER BY s.id, r.id
LIMIT $limit
RETURN {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode,
       {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, hops,
       reduce(granted = [], set IN levelSets | granted + [level IN set WHERE NOT level IN granted]) AS levels,
       head(vias) AS viaTypes, all(c IN conditionalRoutes WHERE c) AS conditional
