// name: escalation-nodes
// description: The nodes of the escalation question: every identity (a route passes through it) and every AWS account (a route ends at it), by internal id (as a float) and id.
MATCH (n:Principal)
RETURN toFloat(id(n)) AS key, n.id AS id, true AS principal, n:AwsAccount AS resource
UNION ALL
MATCH (n:AwsAccount) WHERE NOT n:Principal
RETURN toFloat(id(n)) AS key, n.id AS id, false AS principal, true AS resource
