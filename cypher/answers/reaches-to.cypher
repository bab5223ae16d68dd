// name: reaches-to
// description: A page of reachability summary rows ending at one resource (who can reach it), matching the identity filter $who (its scope `$who.within` included), in identity id order after a cursor; levels are asked for as the level masks that grant one of them.
MATCH (r:{{label}} {id: $id})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  AND ($levelMasks IS NULL OR x.allLevelMask IN $levelMasks)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
  {{include answers/who-filter}}
RETURN toFloat(id(s)) AS fromKey, toFloat(id(r)) AS toKey, {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levelMask AS levelMask, x.viaCode AS viaCode, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT toInteger($limit)
