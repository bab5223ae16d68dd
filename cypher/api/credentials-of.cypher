// name: credentials-of
// description: The credentials a principal owns (metadata only: key ids, status, age, last use; never secret material).
MATCH (:{{label}} {id: $id})-[:HAS_CREDENTIAL]->(c:Credential)
RETURN properties(c) AS props, labels(c) AS labels, elementId(c) AS elementId
ORDER BY c.id
