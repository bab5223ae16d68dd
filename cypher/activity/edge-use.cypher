// name: activity-edge-use
// description: Write on each given edge whether the logged calls of its source used it over the covered window, how often and when last. Returns how many edges were written.
UNWIND $rows AS row
MATCH (p:Principal {id: row.from})-[e]->(m:Entity {id: row.to})
WHERE type(e) = row.type
SET e.used = row.used, e.useCount = row.useCount, e.lastUsed = CASE WHEN row.lastUsed IS NULL THEN null ELSE datetime(row.lastUsed) END
RETURN count(e) AS written
