// name: reaches-to
// description: A page of reachability summary rows ending at one resource (who can reach it), in identity id order after a cursor.
MATCH (r:{{label}} {id: $id})<-[x:REACHES]-(s:Principal)
WHERE x.hops <= $maxHops
  AND ($levels IS NULL OR any(level IN coalesce(x.allLevels, x.levels) WHERE level IN $levels))
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
RETURN {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode, {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, x.hops AS hops, x.levels AS levels, x.viaTypes AS viaTypes, x.conditional AS conditional
ORDER BY s.id, r.id
LIMIT $limit
