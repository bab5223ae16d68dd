import type { AwsRoleData } from '../../model/aws/environment.js';
import { type Statement, statementLabel } from '../../model/aws/policy.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { InventoryRelationship } from '../../model/inventory.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type { CrossProviderRule, CrossProviderUnion } from '../../pipeline/cross-provider.js';
import { awsProvider } from '../../providers/aws/index.js';
import { kubernetesProvider } from '../../providers/kubernetes/index.js';
import { globMatches } from '../aws-iam/engine/wildcard.js';
import { eksClusterFor, eksClustersOf } from './eks-clusters.js';

const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/**
 * EKS Pod Identity (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html): an
 * association names a service account and a role; the EKS Pod Identity Agent gives that account's
 * pods the role's credentials, which works only when the role's trust policy allows the service
 * principal `pods.eks.amazonaws.com` both `sts:AssumeRole` and `sts:TagSession`
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html). Each association whose role
 * admits it gives the service account FEDERATES_TO the role, with the association and the trust
 * statements as evidence; trust conditions (on the session tags EKS sets: cluster, namespace,
 * service account) cannot be decided offline, so such an edge is conditional. An association whose
 * role does not trust the service, or was not collected, gives no edge and is reported.
 */
export const eksPodIdentity: CrossProviderRule = {
  name: 'eks-pod-identity',
  description:
    'Kubernetes service accounts → the AWS roles an EKS Pod Identity association gives their pods, when the role trusts pods.eks.amazonaws.com.',
  requires: ['aws', 'kubernetes'],
  emits: ['FEDERATES_TO'],
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html',
  ],
  derive(union: CrossProviderUnion) {
    const kubernetes = union.dataOf(kubernetesProvider);
    const eks = eksClustersOf(union);
    if (!kubernetes || eks.length === 0) return { edges: [] };
    const roles = new Map<string, AwsRoleData>();
    for (const account of union.dataOf(awsProvider)?.environment.accounts ?? [])
      for (const role of account.roles) roles.set(role.arn, role);
    const edges: InventoryRelationship[] = [];
    const issues: CollectionIssue[] = [];
    for (const cluster of kubernetes.environment.clusters) {
      const matched = eksClusterFor(cluster, eks);
      for (const association of matched?.podIdentityAssociations ?? []) {
        const account = k8sIds.serviceAccount(
          cluster.name,
          association.namespace,
          association.serviceAccount,
        );
        const role = roles.get(association.roleArn);
        const trust = role ? podIdentityTrust(role.trustPolicy.document.Statement) : undefined;
        const ref =
          association.associationArn ?? `${matched?.arn}/podidentityassociation/${association.associationId}`;
        if (!role || !trust) {
          issues.push({
            severity: 'warning',
            source: 'cross-provider:eks-pod-identity',
            object: ref,
            message: role
              ? `pod identity association ${association.associationId} gives ${account} the role ${role.arn}, whose trust policy does not allow ${POD_IDENTITY_SERVICE} both sts:AssumeRole and sts:TagSession: its pods get no credentials from it`
              : `pod identity association ${association.associationId} gives ${account} the role ${association.roleArn}, which was not collected: whether it trusts ${POD_IDENTITY_SERVICE} is unknown`,
          });
          continue;
        }
        const conditions = [
          ...new Set(trust.flatMap((s) => Object.values(s.Condition ?? {}).flatMap(Object.keys))),
        ];
        const reason = `pod identity association ${association.associationId} of cluster ${matched?.name} gives ${association.namespace}/${association.serviceAccount} the role ${role.name}, which trusts ${POD_IDENTITY_SERVICE}`;
        edges.push({
          type: 'FEDERATES_TO',
          from: account,
          to: role.arn,
          properties: conditions.length ? { conditional: true, conditions } : {},
          evidence: [
            { source: 'declared', ref, statement: `association ${association.associationId}`, reason },
            {
              source: 'trust-policy',
              ref: role.trustPolicy.id,
              statement: trust.map(statementLabel).join(', '),
              reason: `the trust policy of ${role.name} allows ${POD_IDENTITY_SERVICE} ${ACTIONS.join(' and ')}`,
              ...(conditions.length ? { conditions } : {}),
            },
          ],
        });
      }
    }
    return { edges, issues };
  },
};

/** The Allow statements that admit the Pod Identity service, when together they allow both actions and no Deny refuses it. */
function podIdentityTrust(statements: readonly Statement[]): Statement[] | undefined {
  const admits = (s: Statement) =>
    s.Principal === '*' ||
    (s.Principal?.Service ?? []).some((p) => globMatches(p, POD_IDENTITY_SERVICE, true));
  const allows = (s: Statement, action: string) => (s.Action ?? []).some((a) => globMatches(a, action, true));
  // A Deny for the service with no condition refuses the action whatever an Allow says.
  if (
    statements.some(
      (s) => s.Effect === 'Deny' && !s.Condition && admits(s) && ACTIONS.some((a) => allows(s, a)),
    )
  )
    return undefined;
  const allowing = statements.filter((s) => s.Effect === 'Allow' && admits(s));
  if (!ACTIONS.every((action) => allowing.some((s) => allows(s, action)))) return undefined;
  return allowing.filter((s) => ACTIONS.some((a) => allows(s, a)));
}
