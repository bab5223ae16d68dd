// name: missing-endpoints
// description: Which ids of one kind are not in the graph; explains relationship rows that wrote nothing.
UNWIND $ids AS id
OPTIONAL MATCH (n:{{label}} {id: id})
WITH id, n WHERE n IS NULL
RETURN id
