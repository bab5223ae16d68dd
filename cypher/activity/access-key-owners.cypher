// name: activity-access-key-owners
// description: The IAM user owning each of the given long-term access keys, as the collected AwsAccessKey nodes say (their HAS_CREDENTIAL user). Keys the graph does not hold are left out.
UNWIND $ids AS id
MATCH (u:AwsUser)-[:HAS_CREDENTIAL]->(k:AwsAccessKey {id: id})
RETURN k.accessKeyId AS accessKeyId, u.id AS userArn
