// name: detached-scopes
// description: Of the scopes $scopes, those marked as holding (or having held) a relationship none of whose ends is a node of the scope: their stale relationships cannot all be found from the scope's nodes.
MATCH (s:Scope) WHERE s.id IN $scopes AND s.detachedRelationships = true
RETURN collect(s.id) AS scopes
