// name: what-filter
// description: The resource filter ($what, src/answers/filters.ts, its token scope `within` included) as predicates on `r`, each starting with AND, for {{include answers/what-filter}} after a WHERE.
AND ($what.ids IS NULL OR r.id IN $what.ids)
  AND ($what.providers IS NULL OR r.provider IN $what.providers)
  AND ($what.nonHuman IS NULL OR r.nonHuman = $what.nonHuman)
  AND ($what.nhiTypes IS NULL OR r.nhiType IN $what.nhiTypes)
  AND ($what.environments IS NULL OR coalesce(r.environment, 'unknown') IN $what.environments)
  AND ($what.sensitivities IS NULL OR coalesce(r.sensitivity, 'unknown') IN $what.sensitivities)
  AND ($what.nameContains IS NULL OR toLower(r.name) CONTAINS $what.nameContains)
  AND ($what.kinds IS NULL OR any(label IN labels(r) WHERE label IN $what.kinds))
  AND ($what.scopes IS NULL OR r.scope IN $what.scopes)
  AND ($what.owners IS NULL OR r.owner IN $what.owners)
  AND ($what.owned IS NULL OR (r.owner IS NOT NULL) = $what.owned)
  AND all(f IN $what.properties WHERE r[f.key] = f.value)
  AND {{include answers/within-what}}
