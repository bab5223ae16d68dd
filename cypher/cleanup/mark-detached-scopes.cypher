// name: mark-detached-scopes
// description: Mark scopes as holding relationships none of whose ends is a node of the scope, before such a relationship is written, so that cleanup of the scope also scans for them (stale-detached-relationships). The mark stays.
UNWIND $scopes AS id
MERGE (s:Scope {id: id})
SET s.detachedRelationships = true
