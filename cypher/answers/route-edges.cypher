// name: route-edges
// description: The edges of one chosen route, in order, with their properties (reason, evidence, conditions) and both end nodes: $edges is a list of {from, to, type} with the end nodes' internal ids (as floats); an edge removed since the route was chosen drops out.
UNWIND range(0, size($edges) - 1) AS i
WITH i, $edges[i] AS edge
MATCH (a) WHERE id(a) = toInteger(edge.from)
MATCH (b) WHERE id(b) = toInteger(edge.to)
MATCH (a)-[rel]->(b) WHERE type(rel) = edge.type
WITH i, a, rel, b ORDER BY i
RETURN collect({type: type(rel), props: properties(rel),
                from: {props: properties(a), labels: labels(a), elementId: elementId(a)},
                to: {props: properties(b), labels: labels(b), elementId: elementId(b)}}) AS edges
