// name: anomalies-environments
// description: The environment of the resources the days under review name (objects reduced to their bucket): first access to a production resource.
MATCH (r:Resource)
WHERE r.id IN $ids
RETURN r.id AS id, labels(r) AS labels, r.name AS name, r.scope AS scope, r.environment AS environment
