// name: within-what
// description: Fragment ({{include answers/within-what}}): the resource `r` lies inside one of the scope units of `$what.within` (a scoped API token's reach; null: anywhere). The same predicate as `withinUnit` in src/answers/filters.ts.
($what.within IS NULL OR any(u IN $what.within WHERE
   (u.labels IS NULL OR any(label IN labels(r) WHERE label IN u.labels))
   AND (u.scope IS NULL OR r.scope = u.scope OR r.accountId = u.accountId)
   AND (u.namespace IS NULL OR r.namespace = u.namespace OR r.id = u.namespaceId)))
