import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eksAccessEntries } from '../../../src/analyzers/cross-provider/eks-access-entries.js';
import { eksAwsAuth } from '../../../src/analyzers/cross-provider/eks-aws-auth.js';
import { eksPodIdentity } from '../../../src/analyzers/cross-provider/eks-pod-identity.js';
import type { KubernetesAnalysis } from '../../../src/analyzers/kubernetes/analyze.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { EksClusterData } from '../../../src/model/aws/eks.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import type { InventoryNode } from '../../../src/model/inventory.js';
import type { KubernetesEnvironment } from '../../../src/model/kubernetes/environment.js';
import type { CrossProviderUnion } from '../../../src/pipeline/cross-provider.js';
import { type AnalyzedRun, analyzeProviders, outcomeOf, providerJob } from '../../../src/pipeline/sync.js';
import { awsProvider } from '../../../src/providers/aws/index.js';
import { kubernetesProvider } from '../../../src/providers/kubernetes/index.js';
import { K8S_FIXTURE_ROOT } from '../kubernetes-collector/expected.js';

// The EKS fixture (test/fixtures/eks-access: the AWS side of prod-eks) with the Kubernetes fixture:
// access entries, their access policies decided by the RBAC analysis, Pod Identity and the
// authentication mode, each with its negative case.

const EKS_FIXTURE_ROOT = join(K8S_FIXTURE_ROOT, 'eks-access');
const A = '111111111111';
const CI_ADMIN_USER = `k8s:prod-eks:user:arn:aws:sts::${A}:assumed-role/ci-admin/{{SessionName}}`;

let run: AnalyzedRun;
let union: CrossProviderUnion;

beforeAll(async () => {
  const config = ConfigSchema.parse({});
  run = await analyzeProviders([
    providerJob(awsProvider, awsProvider.requestOf({ snapshotRoot: EKS_FIXTURE_ROOT, options: {} }, config)),
    providerJob(
      kubernetesProvider,
      kubernetesProvider.requestOf({ snapshotRoot: K8S_FIXTURE_ROOT, options: {} }, config),
    ),
  ]);
  const aws = outcomeOf(run.outcomes, awsProvider);
  const k8s = outcomeOf(run.outcomes, kubernetesProvider);
  if (!aws || !k8s) throw new Error('both providers ran');
  union = unionOf(aws.environment, k8s.environment, k8s.analysis, run.valid.inventory.nodes);
}, 120_000);

/** A union over the two fixtures' data, with the AWS environment's EKS cluster changed by `change`. */
function unionOf(
  aws: AwsEnvironment,
  k8s: KubernetesEnvironment,
  k8sAnalysis: Pick<KubernetesAnalysis, 'nodes' | 'edges'>,
  nodes: readonly InventoryNode[],
): CrossProviderUnion {
  return {
    providers: ['aws', 'kubernetes'],
    nodes,
    relationships: [],
    dataOf: (p) =>
      ((p as unknown) === awsProvider
        ? { environment: aws }
        : (p as unknown) === kubernetesProvider
          ? { environment: k8s, analysis: k8sAnalysis }
          : undefined) as never,
  };
}

function withCluster(change: (c: EksClusterData) => EksClusterData): CrossProviderUnion {
  const aws = union.dataOf(awsProvider)?.environment as AwsEnvironment;
  const k8s = union.dataOf(kubernetesProvider);
  return unionOf(
    {
      ...aws,
      accounts: aws.accounts.map((a) => ({ ...a, eksClusters: (a.eksClusters ?? []).map(change) })),
    },
    k8s?.environment as KubernetesEnvironment,
    k8s?.analysis ?? { nodes: [], edges: [] },
    union.nodes,
  );
}

const keys = (edges: { type: string; from: string; to: string }[]) =>
  edges.map((e) => `${e.type} ${e.from} -> ${e.to}`);

describe('EKS clusters from the AWS snapshot', () => {
  it('reads the cluster, its access entries with their policies and its pod identity associations', () => {
    const [cluster] = union.dataOf(awsProvider)?.environment.accounts[0]?.eksClusters ?? [];
    expect(cluster?.authenticationMode).toBe('API_AND_CONFIG_MAP');
    expect(cluster?.oidcIssuer).toContain('EXAMPLED539D4633E53DE1B71EXAMPLE');
    expect(cluster?.accessEntries.map((e) => [e.principalArn.split('/').pop(), e.type, e.username])).toEqual([
      ['ci-admin', 'STANDARD', undefined],
      ['payments-dev', 'STANDARD', 'payments-dev'],
      ['eks-node', 'EC2_LINUX', 'system:node:{{EC2PrivateDNSName}}'],
    ]);
    expect(cluster?.accessEntries[1]?.accessPolicies).toEqual([
      {
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'namespace', namespaces: ['pay*'] },
      },
      {
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
        accessScope: { type: 'cluster', namespaces: [] },
      },
    ]);
    expect(cluster?.podIdentityAssociations.map((a) => [a.namespace, a.serviceAccount, a.roleArn])).toEqual([
      ['monitoring', 'node-agent', `arn:aws:iam::${A}:role/node-agent-logs`],
      ['ci', 'deployer', `arn:aws:iam::${A}:role/ci-artifacts`],
    ]);
  });
});

