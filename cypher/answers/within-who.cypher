// name: within-who
// description: Fragment ({{include answers/within-who}}): the principal `s` lies inside one of the scope units of `$who.within` (a scoped API token's reach; null: anywhere). The same predicate as `withinUnit` in src/answers/filters.ts.
($who.within IS NULL OR any(u IN $who.within WHERE
   (u.labels IS NULL OR any(label IN labels(s) WHERE label IN u.labels))
   AND (u.scope IS NULL OR s.scope = u.scope OR s.accountId = u.accountId)
   AND (u.namespace IS NULL OR s.namespace = u.namespace OR s.id = u.namespaceId)))
