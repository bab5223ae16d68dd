// name: reaches
// description: A page of reachability summary rows (identity REACHES resource) matching both filters and the hop bound, in (identity id, resource id) order after a cursor. Identities are walked in the order of the Principal id index (the hint: left alone, the planner scans every REACHES row and sorts them), so a page stops as soon as it is full; levels are asked for as the level masks that grant one of them.
MATCH (s:Principal)
USING INDEX s:Principal(id)
WHERE s.id >= coalesce($afterFrom, '')
  AND ($who.ids IS NULL OR s.id IN $who.ids)
  AND ($who.providers IS NULL OR s.provider IN $who.providers)
  AND ($who.nonHuman IS NULL OR s.nonHuman = $who.nonHuman)
  AND ($who.sensitivities IS NULL OR coalesce(s.sensitivity, 'unknown') IN $who.sensitivities)
  AND ($who.nhiTypes IS NULL OR s.nhiType IN $who.nhiTypes)
  AND ($who.environments IS NULL OR coalesce(s.environment, 'unknown') IN $who.environments)
  AND ($who.nameContains IS NULL OR toLower(s.name) CONTAINS $who.nameContains)
  AND ($who.kinds IS NULL OR any(label IN labels(s) WHERE label IN $who.kinds))
  AND ($who.scopes IS NULL OR s.scope IN $who.scopes)
  AND ($who.owners IS NULL OR s.owner IN $who.owners)
  AND ($who.owned IS NULL OR (s.owner IS NOT NULL) = $who.owned)
  AND all(f IN $who.properties WHERE s[f.key] = f.value)
  AND {{include answers/within-who}}
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  AND ($levelMasks IS NULL OR x.allLevelMask IN $levelMasks)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR r.id > $afterTo)
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
RETURN toFloat(id(s)) AS fromKey, toFloat(id(r)) AS toKey, {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levelMask AS levelMask, x.viaCode AS viaCode, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT toInteger($limit)
