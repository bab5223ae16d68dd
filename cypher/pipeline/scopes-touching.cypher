// name: scopes-touching
// description: Other scopes that hold relationships to or from nodes of the scopes $scopes. When those scopes could not be collected, such relationships cannot be re-derived this run, so their own scope must not be cleaned either.
MATCH (n:Entity)-[r]-()
WHERE n.scope IN $scopes AND r.scope IS NOT NULL AND NOT r.scope IN $scopes
RETURN DISTINCT r.scope AS scope
ORDER BY scope
