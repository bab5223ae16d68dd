import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedVsUsed } from '../../../src/activity/granted-vs-used.js';
import { leastPrivilege } from '../../../src/activity/least-privilege/index.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { GraphExecutor } from '../../../src/graph/executor.js';
import { main } from '../../../src/main.js';
import { providerJobs, syncProviders } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { gcpAuditEntry, k8sAuditEvent, writeEvents } from '../../helpers/audit-logs.js';
import { syncGcpSnapshot } from '../../helpers/gcp-sync.js';
import { testExecutor, testNeo4j } from '../../helpers/graph.js';
import { GCP_FIXTURE_ROOT } from '../../unit/gcp/expected.js';
import { K8S_FIXTURE_ROOT } from '../../unit/kubernetes-collector/expected.js';

// GCP and Kubernetes audit logs through the CLI into a real DuckDB file, and their summary onto the
// hand-checked GCP organization and EKS-like cluster in a real Neo4j: the ids the readers resolve
// are the nodes the providers wrote.

const executor: GraphExecutor = testExecutor();
const DEPLOYER = 'deployer@prod-app-123456.iam.gserviceaccount.com';
let dir: string;
let database: string;

const activityOf = (id: string) =>
  executor.read<{ last: string | null; events: number | null }>(
    'MATCH (n {id: $id}) RETURN toString(n.lastActivity) AS last, n.activityEvents AS events',
    { id },
  );

