import { describe, expect, it } from 'vitest';
import { eksAwsAuth } from '../../../src/analyzers/cross-provider/eks-aws-auth.js';
import type { InventoryNode } from '../../../src/model/inventory.js';
import type { KubernetesClusterData } from '../../../src/model/kubernetes/environment.js';
import type { CrossProviderUnion } from '../../../src/pipeline/cross-provider.js';
import { kubernetesProvider } from '../../../src/providers/kubernetes/index.js';

const A = '111122223333';

function union(awsAuth: KubernetesClusterData['awsAuth'], nodes: InventoryNode[]): CrossProviderUnion {
  const cluster = { name: 'prod', awsAuth } as unknown as KubernetesClusterData;
  return {
    providers: ['aws', 'kubernetes'],
    nodes,
    relationships: [],
    dataOf: (p) =>
      (p as unknown) === kubernetesProvider
        ? ({ environment: { clusters: [cluster], issues: [] } } as never)
        : undefined,
  };
}

const node = (id: string, kind: string): InventoryNode => ({ id, kind, properties: {} });

describe('EKS aws-auth (cross-provider)', () => {
  const rule = eksAwsAuth(kubernetesProvider);
  const nodes = [
    node(`arn:aws:iam::${A}:role/ci/ci-deploy`, 'AwsRole'),
    node(`arn:aws:iam::${A}:role/other`, 'AwsRole'),
    node('k8s:prod:user:ci-deploy', 'K8sUser'),
    node('k8s:prod:group:system:masters', 'K8sGroup'),
    node('k8s:prod:group:developers', 'K8sGroup'),
  ];

  it('maps a role (aws-auth names it without its path) to its user, with the ConfigMap as evidence', () => {
    const out = rule.derive(
      union(
        [
          {
            arn: `arn:aws:iam::${A}:role/ci-deploy`,
            kind: 'role',
            username: 'ci-deploy',
            groups: ['system:masters'],
          },
        ],
        nodes,
      ),
    );
    expect(out.edges.map((e) => [e.from, e.to])).toEqual([
      [`arn:aws:iam::${A}:role/ci/ci-deploy`, 'k8s:prod:user:ci-deploy'],
    ]);
    expect(out.edges[0]?.evidence?.[0]?.reason).toContain('kube-system/aws-auth of cluster prod maps');
  });

  it('a templated user name maps to the groups; an identity not collected maps to nothing', () => {
    const out = rule.derive(
      union(
        [
          {
            arn: `arn:aws:iam::${A}:role/other`,
            kind: 'role',
            username: '{{SessionName}}',
            groups: ['developers'],
          },
          { arn: `arn:aws:iam::${A}:role/missing`, kind: 'role', username: 'x', groups: ['system:masters'] },
        ],
        nodes,
      ),
    );
    expect(out.edges.map((e) => [e.from, e.to])).toEqual([
      [`arn:aws:iam::${A}:role/other`, 'k8s:prod:group:developers'],
    ]);
  });
});