describe('EKS access entries (cross-provider)', () => {
  it('an entry maps its role to its user (the default assumed-role name) and groups, with the entry as evidence', () => {
    const out = eksAccessEntries.derive(union);
    const federates = keys(out.edges.filter((e) => e.type === 'FEDERATES_TO'));
    expect(federates).toContain(`FEDERATES_TO arn:aws:iam::${A}:role/ci/ci-admin -> ${CI_ADMIN_USER}`);
    expect(federates).toContain(
      `FEDERATES_TO arn:aws:iam::${A}:role/payments-dev -> k8s:prod-eks:user:payments-dev`,
    );
    expect(federates).toContain(
      `FEDERATES_TO arn:aws:iam::${A}:role/payments-dev -> k8s:prod-eks:group:payments-auditors`,
    );
    expect(federates).toContain(
      `FEDERATES_TO arn:aws:iam::${A}:role/eks-node -> k8s:prod-eks:group:system:nodes`,
    );
    const evidence = out.edges.find((e) => e.from.endsWith('role/ci/ci-admin'))?.evidence?.[0];
    expect(evidence?.reason).toContain('EKS access entry of cluster prod-eks maps');
    expect(evidence?.reason).toContain('AmazonEKSClusterAdminPolicy');
    // The entry's user is a node of the run even though no binding names it.
    expect(run.valid.inventory.nodes.find((n) => n.id === CI_ADMIN_USER)?.kind).toBe('K8sUser');
  });

  it('a cluster-scoped AmazonEKSClusterAdminPolicy makes the entry’s user administer the cluster, through RBAC', () => {
    const out = eksAccessEntries.derive(union);
    const admin = out.edges.find((e) => e.type === 'ADMINISTERS' && e.from === CI_ADMIN_USER);
    expect(admin?.to).toBe('k8s:prod-eks');
    expect(JSON.stringify(admin?.evidence)).toContain(
      'eks-access-entry:arn:aws:iam::111111111111:role/ci-admin',
    );
  });

  it('a namespace-scoped policy grants only in the namespaces its scope matches (pay* → payments)', () => {
    const edges = keys(
      eksAccessEntries.derive(union).edges.filter((e) => e.from === 'k8s:prod-eks:user:payments-dev'),
    );
    expect(edges).toContain('ADMINISTERS k8s:prod-eks:user:payments-dev -> k8s:prod-eks:ns:payments');
    expect(edges).toContain(
      'CAN_ACCESS k8s:prod-eks:user:payments-dev -> k8s:prod-eks:payments:secret:db-credentials',
    );
    expect(edges).not.toContain('ADMINISTERS k8s:prod-eks:user:payments-dev -> k8s:prod-eks');
    // Outside pay*, only the cluster-wide AmazonEKSEditPolicy grants (its rules as AWS documents them).
    const outside = eksAccessEntries
      .derive(union)
      .edges.filter(
        (e) => e.from === 'k8s:prod-eks:user:payments-dev' && /:ci:|:monitoring:|:kube-system:/.test(e.to),
      );
    expect(outside.length).toBeGreaterThan(0);
    for (const e of outside) expect(JSON.stringify(e.evidence)).not.toContain('AmazonEKSClusterAdminPolicy');
  });

  it('AmazonEKSEditPolicy without a collected `edit` ClusterRole grants the rules AWS documents, and says so', () => {
    const out = eksAccessEntries.derive(union);
    expect(out.issues ?? []).toEqual([]);
    // The documented rule `impersonate` on serviceaccounts, cluster-wide.
    const impersonate = out.edges.find(
      (e) =>
        e.type === 'CAN_IMPERSONATE' &&
        e.from === 'k8s:prod-eks:user:payments-dev' &&
        e.to === 'k8s:prod-eks:ci:sa:deployer',
    );
    const reason = impersonate?.evidence?.map((e) => e.reason).join(' ');
    expect(reason).toContain('eks-access-policy:AmazonEKSEditPolicy (rules as AWS documents them)');
    expect(reason).toContain(
      'eks-access-entry:arn:aws:iam::111111111111:role/payments-dev:AmazonEKSEditPolicy',
    );
  });

  it('with the cluster’s own `edit` ClusterRole collected, the policy grants that role’s rules instead', () => {
    const k8s = union.dataOf(kubernetesProvider);
    const environment = k8s?.environment as KubernetesEnvironment;
    const [cluster] = environment.clusters;
    if (!cluster) throw new Error('the fixture has a cluster');
    const edit = {
      metadata: { name: 'edit' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }],
    };
    const withEdit = unionOf(
      union.dataOf(awsProvider)?.environment as AwsEnvironment,
      { ...environment, clusters: [{ ...cluster, clusterRoles: [...cluster.clusterRoles, edit] }] },
      k8s?.analysis ?? { nodes: [], edges: [] },
      union.nodes,
    );
    const edges = eksAccessEntries
      .derive(withEdit)
      .edges.filter((e) => e.from === 'k8s:prod-eks:user:payments-dev' && e.to.includes(':ci:'));
    expect(edges).toEqual([]);
    expect(eksAccessEntries.derive(withEdit).issues ?? []).toEqual([]);
  });

  it('an access policy that is not modelled is reported and grants nothing', () => {
    const out = eksAccessEntries.derive(
      withCluster((c) => ({
        ...c,
        accessEntries: c.accessEntries.map((e) => ({
          ...e,
          accessPolicies: e.accessPolicies.map((p) => ({
            ...p,
            policyArn: p.policyArn.replace('AmazonEKSEditPolicy', 'AmazonEKSAutoNodePolicy'),
          })),
        })),
      })),
    );
    expect((out.issues ?? []).map((i) => i.message)).toEqual([
      expect.stringContaining(
        'access policy arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy of arn:aws:iam::111111111111:role/payments-dev on cluster prod-eks is not modelled',
      ),
    ]);
  });

  it('CONFIG_MAP (or no stated mode) ignores access entries; API ignores aws-auth', () => {
    for (const mode of ['CONFIG_MAP', undefined] as const) {
      const out = eksAccessEntries.derive(
        withCluster(({ authenticationMode: _, ...c }) => ({
          ...c,
          ...(mode ? { authenticationMode: mode } : {}),
        })),
      );
      expect(out.edges).toEqual([]);
    }
    const rule = eksAwsAuth(kubernetesProvider);
    const mapped = rule.derive(union).edges.filter((e) => e.from.endsWith('role/eks-node'));
    expect(mapped.length).toBeGreaterThan(0);
    expect(rule.derive(withCluster((c) => ({ ...c, authenticationMode: 'API' }))).edges).toEqual([]);
    expect(
      eksAccessEntries.derive(withCluster((c) => ({ ...c, authenticationMode: 'API' }))).edges.length,
    ).toBe(eksAccessEntries.derive(union).edges.length);
  });

  it('the pipeline joins them: the CI role reaches cluster-admin through its access entry', () => {
    const edges = keys(run.valid.inventory.relationships);
    expect(edges).toContain(`FEDERATES_TO arn:aws:iam::${A}:role/ci/ci-admin -> ${CI_ADMIN_USER}`);
    expect(edges).toContain(`ADMINISTERS ${CI_ADMIN_USER} -> k8s:prod-eks`);
  });
});

