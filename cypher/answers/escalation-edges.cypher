// name: escalation-edges
// description: The edges of the escalation question: every hop edge ({{hopTypes}}) out of an identity into an identity or an account (a CAN_ESCALATE into an account is a self-escalation), and every ADMINISTERS edge, by the end nodes' internal ids (as floats).
MATCH (a:Principal)-[h:{{hopTypes}}|ADMINISTERS]->(b)
WHERE b:Principal OR b:AwsAccount
RETURN toFloat(id(a)) AS from, toFloat(id(b)) AS to, type(h) AS type, coalesce(h.conditional, false) AS conditional
