// name: reachability-grants
// description: Every Grant hub (model/grants.ts) for the reachability summary: Neo4j's internal id (as a float) and the stable id, so routes through a hub can name it.
MATCH (g:Grant)
RETURN toFloat(id(g)) AS key, g.id AS id
