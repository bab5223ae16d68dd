// name: matching-nodes
// description: Without a reachability summary: the identities matching $who (in id order after $afterFrom, at most $limit) and every resource matching $what, by internal id (as a float) and id, for an in-memory route search over the whole graph.
CALL () {
  MATCH (s:Principal)
  WHERE ($afterFrom IS NULL OR s.id >= $afterFrom)
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
  WITH s ORDER BY s.id LIMIT toInteger($limit)
  RETURN collect(toFloat(id(s))) AS identities
}
CALL () {
  MATCH (r:Resource)
  WHERE ($what.ids IS NULL OR r.id IN $what.ids)
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
  RETURN collect(toFloat(id(r))) AS resources
}
RETURN identities, resources
