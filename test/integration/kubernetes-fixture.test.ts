import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { providerJobs, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { ABSENT_EDGES, EXPECTED_EDGES, K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The hand-checked EKS-like cluster loaded into a real Neo4j as `reachgraph sync kubernetes
// --snapshot test/fixtures` does it (the registry's jobs for the named provider, then the pipeline):
// the graph holds the README's (source, target, type, technique) edges with evidence, none of its
// near misses, and the nodes the cross-provider rules read.

const executor: GraphExecutor = testExecutor();
let rows: { key: string; evidence: string | null }[];

beforeAll(async () => {
  await wipe(executor);
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['kubernetes'],
    { snapshotRoot: K8S_FIXTURE_ROOT, options: {} },
    ConfigSchema.parse({}),
  );
  const result = await syncProviders(executor, jobs, { summary: false });
  expect(result.load.status).toBe('succeeded');
  // Pair edges, and those Grant hubs stand for (member leg and target leg of one type).
  rows = await executor.read(
    `MATCH (a:Entity)-[r:RUNS_AS|CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE]->(b:Entity)
     WHERE NOT a:Grant AND NOT b:Grant
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + r.technique + ')', '') AS key, r.evidence AS evidence
     UNION ALL
     MATCH (a:Entity)-[m:RUNS_AS|CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE]->(g:Grant)-[t]->(b:Entity)
     WHERE type(t) = type(m)
     RETURN type(t) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + t.technique + ')', '') AS key, m.evidence AS evidence`,
  );
}, 120_000);
afterAll(() => executor.close());

describe('the Kubernetes fixture in Neo4j', () => {
  it('holds exactly the expected edges, each with evidence', () => {
    expect(rows.map((r) => r.key).sort()).toEqual([...EXPECTED_EDGES].sort());
    for (const key of ABSENT_EDGES) expect(rows.map((r) => r.key)).not.toContain(key);
    for (const r of rows) expect(JSON.parse(r.evidence ?? '[]').length).toBeGreaterThan(0);
  });

  it('lets the node read the secret its pods reference, with each pod and field as evidence', async () => {
    const [edge] = await executor.read<{ levels: string[]; evidence: string }>(
      `MATCH (:K8sNode {id: $node})-[r:CAN_ACCESS]->(:K8sSecret {id: $secret})
       RETURN r.levels AS levels, r.evidence AS evidence`,
      {
        node: 'k8s:prod-eks:node:ip-10-0-1-10.ec2.internal',
        secret: 'k8s:prod-eks:payments:secret:db-credentials',
      },
    );
    expect(edge?.levels).toEqual(['read']);
    expect(JSON.parse(edge?.evidence ?? '[]').map((e: { statement: string }) => e.statement)).toEqual([
      'spec.containers[0].env[1].valueFrom.secretKeyRef',
      'spec.volumes[0].secret.secretName',
    ]);
  });

  it('stores the cluster’s issuer, the IRSA annotation, and no secret value', async () => {
    const [cluster] = await executor.read<{ issuer: string; complete: boolean }>(
      `MATCH (c:K8sCluster {id: 'k8s:prod-eks'}) RETURN c.oidcIssuer AS issuer, true AS complete`,
    );
    expect(cluster?.issuer).toBe(
      'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    );
    const [sa] = await executor.read<{ annotations: string[]; nonHuman: boolean }>(
      `MATCH (s:K8sServiceAccount {id: 'k8s:prod-eks:payments:sa:api'}) RETURN s.annotations AS annotations, s.nonHuman AS nonHuman`,
    );
    expect(sa).toEqual({
      annotations: ['eks.amazonaws.com/role-arn=arn:aws:iam::111111111111:role/payments-api'],
      nonHuman: true,
    });
    const [leak] = await executor.read<{ n: number }>(
      `MATCH (n) WHERE any(k IN keys(n) WHERE (n[k] IS :: STRING AND n[k] CONTAINS 'c2VjcmV0')
         OR (n[k] IS :: LIST<STRING> AND any(x IN n[k] WHERE x CONTAINS 'c2VjcmV0'))) RETURN count(n) AS n`,
    );
    expect(Number(leak?.n)).toBe(0);
  });
});
