// name: principals-by-id
// description: Principals already in the graph with one of the ids $ids, with their kind (the label among $kinds: labels come in no set order) and scope; an external principal of this run that names one of them is that principal.
UNWIND $ids AS id
MATCH (n:Principal {id: id})
RETURN n.id AS id, [l IN labels(n) WHERE l IN $kinds][0] AS kind, n.scope AS scope
