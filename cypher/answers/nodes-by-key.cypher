// name: nodes-by-key
// description: Nodes by internal id (as floats), with their properties, labels and element id: the end nodes of answers found by an in-memory search.
UNWIND $keys AS key
MATCH (n) WHERE id(n) = toInteger(key)
RETURN key, {props: properties(n), labels: labels(n), elementId: elementId(n)} AS node
