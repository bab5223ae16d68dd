// name: route-edges
// description: The edges of one chosen route, in order, with their properties (evidence, conditions) and both end nodes: $edges is a list of {from, to, type, hub?} with the end nodes' internal ids (as floats); an edge with a `hub` is the pair edge through that Grant hub (model/grants.ts): its target leg's properties, its member leg's as `memberProps` and the hub's id as `grant`, to be combined as the model says. An edge removed since the route was chosen drops out.
UNWIND range(0, size($edges) - 1) AS i
WITH i, $edges[i] AS edge
MATCH (a) WHERE id(a) = toInteger(edge.from)
MATCH (b) WHERE id(b) = toInteger(edge.to)
OPTIONAL MATCH (a)-[direct]->(b) WHERE edge.hub IS NULL AND type(direct) = edge.type
OPTIONAL MATCH (a)-[m]->(g:Grant)-[leg]->(b)
  WHERE edge.hub IS NOT NULL AND id(g) = toInteger(edge.hub) AND type(m) = edge.type AND type(leg) = edge.type
WITH i, a, b, coalesce(direct, leg) AS e, m, g
WHERE e IS NOT NULL
WITH i, a, e, m, g, b ORDER BY i
RETURN collect({type: type(e), props: {{include graph/edge-properties}},
                memberProps: CASE WHEN m IS NULL THEN null ELSE properties(m) END, grant: g.id,
                from: {props: properties(a), labels: labels(a), elementId: elementId(a)},
                to: {props: properties(b), labels: labels(b), elementId: elementId(b)}}) AS edges
