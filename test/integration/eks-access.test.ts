import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorReader } from '../../src/answers/graph-reader.js';
import { KubernetesRbacQueries } from '../../src/answers/kubernetes-rbac.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { analyzeProviders, providerJob, syncProviders } from '../../src/pipeline/sync.js';
import { awsProvider } from '../../src/providers/aws/index.js';
import { kubernetesProvider } from '../../src/providers/kubernetes/index.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The EKS fixture's AWS side and the Kubernetes fixture in one run into a real Neo4j: the CI role's
// access entry is one route to cluster-admin, a namespace-scoped access policy stops at its
// namespace, and Pod Identity joins a service account to its role only where the role trusts it.

const executor: GraphExecutor = testExecutor();
const A = '111111111111';
const CI_ADMIN_USER = `k8s:prod-eks:user:arn:aws:sts::${A}:assumed-role/ci-admin/{{SessionName}}`;
const config = ConfigSchema.parse({});
const root = (dir: string) => ({ snapshotRoot: dir, options: {} });
const jobs = () => [
  providerJob(awsProvider, awsProvider.requestOf(root(join(K8S_FIXTURE_ROOT, 'eks-access')), config)),
  providerJob(kubernetesProvider, kubernetesProvider.requestOf(root(K8S_FIXTURE_ROOT), config)),
];

beforeAll(async () => {
  await wipe(executor);
  const result = await syncProviders(executor, jobs(), { summary: false });
  expect(result.load.status).toBe('succeeded');
});
afterAll(() => executor.close());

describe('EKS access entries and Pod Identity in Neo4j', () => {
  it('the CI role becomes cluster-admin through its access entry, with the entry as evidence', async () => {
    const rows = await executor.read<{ evidence: string }>(
      `MATCH (r:AwsRole {id: $role})-[f:FEDERATES_TO]->(u:K8sUser {id: $user})-[:ADMINISTERS]->(:K8sCluster {id: 'k8s:prod-eks'})
       RETURN f.evidence AS evidence`,
      { role: `arn:aws:iam::${A}:role/ci/ci-admin`, user: CI_ADMIN_USER },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.evidence).toContain('EKS access entry of cluster prod-eks');
  });

  it('a namespace-scoped access policy administers its namespace only', async () => {
    const rows = await executor.read<{ target: string }>(
      `MATCH (:K8sUser {id: 'k8s:prod-eks:user:payments-dev'})-[:ADMINISTERS]->(t) RETURN t.id AS target`,
    );
    expect(rows.map((r) => r.target)).toEqual(['k8s:prod-eks:ns:payments']);
  });

  it('Pod Identity joins only the service account whose role trusts pods.eks.amazonaws.com', async () => {
    const rows = await executor.read<{ from: string; to: string }>(
      `MATCH (s:K8sServiceAccount)-[:FEDERATES_TO]->(r:AwsRole) RETURN s.id AS from, r.id AS to ORDER BY from`,
    );
    expect(rows).toEqual([
      { from: 'k8s:prod-eks:monitoring:sa:node-agent', to: `arn:aws:iam::${A}:role/node-agent-logs` },
    ]);
  });

  it('who-can and can-i answer with the access policies beside RBAC, from Neo4j and from memory alike', async () => {
    const stored = await KubernetesRbacQueries.fromGraph(executorReader(executor));
    const memory = KubernetesRbacQueries.fromInventory((await analyzeProviders(jobs())).valid);
    // Binding roles is the ClusterAdminPolicy's (scoped to pay* for payments-dev), not the EditPolicy's.
    const ask = { verb: 'create', resource: 'rolebindings', namespace: 'payments' };
    const answers = stored.whoCan(ask);
    expect(memory.whoCan(ask)).toEqual(answers);
    const byBinding = (user: string) =>
      answers.find((a) => a.subject.kind === 'User' && a.subject.name === user)?.grant?.binding.name;
    // The CI role's entry, cluster-wide; payments-dev's, scoped to the namespaces pay*.
    expect(byBinding(`arn:aws:sts::${A}:assumed-role/ci-admin/{{SessionName}}`)).toBe(
      `eks-access-entry:arn:aws:iam::${A}:role/ci-admin:AmazonEKSClusterAdminPolicy`,
    );
    expect(byBinding('payments-dev')).toBe(
      `eks-access-entry:arn:aws:iam::${A}:role/payments-dev:AmazonEKSClusterAdminPolicy`,
    );
    const elsewhere = stored.whoCan({ ...ask, namespace: 'monitoring' });
    expect(elsewhere.some((a) => a.subject.name === 'payments-dev')).toBe(false);
    // The documented rules of AmazonEKSEditPolicy (prod-eks holds no ClusterRole edit), cluster-wide.
    const rights = stored.canI({ as: 'payments-dev' });
    expect(memory.canI({ as: 'payments-dev' })).toEqual(rights);
    expect(rights.map((r) => r.grant?.role.name)).toContain(
      'eks-access-policy:AmazonEKSEditPolicy (rules as AWS documents them)',
    );
  });
});
