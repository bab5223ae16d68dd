// name: escalation-route-hops
// description: Fragment of the escalation rules (included, never run alone): per `route` of $routes (src/answers/questions.ts escalationRoutes), its edges as stored, in order, with their evidence (`rels`); a route whose relationship was removed since the routes were read (a sync in between) is dropped, never a hop.
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
