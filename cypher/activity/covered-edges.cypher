// name: activity-covered-edges
// description: The access, assume, federation, impersonation and runs-as edges of the identities of the covered scopes, as pair edges: a stored edge to its target (`hub` null), or through a Grant hub one row per (member, target) the hub stands for, with the hub's id (model/grants.ts). The edges the activity summary marks used or not.
UNWIND $scopes AS scope
MATCH (p:Entity)
WHERE p.scope = scope AND p:Principal
MATCH (p)-[e:{{usedTypes}}]->(m:Entity)
OPTIONAL MATCH (m)-[leg]->(t:Entity) WHERE m:Grant AND type(leg) = type(e)
WITH p, e, m, t WHERE NOT m:Grant OR t IS NOT NULL
RETURN p.id AS from, type(e) AS type, CASE WHEN m:Grant THEN t.id ELSE m.id END AS to,
       CASE WHEN m:Grant THEN m.id ELSE null END AS hub
