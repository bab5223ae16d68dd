// name: endpoint-elements
// description: The element id of each of the given ids of one kind, null for an id that is not in the graph: relationship endpoints outside the inventory are found by it, and a missing one explains rows that wrote nothing.
UNWIND $ids AS id
OPTIONAL MATCH (n:{{label}} {id: id})
RETURN id, elementId(n) AS element
