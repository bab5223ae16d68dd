// name: principals-by-id
// description: Principals already in the graph with one of the ids $ids, with their kind and scope; an external principal of this run that names one of them is that principal.
UNWIND $ids AS id
MATCH (n:Principal {id: id})
RETURN n.id AS id, labels(n)[0] AS kind, n.scope AS scope
