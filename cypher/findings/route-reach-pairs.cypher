// name: route-reach-pairs
// description: The pairs the reach rules report, for their routes: every REACHES summary row from a non-human principal to a production resource, with the levels any route grants (allLevelMask) and the hop bound the summary was computed with.
MATCH (s:Principal {nonHuman: true})-[x:REACHES]->(r:Resource {environment: 'production'})
RETURN elementId(s) AS subject, elementId(r) AS target, x.allLevelMask AS mask, coalesce(x.maxHops, 6) AS maxHops
