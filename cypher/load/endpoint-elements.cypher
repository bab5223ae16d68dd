// name: endpoint-elements
// description: The element id and scope of each of the given ids of one kind, null for an id that is not in the graph: relationship endpoints outside the inventory are found by it, a missing one explains rows that wrote nothing, and the scope tells whether a relationship to it has an end in its own scope.
UNWIND $ids AS id
OPTIONAL MATCH (n:{{label}} {id: id})
RETURN id, elementId(n) AS element, n.scope AS scope
