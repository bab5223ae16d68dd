// name: reaches-from
// description: A page of reachability summary rows starting at one identity (its blast radius), matching the resource filter $what (its scope `$what.within` included), in resource id order after a cursor; levels are asked for as the level masks that grant one of them.
MATCH (s:{{label}} {id: $id})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  AND ($levelMasks IS NULL OR x.allLevelMask IN $levelMasks)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
  {{include answers/what-filter}}
RETURN toFloat(id(s)) AS fromKey, toFloat(id(r)) AS toKey, {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levelMask AS levelMask, x.viaCode AS viaCode, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT toInteger($limit)
