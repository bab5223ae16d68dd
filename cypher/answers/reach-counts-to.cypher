// name: reach-counts-to
// description: Counts of who can reach one resource: the identities that reach it, from the reachability summary (the rows reaches-to pages through, with the same bound and filter), grouped by what the explorer summarises: environment, sensitivity, provider, labels, non-human and type, the levels within the bound (allLevelMask, what a levels filter matches) and the answer's hops.
MATCH (r:{{label}} {id: $id})
{{include reachability/summary-rows}}
WITH * WHERE x.minHops <= $maxHops
  {{include answers/who-filter}}
RETURN coalesce(s.environment, 'unknown') AS environment, coalesce(s.sensitivity, 'unknown') AS sensitivity,
       s.provider AS provider, labels(s) AS labels, s.nonHuman AS nonHuman, s.nhiType AS nhiType,
       x.allLevelMask AS mask, x.hops AS hops, count(*) AS count
