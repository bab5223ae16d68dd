// name: activity-identity-policies
// description: The IAM policy documents one identity is subject to: its own (inline, attached managed, permissions boundary) and its groups' policies, with how each is attached. The policy engine decides from them that a least-privilege proposal is never wider than what is granted.
MATCH (n:Principal {id: $id})
CALL (n) {
  MATCH (n)-[h:HAS_POLICY]->(p:AwsPolicy)
  RETURN p, h.attachments AS attachments
  UNION
  MATCH (n)-[:MEMBER_OF]->(:AwsGroup)-[h:HAS_POLICY]->(p:AwsPolicy)
  RETURN p, [a IN h.attachments WHERE a <> 'permissions-boundary'] AS attachments
}
RETURN p.id AS id, p.name AS name, p.policyType AS policyType, p.awsManaged AS awsManaged, p.document AS document, attachments
ORDER BY id
