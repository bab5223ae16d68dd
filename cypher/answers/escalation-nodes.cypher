// name: escalation-nodes
// description: The nodes of the escalation question: every identity (a route passes through it) and every target a route may end at (the labels {{targets}}: AWS accounts, Kubernetes clusters, Kubernetes nodes, which are principals too, GCP organizations, folders and projects), by internal id (as a float) and id, with the target's kind (the label among $kinds) or null.
MATCH (n:Principal)
RETURN toFloat(id(n)) AS key, n.id AS id, true AS principal, n:{{targets}} AS resource,
       [l IN labels(n) WHERE l IN $kinds][0] AS kind
UNION ALL
MATCH (n:{{targets}}) WHERE NOT n:Principal
RETURN toFloat(id(n)) AS key, n.id AS id, false AS principal, true AS resource,
       [l IN labels(n) WHERE l IN $kinds][0] AS kind