describe('EKS Pod Identity (cross-provider)', () => {
  it('a role trusting pods.eks.amazonaws.com with AssumeRole and TagSession gives the account FEDERATES_TO it', () => {
    const out = eksPodIdentity.derive(union);
    expect(keys(out.edges)).toEqual([
      `FEDERATES_TO k8s:prod-eks:monitoring:sa:node-agent -> arn:aws:iam::${A}:role/node-agent-logs`,
    ]);
    expect(out.edges[0]?.evidence?.map((e) => e.source)).toEqual(['declared', 'trust-policy']);
    expect(out.edges[0]?.properties).toEqual({});
  });

  it('a role without sts:TagSession for the service gives no edge and is reported', () => {
    const issues = eksPodIdentity.derive(union).issues ?? [];
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringContaining(
        'gives k8s:prod-eks:ci:sa:deployer the role arn:aws:iam::111111111111:role/ci-artifacts, whose trust policy does not allow',
      ),
    ]);
  });

  it('an association whose role was not collected is reported, not granted', () => {
    const out = eksPodIdentity.derive(
      withCluster((c) => ({
        ...c,
        podIdentityAssociations: c.podIdentityAssociations.map((a) => ({
          ...a,
          roleArn: `arn:aws:iam::${A}:role/gone`,
        })),
      })),
    );
    expect(out.edges).toEqual([]);
    expect(out.issues?.every((i) => i.message.includes('was not collected'))).toBe(true);
  });
});
