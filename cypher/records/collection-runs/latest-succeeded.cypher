// name: latest-succeeded
// description: The latest successful collection run, the graph a report describes.
MATCH (r:CollectionRun)
WHERE r.status = 'succeeded'
RETURN r.id AS id, r.finishedAt AS finishedAt, r.asOf AS asOf
ORDER BY r.finishedAt DESC, r.id DESC
LIMIT 1
