// name: resources
// description: A page of resources matching a resource filter, in id order after a cursor (keyset pagination).
MATCH (r:Resource)
WHERE ($after IS NULL OR r.id > $after)
  AND ($what.ids IS NULL OR r.id IN $what.ids)
  AND ($what.providers IS NULL OR r.provider IN $what.providers)
  AND ($what.environments IS NULL OR coalesce(r.environment, 'unknown') IN $what.environments)
  AND ($what.sensitivities IS NULL OR coalesce(r.sensitivity, 'unknown') IN $what.sensitivities)
  AND ($what.nameContains IS NULL OR toLower(r.name) CONTAINS $what.nameContains)
  AND ($what.kinds IS NULL OR any(label IN labels(r) WHERE label IN $what.kinds))
  AND ($what.scopes IS NULL OR r.scope IN $what.scopes)
  AND ($what.owners IS NULL OR r.owner IN $what.owners)
  AND ($what.owned IS NULL OR (r.owner IS NOT NULL) = $what.owned)
  AND {{include answers/within-what}}
RETURN properties(r) AS props, labels(r) AS labels, elementId(r) AS elementId
ORDER BY r.id
LIMIT $limit
