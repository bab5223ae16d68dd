import type { EksClusterData } from '../../model/aws/eks.js';
import type { InventoryNode } from '../../model/inventory.js';
import type { KubernetesClusterData } from '../../model/kubernetes/environment.js';
import type { CrossProviderUnion } from '../../pipeline/cross-provider.js';
import { awsProvider } from '../../providers/aws/index.js';

const IAM_ARN = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/;

/** Every EKS cluster the AWS side of the run describes. */
export function eksClustersOf(union: CrossProviderUnion): EksClusterData[] {
  return union.dataOf(awsProvider)?.environment.accounts.flatMap((a) => a.eksClusters ?? []) ?? [];
}

/**
 * The EKS cluster a collected Kubernetes cluster is: the same OIDC issuer, the same API server
 * endpoint, or (a snapshot folder or kubeconfig context named after it) the same name.
 */
export function eksClusterFor(
  cluster: Pick<KubernetesClusterData, 'name' | 'oidcIssuer' | 'server'>,
  clusters: readonly EksClusterData[],
): EksClusterData | undefined {
  const issuer = cluster.oidcIssuer && hostPath(cluster.oidcIssuer);
  const server = cluster.server && hostPath(cluster.server);
  return (
    clusters.find((e) => issuer && e.oidcIssuer && hostPath(e.oidcIssuer) === issuer) ??
    clusters.find((e) => server && e.endpoint && hostPath(e.endpoint) === server) ??
    clusters.find((e) => e.name === cluster.name)
  );
}

export function hostPath(url: string): string {
  return url
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/**
 * The collected IAM roles or users an ARN names. aws-auth and access entries name a role without
 * its path (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html), so the
 * role of that name in that account matches whatever its path.
 */
export function iamIdentitiesNamed(arn: string, nodes: readonly InventoryNode[]): InventoryNode[] {
  const m = IAM_ARN.exec(arn);
  if (!m) return [];
  const [, partition, account, kind, name] = m;
  return nodes.filter((n) => {
    if (n.kind !== 'AwsRole' && n.kind !== 'AwsUser') return false;
    const x = IAM_ARN.exec(n.id);
    return x !== null && x[1] === partition && x[2] === account && x[3] === kind && x[4] === name;
  });
}
