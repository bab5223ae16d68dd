// name: who-filter
// description: The identity filter ($who, src/answers/filters.ts, its token scope `within` included) as predicates on `s`, each starting with AND, for {{include answers/who-filter}} after a WHERE.
AND ($who.ids IS NULL OR s.id IN $who.ids)
  AND ($who.providers IS NULL OR s.provider IN $who.providers)
  AND ($who.nonHuman IS NULL OR s.nonHuman = $who.nonHuman)
  AND ($who.nhiTypes IS NULL OR s.nhiType IN $who.nhiTypes)
  AND ($who.environments IS NULL OR coalesce(s.environment, 'unknown') IN $who.environments)
  AND ($who.sensitivities IS NULL OR coalesce(s.sensitivity, 'unknown') IN $who.sensitivities)
  AND ($who.nameContains IS NULL OR toLower(s.name) CONTAINS $who.nameContains)
  AND ($who.kinds IS NULL OR any(label IN labels(s) WHERE label IN $who.kinds))
  AND ($who.scopes IS NULL OR s.scope IN $who.scopes)
  AND ($who.owners IS NULL OR s.owner IN $who.owners)
  AND ($who.owned IS NULL OR (s.owner IS NOT NULL) = $who.owned)
  AND all(f IN $who.properties WHERE s[f.key] = f.value)
  AND {{include answers/within-who}}
