// name: gcp-iam-objects
// description: What the GCP who-can and can-i questions decide from: organizations, folders and projects (with their allow and deny policies and the parent they are CHILD_OF), service accounts and data resources (with their allow policies), the roles bindings use (with their permissions), and the users, groups and service accounts with the groups they are MEMBER_OF, each with its kind; groups whose membership was collected (membership: complete, partial or unreadable) even without members.
CALL () {
  MATCH (n:GcpOrganization) RETURN n, 'GcpOrganization' AS kind
  UNION ALL MATCH (n:GcpFolder) RETURN n, 'GcpFolder' AS kind
  UNION ALL MATCH (n:GcpProject) RETURN n, 'GcpProject' AS kind
  UNION ALL MATCH (n:GcpServiceAccount) RETURN n, 'GcpServiceAccount' AS kind
  UNION ALL MATCH (n:GcpStorageBucket) RETURN n, 'GcpStorageBucket' AS kind
  UNION ALL MATCH (n:GcpBigQueryDataset) RETURN n, 'GcpBigQueryDataset' AS kind
  UNION ALL MATCH (n:GcpSecret) RETURN n, 'GcpSecret' AS kind
  UNION ALL MATCH (n:GcpKmsKey) RETURN n, 'GcpKmsKey' AS kind
  UNION ALL MATCH (n:GcpPubSubTopic) RETURN n, 'GcpPubSubTopic' AS kind
  UNION ALL MATCH (n:GcpSqlInstance) RETURN n, 'GcpSqlInstance' AS kind
  UNION ALL MATCH (n:GcpRole) RETURN n, 'GcpRole' AS kind
  UNION ALL MATCH (n:GcpUser) WHERE EXISTS { (n)-[:MEMBER_OF]->(:GcpGroup) } RETURN n, 'GcpUser' AS kind
  UNION ALL MATCH (n:GcpGroup) WHERE n.membership IS NOT NULL OR EXISTS { (n)-[:MEMBER_OF]->(:GcpGroup) } RETURN n, 'GcpGroup' AS kind
}
OPTIONAL MATCH (n)-[:CHILD_OF]->(p)
WITH n, kind, p.id AS parent
OPTIONAL MATCH (n)-[:MEMBER_OF]->(g:GcpGroup)
RETURN kind, properties(n) AS props, parent, [x IN collect(g.id) WHERE x IS NOT NULL] AS groups
