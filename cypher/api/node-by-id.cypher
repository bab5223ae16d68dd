// name: node-by-id
// description: One node by its id, through the unique id index of its kind (the kind is inferred from the id format).
MATCH (n:{{label}} {id: $id})
RETURN properties(n) AS props, labels(n) AS labels, elementId(n) AS elementId
