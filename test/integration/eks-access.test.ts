import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { providerJob, syncProviders } from '../../src/pipeline/sync.js';
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

beforeAll(async () => {
  await wipe(executor);
  const config = ConfigSchema.parse({});
  const root = (dir: string) => ({ snapshotRoot: dir, options: {} });
  const result = await syncProviders(
    executor,
    [
      providerJob(awsProvider, awsProvider.requestOf(root(join(K8S_FIXTURE_ROOT, 'eks-access')), config)),
      providerJob(kubernetesProvider, kubernetesProvider.requestOf(root(K8S_FIXTURE_ROOT), config)),
    ],
    { summary: false },
  );
  expect(result.load.status).toBe('succeeded');
}, 120_000);
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
});
