// name: reach-counts-from
// description: Counts of one identity's blast radius: the resources it reaches, from the reachability summary (the rows reaches-from pages through, with the same bound and filter), grouped by what the explorer summarises: environment, sensitivity, provider, labels, non-human and type, the levels within the bound (allLevelMask, what a levels filter matches) and the answer's hops.
MATCH (s:{{label}} {id: $id})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  {{include answers/what-filter}}
RETURN coalesce(r.environment, 'unknown') AS environment, coalesce(r.sensitivity, 'unknown') AS sensitivity,
       r.provider AS provider, labels(r) AS labels, r.nonHuman AS nonHuman, r.nhiType AS nhiType,
       x.allLevelMask AS mask, x.hops AS hops, count(*) AS count
