import type { InventoryRelationship } from '../../model/inventory.js';
import type { KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type { CrossProviderRule, CrossProviderUnion } from '../../pipeline/cross-provider.js';
import type { Provider, ProviderSummary } from '../../providers/contract.js';
import type { KubernetesAnalysis } from '../kubernetes/analyze.js';
import { usesAwsAuth } from './eks-access-entries.js';
import { eksClusterFor, eksClustersOf } from './eks-clusters.js';

const IAM_ARN = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/;

/**
 * EKS `aws-auth`: the ConfigMap `kube-system/aws-auth` maps IAM roles and users to a Kubernetes user
 * name and groups, so whoever holds the AWS identity acts in the cluster as them
 * (https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html). Each mapping whose IAM
 * identity was collected gives it a FEDERATES_TO edge to the mapped user (which carries the mapped
 * groups), or to each mapped group when the user name is a template (`{{SessionName}}`) or absent.
 * aws-auth names roles without their path, so a mapping matches the role of that name in that
 * account whatever its path. An EKS cluster in the `API` authentication mode ignores aws-auth
 * (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html#set-cam): its mappings
 * give no edge.
 */
export function eksAwsAuth(
  kubernetes: Provider<unknown, KubernetesEnvironment, KubernetesAnalysis, ProviderSummary>,
): CrossProviderRule {
  return {
    name: 'eks-aws-auth',
    description:
      'AWS roles and users → the Kubernetes users or groups that a cluster’s kube-system/aws-auth ConfigMap maps them to (EKS).',
    requires: ['aws', 'kubernetes'],
    emits: ['FEDERATES_TO'],
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html',
      'https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html#set-cam',
    ],
    derive(union: CrossProviderUnion) {
      const data = union.dataOf(kubernetes);
      if (!data) return { edges: [] };
      const identities = union.nodes.filter((n) => n.kind === 'AwsRole' || n.kind === 'AwsUser');
      const present = new Set(union.nodes.map((n) => n.id));
      const edges: InventoryRelationship[] = [];
      const eks = eksClustersOf(union);
      for (const cluster of data.environment.clusters) {
        if (!usesAwsAuth(eksClusterFor(cluster, eks))) continue;
        for (const mapping of cluster.awsAuth) {
          const m = IAM_ARN.exec(mapping.arn);
          if (!m) continue;
          const [, partition, account, kind, name] = m;
          const sources = identities.filter((n) => {
            const x = IAM_ARN.exec(n.id);
            return x && x[1] === partition && x[2] === account && x[3] === kind && x[4] === name;
          });
          const templated = !mapping.username || mapping.username.includes('{{');
          const targets = templated
            ? mapping.groups.map((g) => k8sIds.group(cluster.name, g))
            : [k8sIds.user(cluster.name, mapping.username as string)];
          const whom = templated
            ? `the groups ${mapping.groups.join(', ')}`
            : `the user ${mapping.username}${mapping.groups.length ? ` in ${mapping.groups.join(', ')}` : ''}`;
          for (const source of sources)
            for (const target of targets.filter((t) => present.has(t)))
              edges.push({
                type: 'FEDERATES_TO',
                from: source.id,
                to: target,
                properties: {},
                evidence: [
                  {
                    source: 'declared',
                    ref: `${k8sIds.cluster(cluster.name)}:kube-system:configmap:aws-auth`,
                    statement: `map${kind === 'role' ? 'Roles' : 'Users'} ${mapping.arn}`,
                    reason: `kube-system/aws-auth of cluster ${cluster.name} maps ${source.id} to ${whom}`,
                  },
                ],
              });
        }
      }
      return { edges };
    },
  };
}
