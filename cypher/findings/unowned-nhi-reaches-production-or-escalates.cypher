// name: unowned-nhi-reaches-production-or-escalates
// description: Non-human identities without an owner (as nhi-without-owner) that reach production data (a REACHES summary row into a production resource granting read, write or permissions on any route, conditional or not) or hold a CAN_ESCALATE edge: one finding per identity, high when it escalates or can write or change permissions, else medium.
MATCH (s:Principal {nonHuman: true})
WHERE s.owner IS NULL
  AND NOT s:AwsServicePrincipal AND NOT s:AwsAccountRoot AND NOT s:ExternalPrincipal AND NOT s:Public
CALL (s) {
  OPTIONAL CALL (s) {
    {{include reachability/summary-rows}}
    WITH r, [i IN range(0, size($accessLevels) - 1) WHERE (x.allLevelMask / toInteger(2 ^ i)) % 2 = 1
             | $accessLevels[i]] AS levels
    WHERE r.environment = 'production' AND any(l IN levels WHERE l IN ['read', 'write', 'permissions'])
    RETURN r, any(l IN levels WHERE l IN ['write', 'permissions']) AS writes
  }
  WITH r, writes ORDER BY r.name
  RETURN collect(DISTINCT r.name) AS reached, any(w IN collect(writes) WHERE w) AS writes
}
WITH s, reached, writes, EXISTS { (s)-[:CAN_ESCALATE]->() } AS escalates
WHERE size(reached) > 0 OR escalates
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       null AS target,
       CASE WHEN escalates OR writes THEN 'high' ELSE 'medium' END AS severity,
       coalesce(s.nhiType, 'non-human identity') + ' ' + s.name + ' has no owner and '
         + CASE WHEN size(reached) > 0
                THEN 'reaches the data of ' + toString(size(reached)) + ' production resource'
                     + CASE WHEN size(reached) = 1 THEN '' ELSE 's' END
                     + CASE WHEN escalates THEN ' and ' ELSE '' END
                ELSE '' END
         + CASE WHEN escalates THEN 'can escalate its privileges' ELSE '' END AS message,
       [] AS path,
       false AS conditional,
       [s.id] AS ids,
       {productionResources: size(reached), examples: reached[0..5], escalates: escalates, writes: writes} AS facts
