// name: reachability-nodes
// description: Every principal and resource for the reachability summary: Neo4j's internal id (as a float, which decodes without an Integer object per row), the stable id, what it is, and a resource's scope.
MATCH (n:Principal)
RETURN toFloat(id(n)) AS key, n.id AS id, true AS principal, n:Resource AS resource, n.scope AS scope
UNION ALL
MATCH (n:Resource) WHERE NOT n:Principal
RETURN toFloat(id(n)) AS key, n.id AS id, false AS principal, true AS resource, n.scope AS scope
