// name: reachability-relationship-count
// description: How many {{type}} relationships the graph holds (from Neo4j's count store, without a scan): the summary searches a just-loaded inventory's edges instead of reading the graph's only when, type by type, the two numbers are equal.
MATCH ()-[r:{{type}}]->()
RETURN count(r) AS count
