// name: nhi-to-production
// description: Which non-human identities can reach production resources: every reachability summary row from a non-human identity to a production resource, with the access levels, the hops of the shortest route and whether every shortest route needs an undecided condition. The route itself, hop by hop with its evidence, is `reachgraph query reach --from nonHuman=true --to environment=production` (or the API's `paths`). $accessLevels is filled in by reachgraph.
MATCH (s:Principal {nonHuman: true})
{{include reachability/summary-rows}}
WITH * WHERE r.environment = 'production'
RETURN s.id AS identity, s.name AS identityName, s.nhiType AS nhiType, r.id AS resource, r.name AS resourceName,
       r.sensitivity AS sensitivity,
       [i IN range(0, size($accessLevels) - 1) WHERE (x.levelMask / toInteger(2 ^ i)) % 2 = 1 | $accessLevels[i]] AS levels,
       x.hops AS hops, x.conditional AS conditional
ORDER BY identityName, resourceName
