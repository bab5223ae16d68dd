import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { providerJobs, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { CROSS_CLOUD_ROOT } from '../unit/cross-provider/cross-cloud.js';

// test/fixtures/cross-cloud synced in one run (AWS, Kubernetes and GCP) into a real Neo4j: one answer
// of the answers layer holds a route that crosses providers, with evidence on each hop.

const executor: GraphExecutor = testExecutor();
let graph: GraphPathQueries;
const POD = 'k8s:shop-gke:shop:pod:api-0';
const KSA = 'k8s:shop-gke:shop:sa:api';
const READER = 'gcp:sa:reader@shop-prod-778899.iam.gserviceaccount.com';
const BUCKET = 'gcp:storage:projects/_/buckets/shop-orders';
const ETL = 'arn:aws:iam::111122223333:role/data/etl';

beforeAll(async () => {
  await wipe(executor);
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['aws', 'kubernetes', 'gcp'],
    { snapshotRoot: CROSS_CLOUD_ROOT, options: {} },
    ConfigSchema.parse({}),
  );
  const result = await syncProviders(executor, jobs, {
    summary: false,
    asOf: new Date('2026-12-01T00:00:00Z'),
  });
  expect(result.load.status).toBe('succeeded');
  graph = new GraphPathQueries(executor);
}, 300_000);
afterAll(() => executor.close());

describe('one run of AWS, Kubernetes and GCP in Neo4j', () => {
  it('a pod reaches a GCP bucket: pod → its Kubernetes service account → GCP service account → bucket', async () => {
    const answers = await graph.reach({ from: POD, to: BUCKET });
    expect(answers.map((a) => a.path.map((h) => [h.from, h.type, h.to]))).toEqual([
      [
        [POD, 'RUNS_AS', KSA],
        [KSA, 'FEDERATES_TO', READER],
        [READER, 'CAN_ACCESS', BUCKET],
      ],
    ]);
    expect(answers[0]?.conditional).toBe(false);
    const federation = answers[0]?.path[1];
    expect(JSON.stringify(federation)).toContain('identity sameness');
    expect(JSON.stringify(federation)).toContain('roles/iam.workloadIdentityUser');
  });

  it('an AWS role reaches the same bucket through the GCP pool’s AWS provider', async () => {
    const answers = await graph.reach({ from: ETL, to: BUCKET });
    const routes = answers.map((a) => a.path.map((h) => h.type).join(' → '));
    expect(routes).toContain('CAN_ACCESS'); // direct access as principal://…/subject/…/etl/nightly (conditional)
    const direct = answers.find((a) => a.path.length === 1);
    expect(direct?.conditional).toBe(true);
    const rows = await executor.read<{ evidence: string }>(
      `MATCH (:AwsRole {id: $role})-[f:FEDERATES_TO]->(:GcpServiceAccount {id: $sa}) RETURN f.evidence AS evidence`,
      { role: ETL, sa: READER },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.evidence).toContain('workload identity provider aws of pool Partners');
  });

  it('the GitHub repository subject is one node with routes into AWS and GCP', async () => {
    const rows = await executor.read<{ targets: string[] }>(
      `MATCH (s:OidcSubject {id: $id})-[:FEDERATES_TO]->(t) RETURN collect(t.id) AS targets`,
      { id: 'oidc:token.actions.githubusercontent.com:repo:acme/shop:ref:refs/heads/main' },
    );
    expect([...(rows[0]?.targets ?? [])].sort()).toEqual([
      'arn:aws:iam::111122223333:role/gh-deploy',
      'gcp:sa:deployer@shop-prod-778899.iam.gserviceaccount.com',
    ]);
  });

  it('the annotation the GCP side decides is not stored beside the decided edge', async () => {
    const rows = await executor.read<{ to: string; conditional: boolean | null }>(
      `MATCH (:K8sServiceAccount {id: $id})-[f:FEDERATES_TO]->(t) RETURN t.id AS to, f.conditional AS conditional`,
      { id: KSA },
    );
    expect(rows).toEqual([{ to: READER, conditional: false }]);
  });
});
