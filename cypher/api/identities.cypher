// name: identities
// description: A page of principals matching an identity filter, in id order after a cursor (keyset pagination).
MATCH (s:Principal)
WHERE ($after IS NULL OR s.id > $after)
  AND ($who.ids IS NULL OR s.id IN $who.ids)
  AND ($who.providers IS NULL OR s.provider IN $who.providers)
  AND ($who.nonHuman IS NULL OR s.nonHuman = $who.nonHuman)
  AND ($who.nhiTypes IS NULL OR s.nhiType IN $who.nhiTypes)
  AND ($who.environments IS NULL OR coalesce(s.environment, 'unknown') IN $who.environments)
  AND ($who.nameContains IS NULL OR toLower(s.name) CONTAINS $who.nameContains)
  AND ($who.kinds IS NULL OR any(label IN labels(s) WHERE label IN $who.kinds))
  AND ($who.scopes IS NULL OR s.scope IN $who.scopes)
  AND ($who.owners IS NULL OR s.owner IN $who.owners)
  AND ($who.owned IS NULL OR (s.owner IS NOT NULL) = $who.owned)
  AND {{include answers/within-who}}
RETURN properties(s) AS props, labels(s) AS labels, elementId(s) AS elementId
ORDER BY s.id
LIMIT $limit
