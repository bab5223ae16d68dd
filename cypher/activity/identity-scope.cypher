// name: activity-identity-scope
// description: The collection scope that owns one identity (its AWS account, GCP project or cluster): the coverage that "unused" holds over when the identity made no logged call.
MATCH (n:Principal {id: $id})
RETURN n.scope AS scope
