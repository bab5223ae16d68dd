// name: route-reach-pairs
// description: The pairs the reach rules report, for their routes: every REACHES summary row from a non-human principal to a production resource, by internal ids (as floats), with the levels any route grants (allLevelMask) and the hop bound the summary was computed with.
MATCH (s:Principal {nonHuman: true})
{{include reachability/summary-rows}}
WITH * WHERE r.environment = 'production'
RETURN toFloat(id(s)) AS subject, toFloat(id(r)) AS target, x.allLevelMask AS mask, x.maxHops AS maxHops