async function cli(args: string[]): Promise<{ code: number; result: Record<string, unknown> }> {
  const out: string[] = [];
  const output = { out: (t: string) => out.push(t), err: () => {}, interactive: false };
  const env = { ...process.env };
  const target = testNeo4j();
  Object.assign(process.env, {
    NEO4J_URI: target.uri,
    NEO4J_USER: target.user,
    NEO4J_PASSWORD: target.password,
    NEO4J_DATABASE: target.database,
    REACHGRAPH_ACTIVITY_DATABASE: database,
  });
  try {
    const code = await main(['node', 'reachgraph', 'ingest', ...args, '--json'], output);
    return { code, result: JSON.parse(out.join('\n')) };
  } finally {
    process.env = env;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-audit-'));
  database = join(dir, 'activity.duckdb');
  await syncGcpSnapshot(executor, GCP_FIXTURE_ROOT);
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['kubernetes'],
    { snapshotRoot: K8S_FIXTURE_ROOT, options: {} },
    ConfigSchema.parse({}),
  );
  expect((await syncProviders(executor, jobs, { summary: false })).load.status).toBe('succeeded');
  writeEvents(
    join(dir, 'gcp', 'read.json'),
    [
      gcpAuditEntry({
        insertId: 'g1',
        project: 'prod-app-123456',
        principalEmail: DEPLOYER,
        timestamp: '2026-11-02T10:00:00Z',
      }),
      gcpAuditEntry({
        insertId: 'g2',
        project: 'prod-app-123456',
        principalEmail: DEPLOYER,
        delegation: ['alice@example.com'],
        statusCode: 7,
        timestamp: '2026-11-03T11:00:00Z',
      }),
    ],
    { array: true },
  );
  writeEvents(join(dir, 'k8s', 'audit.log.gz'), [
    k8sAuditEvent({ auditID: 'k1', stage: 'RequestReceived' }),
    k8sAuditEvent({ auditID: 'k1', time: '2026-11-04T09:00:00Z' }),
    k8sAuditEvent({
      auditID: 'k2',
      username: 'system:node:ip-10-0-1-10.ec2.internal',
      time: '2026-11-04T10:00:00Z',
    }),
  ]);
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GCP and Kubernetes audit logs', () => {
  it('ingests both into one store and writes lastActivity on the nodes the providers wrote', async () => {
    const gcp = await cli(['gcp-audit', join(dir, 'gcp')]);
    expect(gcp.code).toBe(0);
    expect(gcp.result).toMatchObject({ source: 'gcp-audit', filesRead: 1, events: 2 });
    const k8s = await cli(['kubernetes-audit', join(dir, 'k8s'), '--cluster', 'prod-eks']);
    expect(k8s.code).toBe(0);
    expect(k8s.result).toMatchObject({ source: 'kubernetes-audit', filesRead: 1, events: 2, ignored: 1 });
    expect(k8s.result.graph).toMatchObject({ identities: 3 });

    expect(await activityOf(`gcp:sa:${DEPLOYER}`)).toEqual([{ last: '2026-11-03T11:00:00Z', events: 2 }]);
    expect(await activityOf('k8s:prod-eks:ci:sa:deployer')).toEqual([
      { last: '2026-11-04T09:00:00Z', events: 1 },
    ]);
    expect(await activityOf('k8s:prod-eks:node:ip-10-0-1-10.ec2.internal')).toEqual([
      { last: '2026-11-04T10:00:00Z', events: 1 },
    ]);

    const store = await ActivityStore.open(database);
    try {
      expect((await store.coverage()).map((c) => [c.source, c.account, c.events])).toEqual([
        ['gcp-audit', 'prod-app-123456', 2],
        ['kubernetes-audit', 'prod-eks', 2],
      ]);
      expect(
        await store.rows(`SELECT origin, outcome FROM daily WHERE source = 'gcp-audit' ORDER BY outcome`),
      ).toEqual([
        { origin: `gcp:user:alice@example.com > gcp:sa:${DEPLOYER}`, outcome: 'denied' },
        { origin: null, outcome: 'success' },
      ]);
    } finally {
      store.close();
    }
    // Again: nothing new is read, nothing counted twice.
    const again = await cli(['kubernetes-audit', join(dir, 'k8s'), '--cluster', 'prod-eks']);
    expect(again.result).toMatchObject({ filesRead: 0, filesSkipped: 1, events: 0 });
    expect(await activityOf('k8s:prod-eks:ci:sa:deployer')).toEqual([
      { last: '2026-11-04T09:00:00Z', events: 1 },
    ]);
  });

  it('a GCP delegation chain marks the impersonation edge used, and the account’s calls give its least-privilege roles', async () => {
    // One impersonation the analysis derived in the hand-checked organization.
    const [pair] = await executor.read<{ from: string; to: string }>(
      `MATCH (a:Principal)-[:CAN_IMPERSONATE]->(b:GcpServiceAccount)
       WHERE a.id STARTS WITH 'gcp:user:' OR a.id STARTS WITH 'gcp:sa:'
       RETURN a.id AS from, b.id AS to ORDER BY from, to LIMIT 1`,
    );
    expect(pair).toBeDefined();
    const { from, to } = pair as { from: string; to: string };
    const email = (id: string) => id.replace(/^gcp:[a-z]+:/, '');
    writeEvents(
      join(dir, 'gcp-chain', 'chain.json'),
      [
        gcpAuditEntry({
          insertId: 'c1',
          project: 'prod-app-123456',
          principalEmail: email(to),
          delegation: [email(from)],
          timestamp: '2026-11-05T10:00:00Z',
        }),
      ],
      { array: true },
    );
    expect((await cli(['gcp-audit', join(dir, 'gcp-chain')])).code).toBe(0);
    const store = await ActivityStore.open(database);
    try {
      const answer = await grantedVsUsed(executor, store, from);
      expect(answer.granted.find((g) => g.type === 'CAN_IMPERSONATE' && g.target === to)).toMatchObject({
        used: true,
        useCount: 1,
        lastUsed: '2026-11-05T10:00:00Z',
      });
      const proposal = await leastPrivilege(executor, store, to);
      expect(proposal.format).toBe('gcp-roles');
      expect(proposal.gcp?.customRole.includedPermissions).toEqual(['storage.objects.get']);
      expect(proposal.gcp?.roles.flatMap((r) => r.covers)).toEqual(['storage.objects.get']);
      expect(proposal.document).toContain('storage.objects.get');
      // The Kubernetes service account read one secret: a Role of that one get, bound to it.
      const k8s = await leastPrivilege(executor, store, 'k8s:prod-eks:ci:sa:deployer');
      expect(k8s.format).toBe('k8s-role');
      expect(k8s.kubernetes?.map((o) => [o.kind, o.metadata.namespace])).toEqual([
        ['Role', 'prod'],
        ['RoleBinding', 'prod'],
      ]);
      expect(k8s.kubernetes?.[0]?.rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['db'], verbs: ['get'] },
      ]);
    } finally {
      store.close();
    }
  });
});
