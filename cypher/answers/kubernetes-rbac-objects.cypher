// name: kubernetes-rbac-objects
// description: The Kubernetes objects the RBAC questions (who-can, can-i) read, of every cluster or of $cluster: roles, ClusterRoles, bindings, service accounts, users with the groups they are MEMBER_OF, and nodes, each with its kind.
CALL () {
  MATCH (n:K8sRole) RETURN n, 'K8sRole' AS kind
  UNION ALL MATCH (n:K8sClusterRole) RETURN n, 'K8sClusterRole' AS kind
  UNION ALL MATCH (n:K8sRoleBinding) RETURN n, 'K8sRoleBinding' AS kind
  UNION ALL MATCH (n:K8sClusterRoleBinding) RETURN n, 'K8sClusterRoleBinding' AS kind
  UNION ALL MATCH (n:K8sServiceAccount) RETURN n, 'K8sServiceAccount' AS kind
  UNION ALL MATCH (n:K8sUser) RETURN n, 'K8sUser' AS kind
  UNION ALL MATCH (n:K8sNode) RETURN n, 'K8sNode' AS kind
}
WITH n, kind WHERE $cluster IS NULL OR n.cluster = $cluster
OPTIONAL MATCH (n)-[:MEMBER_OF]->(g:K8sGroup)
RETURN kind, properties(n) AS props, [x IN collect(g.name) WHERE x IS NOT NULL] AS groups
