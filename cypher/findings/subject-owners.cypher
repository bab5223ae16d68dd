// name: subject-owners
// description: The owner of each finding subject in $ids (docs/owners.md): a principal's own owner, or a credential's holder's (HAS_CREDENTIAL); subjects without an owner are left out.
UNWIND $ids AS id
OPTIONAL MATCH (p:Principal {id: id})
OPTIONAL MATCH (holder:Principal)-[:HAS_CREDENTIAL]->(c:Credential {id: id})
WITH id, coalesce(p, holder) AS o
WHERE o.owner IS NOT NULL
RETURN id, o.owner AS owner, coalesce(o.ownerAlertRoute, o.owner) AS route
