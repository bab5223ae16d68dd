// name: reaches-from
// description: A page of reachability summary rows starting at one identity (its blast radius), in resource id order after a cursor, the resources inside `$what.within` (null: any); levels are asked for as the level masks that grant one of them.
MATCH (s:{{label}} {id: $id})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  AND ($levelMasks IS NULL OR x.allLevelMask IN $levelMasks)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
  AND {{include answers/within-what}}
RETURN toFloat(id(s)) AS fromKey, toFloat(id(r)) AS toKey, {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levelMask AS levelMask, x.viaCode AS viaCode, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT toInteger($limit)
