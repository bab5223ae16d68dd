// name: anomalies-principals
// description: The identities active on the days under review, as the graph knows them: kind, name, scope, whether they are non-human (the anomaly detectors run on non-human identities), and the provider's record of their last use and creation (a dormant identity the logs never saw before).
UNWIND $ids AS id
MATCH (n:Principal {id: id})
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.scope AS scope, n.nonHuman AS nonHuman,
       toString(n.lastUsedAt) AS lastUsedAt, toString(n.createdAt) AS createdAt
