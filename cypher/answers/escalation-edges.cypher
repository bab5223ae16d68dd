// name: escalation-edges
// description: The edges of the escalation question: every hop edge ({{hopTypes}}) out of an identity into an identity or a target ({{targets}}: a CAN_ESCALATE into an account or a cluster is a self-escalation), and every ADMINISTERS edge, by the end nodes' internal ids (as floats). Grant hubs' legs (model/grants.ts) come once each, `leg` saying which side (member, target) and `hub` naming the hub; the search sees the pair edges they stand for.
MATCH (a:Principal)-[h:{{hopTypes}}|ADMINISTERS]->(b)
WHERE b:Principal OR b:{{targets}}
RETURN toFloat(id(a)) AS from, toFloat(id(b)) AS to, type(h) AS type, coalesce(h.conditional, false) AS conditional,
       null AS leg, null AS hub, null AS hubId
UNION ALL
MATCH (a:Principal)-[h:{{hopTypes}}|ADMINISTERS]->(g:Grant)
RETURN toFloat(id(a)) AS from, toFloat(id(g)) AS to, type(h) AS type, coalesce(h.conditional, false) AS conditional,
       'member' AS leg, toFloat(id(g)) AS hub, g.id AS hubId
UNION ALL
MATCH (g:Grant)-[h:{{hopTypes}}|ADMINISTERS]->(b)
WHERE b:Principal OR b:{{targets}}
RETURN toFloat(id(g)) AS from, toFloat(id(b)) AS to, type(h) AS type, coalesce(h.conditional, false) AS conditional,
       'target' AS leg, toFloat(id(g)) AS hub, g.id AS hubId
