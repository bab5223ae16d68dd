// name: activity-covered-edges
// description: The access, assume, federation and impersonation edges of the identities of the covered scopes, directly to their targets (never a Grant hub: a hub's edges stand for many pairs): the edges the activity summary marks used or not.
UNWIND $scopes AS scope
MATCH (p:Entity)
WHERE p.scope = scope AND p:Principal
MATCH (p)-[e:CAN_ACCESS|CAN_ASSUME|FEDERATES_TO|CAN_IMPERSONATE]->(m:Entity)
WHERE NOT m:Grant
RETURN p.id AS from, type(e) AS type, m.id AS to
