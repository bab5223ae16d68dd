import type { CollectionIssue } from '../../model/collection-issue.js';
import type { InventoryNode, InventoryRelationship } from '../../model/inventory.js';
import type { CrossProviderRule, CrossProviderUnion } from '../../pipeline/cross-provider.js';
import { globMatches } from '../aws-iam/engine/wildcard.js';
import { hostPath } from './eks-clusters.js';

const SA_ID = /^k8s:([^:]+):([^:]+):sa:([^:]+)$/;
const ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn=';

/**
 * EKS IAM roles for service accounts, decided from the trust side: a pod's projected token carries
 * `iss` = the cluster's OIDC issuer and `sub` = `system:serviceaccount:<ns>:<name>`, and the role
 * admits it exactly when its trust policy admits that issuer and subject
 * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html). The AWS
 * analysis already turned every trust into OidcSubject -[FEDERATES_TO]-> AwsRole, with the subject
 * pattern as written (wildcards included) and the evidence; this rule gives every service account
 * of a cluster with that issuer whose name the pattern matches its own FEDERATES_TO edge to the role,
 * with the trust's evidence and the match. A wildcard pattern is kept on the edge (`subjectPattern`)
 * so answers show how wide the trust is. The `eks.amazonaws.com/role-arn` annotation only tells the
 * pod which role to ask for; it grants nothing, and an annotation naming a role that does not admit
 * the account is reported.
 */
export const eksIrsa: CrossProviderRule = {
  name: 'eks-irsa',
  description:
    'Kubernetes service accounts → AWS roles whose trust policy admits the cluster’s OIDC issuer with the account’s subject (EKS IRSA).',
  requires: ['aws', 'kubernetes'],
  emits: ['FEDERATES_TO'],
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
  ],
  derive(union: CrossProviderUnion) {
    const issuers = new Map<string, string>(); // issuer host/path → cluster
    for (const node of union.nodes)
      if (node.kind === 'K8sCluster' && typeof node.properties?.oidcIssuer === 'string')
        issuers.set(hostPath(node.properties.oidcIssuer), node.id.slice('k8s:'.length));
    const accounts = union.nodes.filter((n) => n.kind === 'K8sServiceAccount');
    const subjects = new Map<string, InventoryNode>();
    for (const node of union.nodes)
      if (node.kind === 'OidcSubject' && typeof node.properties?.issuer === 'string')
        subjects.set(node.id, node);

    const edges: InventoryRelationship[] = [];
    for (const trust of union.relationships) {
      if (trust.type !== 'FEDERATES_TO') continue;
      const subject = subjects.get(trust.from);
      if (!subject) continue;
      const cluster = issuers.get(hostPath(String(subject.properties?.issuer)));
      const pattern = String(subject.properties?.subject ?? '');
      if (!cluster) continue;
      for (const account of accounts) {
        const m = SA_ID.exec(account.id);
        if (!m || m[1] !== cluster) continue;
        const sub = `system:serviceaccount:${m[2]}:${m[3]}`;
        if (!globMatches(pattern, sub)) continue;
        const wildcard = /[*?]/.test(pattern);
        edges.push({
          type: 'FEDERATES_TO',
          from: account.id,
          to: trust.to,
          ...(trust.toKind ? { toKind: trust.toKind } : {}),
          properties: { ...trust.properties, ...(wildcard ? { subjectPattern: pattern } : {}) },
          evidence: [
            ...trust.evidence,
            {
              source: 'trust-policy',
              ref: trust.evidence[0]?.ref ?? trust.to,
              ...(trust.evidence[0]?.statement ? { statement: trust.evidence[0].statement } : {}),
              reason: `cluster ${cluster}'s OIDC issuer signs tokens for ${sub}, which the trusted subject ${pattern}${wildcard ? ' (a wildcard)' : ''} matches`,
            },
          ],
        });
      }
    }
    return { edges, issues: annotationMismatches(accounts, edges) };
  },
};

/** Service accounts whose role-arn annotation names a role that does not admit them. */
function annotationMismatches(accounts: InventoryNode[], edges: InventoryRelationship[]): CollectionIssue[] {
  const admitted = new Set(edges.map((e) => `${e.from}\u0000${e.to}`));
  const issues: CollectionIssue[] = [];
  for (const account of accounts) {
    const annotations = account.properties?.annotations;
    const entry = Array.isArray(annotations)
      ? annotations.find((a): a is string => typeof a === 'string' && a.startsWith(ROLE_ANNOTATION))
      : undefined;
    if (!entry) continue;
    const roleArn = entry.slice(ROLE_ANNOTATION.length);
    if (!admitted.has(`${account.id}\u0000${roleArn}`))
      issues.push({
        severity: 'warning',
        source: 'cross-provider:eks-irsa',
        object: account.id,
        message: `service account ${account.id} is annotated with role ${roleArn}, but that role's trust policy does not admit it through the cluster's OIDC issuer (or the role was not collected): pods get no credentials from the annotation alone`,
      });
  }
  return issues;
}
