// name: graph-counts
// description: How many nodes and relationships the graph holds (for `reachgraph db status`).
CALL { MATCH (n) RETURN count(n) AS nodes }
CALL { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
