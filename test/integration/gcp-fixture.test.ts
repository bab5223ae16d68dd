import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { analyzeProviders, providerJobs } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { syncGcpSnapshot } from '../helpers/gcp-sync.js';
import { testExecutor } from '../helpers/graph.js';
import { EXPECTED_EDGES, GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from '../unit/gcp/expected.js';

// The hand-checked GCP organization loaded into a real Neo4j as `reachgraph sync gcp --snapshot
// test/fixtures/gcp-org` does it: the graph holds the README's edges with evidence, one scope per
// organization, folder and project, and the hierarchy.

const executor: GraphExecutor = testExecutor();
let rows: { key: string; evidence: string | null }[];

beforeAll(async () => {
  rows = await syncGcpSnapshot(executor, GCP_FIXTURE_ROOT);
}, 300_000);
afterAll(() => executor.close());

describe('the GCP fixture in Neo4j', () => {
  it('holds exactly the expected edges, each with evidence', () => {
    expect(rows.map((r) => r.key).sort()).toEqual([...EXPECTED_EDGES].sort());
    for (const r of rows) expect(JSON.parse(r.evidence ?? '[]').length).toBeGreaterThan(0);
  });

  it('loads every level as a complete scope, with the hierarchy and the production project', async () => {
    const scopes = await executor.read<{ id: string }>(
      `MATCH (s:Scope) WHERE s.id STARTS WITH 'gcp:' RETURN s.id AS id ORDER BY id`,
    );
    expect(scopes.map((s) => s.id)).toEqual([
      'gcp:dev-sandbox-654321',
      'gcp:folders/222222222222',
      'gcp:organizations/111111111111',
      'gcp:prod-app-123456',
    ]);
    const chain = await executor.read<{ ids: string[] }>(
      `MATCH p = (:GcpProject {id: 'gcp:projects/prod-app-123456'})-[:CHILD_OF*]->(:GcpOrganization)
       RETURN [n IN nodes(p) | n.id] AS ids`,
    );
    expect(chain[0]?.ids).toEqual([
      'gcp:projects/prod-app-123456',
      'gcp:folders/222222222222',
      'gcp:organizations/111111111111',
    ]);
    const [bucket] = await executor.read<{ environment: string; sensitivity: string }>(
      `MATCH (b:GcpStorageBucket {id: 'gcp:storage:projects/_/buckets/prod-data-example'}) RETURN b.environment AS environment, b.sensitivity AS sensitivity`,
    );
    expect(bucket).toEqual({ environment: 'production', sensitivity: 'high' });
  });

  it('routes the GitHub repository to the production bucket through federation and impersonation', async () => {
    const [route] = await executor.read<{ types: string[] }>(
      `MATCH p = (:GcpPrincipalSet)-[:FEDERATES_TO]->(:GcpServiceAccount)-[:CAN_IMPERSONATE]->(:GcpServiceAccount)-[:CAN_ACCESS]->(:GcpStorageBucket {id: 'gcp:storage:projects/_/buckets/prod-data-example'})
       RETURN [r IN relationships(p) | type(r)] AS types`,
    );
    expect(route?.types).toEqual(['FEDERATES_TO', 'CAN_IMPERSONATE', 'CAN_ACCESS']);
  });

  it('answers query escalations with the GCP levels as targets, in Neo4j as in memory', async () => {
    const graph = await new GraphPathQueries(executor).escalations({ kind: 'GcpProject' });
    const jobs = providerJobs(
      PROVIDER_REGISTRY,
      ['gcp'],
      { snapshotRoot: GCP_FIXTURE_ROOT, options: {} },
      ConfigSchema.parse({}),
    );
    const { valid } = await analyzeProviders(jobs, { asOf: GCP_FIXTURE_AS_OF });
    const memory = await new MemoryPathQueries(MemoryGraph.fromInventory(valid)).escalations({
      kind: 'GcpProject',
    });
    const routes = (answers: typeof graph) =>
      answers.map((a) => `${a.principal} -> ${a.target} ${a.path.map((h) => h.type).join(',')}`).sort();
    expect(routes(graph)).toEqual(routes(memory));
    // a custom role its holder may update: self-escalation to the sandbox project
    const release = graph.find((a) => a.principal === 'gcp:user:release@example.com');
    expect(release).toMatchObject({ target: 'gcp:projects/dev-sandbox-654321', self: true, hops: 1 });
    expect(release?.path[0]?.technique).toBe('gcp-iam-roles-update');
    // roles/owner administers the project already: an administrator, not an escalation
    expect(graph.some((a) => a.principal === 'gcp:user:dev@example.com')).toBe(false);
    const admins = await new GraphPathQueries(executor).admins({ kind: 'GcpProject' });
    expect(admins.map((a) => `${a.principal} ${a.target}`)).toContain(
      'gcp:user:dev@example.com gcp:projects/dev-sandbox-654321',
    );
  });
});
