// name: nhi-without-owner
// description: Non-human identities that owner resolution (src/owners/resolve.ts) gave no owner: no owners file rule, tag, label, annotation, CI repository or scope owner names one. The kinds that stand for a provider or for anyone (AwsServicePrincipal, AwsAccountRoot, ExternalPrincipal, Public: NOT_OWNED in resolve.ts) are never owned, so never reported.
MATCH (s:Principal {nonHuman: true})
WHERE s.owner IS NULL
  AND NOT s:AwsServicePrincipal AND NOT s:AwsAccountRoot AND NOT s:ExternalPrincipal AND NOT s:Public
RETURN {id: s.id, labels: labels(s), name: s.name, scope: s.scope} AS subject,
       null AS target,
       null AS severity,
       coalesce(s.nhiType, 'non-human identity') + ' ' + s.name
         + ' has no owner: no owners file rule, tag, label, CI repository or scope owner names one' AS message,
       [] AS path,
       false AS conditional,
       [s.id] AS ids,
       {nhiType: s.nhiType, provider: s.provider, environment: s.environment} AS facts
