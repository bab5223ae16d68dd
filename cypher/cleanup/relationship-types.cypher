// name: relationship-types
// description: The relationship types the store has a token for. A type's token exists from its first relationship on and is never removed, so a type without one has no relationship to clean up.
CALL db.relationshipTypes() YIELD relationshipType
RETURN collect(relationshipType) AS types
