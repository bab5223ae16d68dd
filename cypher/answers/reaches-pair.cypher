// name: reaches-pair
// description: The reachability summary row of one identity and one resource (the answer for the pair, with its route's hop types), or none; levels are asked for as the level masks that grant one of them.
MATCH (s:{{fromLabel}} {id: $fromId})
MATCH (r:{{toLabel}} {id: $toId})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  AND ($levelMasks IS NULL OR x.allLevelMask IN $levelMasks)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
RETURN toFloat(id(s)) AS fromKey, toFloat(id(r)) AS toKey, {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levelMask AS levelMask, x.viaCode AS viaCode, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT toInteger($limit)
