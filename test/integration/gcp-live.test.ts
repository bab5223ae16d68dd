import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { providerJob, providerJobs, type SyncResult, syncProviders } from '../../src/pipeline/sync.js';
import { gcpProvider } from '../../src/providers/gcp/index.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { fakeAuthClient, type GcpStandIn, startGcpStandIn } from '../helpers/gcp-api-standin.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { EXPECTED_EDGES, GCP_FIXTURE_ROOT } from '../unit/gcp/expected.js';

// `reachgraph sync gcp --organization 111111111111` against the loopback stand-in of the Google Cloud
// APIs (replaying the fixture organization) loads into a real Neo4j the edges, evidence and scopes
// that `sync gcp --snapshot test/fixtures/gcp-org` loads.

const executor: GraphExecutor = testExecutor();
const AS_OF = new Date('2026-12-01T00:00:00Z');
const config = ConfigSchema.parse({ gcp: { concurrency: 4 } });
let standIn: GcpStandIn;

interface Loaded {
  edges: { key: string; evidence: unknown }[];
  scopes: { id: string; complete: boolean }[];
  issues: unknown[];
  nodes: string[];
}

async function loaded(run: SyncResult): Promise<Loaded> {
  const edges = await executor.read<{ key: string; evidence: string | null }>(
    `MATCH (a:Entity)-[r:CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE|FEDERATES_TO|CHILD_OF|CONTAINS|HAS_CREDENTIAL]->(b:Entity)
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + r.technique + ')', '') AS key, r.evidence AS evidence
     ORDER BY key`,
  );
  const nodes = await executor.read<{ id: string }>(
    `MATCH (n:Entity) WHERE n.id STARTS WITH 'gcp:' RETURN n.id AS id ORDER BY id`,
  );
  return {
    edges: edges.map((e) => ({ key: e.key, evidence: JSON.parse(e.evidence ?? '[]') })),
    scopes: [...run.scopes].sort((a, b) => (a.id < b.id ? -1 : 1)),
    issues: run.issues,
    nodes: nodes.map((n) => n.id),
  };
}

let snapshot: Loaded;
let live: Loaded;

beforeAll(async () => {
  standIn = await startGcpStandIn(GCP_FIXTURE_ROOT);
  await wipe(executor);
  const fromSnapshot = await syncProviders(
    executor,
    providerJobs(PROVIDER_REGISTRY, ['gcp'], { snapshotRoot: GCP_FIXTURE_ROOT, options: {} }, config),
    { summary: false, asOf: AS_OF },
  );
  expect(fromSnapshot.load.status).toBe('succeeded');
  snapshot = await loaded(fromSnapshot);

  await wipe(executor);
  // The request `sync gcp --organization …` makes, pointed at the stand-in.
  const request = gcpProvider.requestOf({ live: true, options: { organization: '111111111111' } }, config);
  if (!('live' in request.source)) throw new Error('expected a live request');
  expect(request.source.live).toMatchObject({ organization: '111111111111', concurrency: 4 });
  const job = providerJob(gcpProvider, {
    ...request,
    source: { live: { ...request.source.live, endpoint: standIn.url, authClient: fakeAuthClient() } },
  });
  expect(job.source).toBe('gcp live');
  const fromLive = await syncProviders(executor, [job], { summary: false, asOf: AS_OF });
  expect(fromLive.load.status).toBe('succeeded');
  live = await loaded(fromLive);
}, 300_000);
afterAll(async () => {
  await standIn?.close();
  await executor.close();
});

describe('live GCP sync against the API stand-in', () => {
  it('loads the edges, with their evidence, that the snapshot sync loads', () => {
    expect(live.edges.map((e) => e.key)).toEqual(snapshot.edges.map((e) => e.key));
    expect(live.edges).toEqual(snapshot.edges);
    const derived = live.edges
      .map((e) => e.key)
      .filter((k) => !/^(CHILD_OF|CONTAINS|HAS_CREDENTIAL) /.test(k));
    expect(derived).toEqual([...EXPECTED_EDGES].sort());
  });

  it('loads the same nodes and every level as a complete scope', () => {
    expect(live.nodes).toEqual(snapshot.nodes);
    expect(live.scopes).toEqual(snapshot.scopes);
    expect(live.scopes.map((s) => s.id)).toEqual([
      'gcp:dev-sandbox-654321',
      'gcp:folders/222222222222',
      'gcp:organizations/111111111111',
      'gcp:prod-app-123456',
    ]);
    expect(live.scopes.every((s) => s.complete)).toBe(true);
    // The fixture reads without issues either way (a GKE workload member is a principal set now).
    expect(live.issues).toEqual([]);
    expect(snapshot.issues).toEqual([]);
  });
});
