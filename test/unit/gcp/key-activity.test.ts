import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { getGcpLive } from '../../../src/collectors/gcp/live.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { analyzeProviders, providerJobs } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { fakeAuthClient, type GcpStandIn, startGcpStandIn } from '../../helpers/gcp-api-standin.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

// Service-account keys' last authentication (Policy Analyzer activity analysis): the fixture
// organization with `service-account-key-last-authentication.json` beside app@'s keys, read from the
// snapshot and from the API stand-in; the key node's lastUsedAt carries it.

const PROJECT = 'prod-app-123456';
const APP = `app@${PROJECT}.iam.gserviceaccount.com`;
const KEY = '3f2a9c0e1b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d';
const activity = (key: string, time: string) => ({
  activity: {
    lastAuthenticatedTime: time,
    serviceAccountKey: {
      fullResourceName: `//iam.googleapis.com/projects/${PROJECT}/serviceAccounts/${APP}/keys/${key}`,
      projectNumber: '123456789012',
    },
  },
  activityType: 'serviceAccountKeyLastAuthentication',
  fullResourceName: `//iam.googleapis.com/projects/${PROJECT}/serviceAccounts/${APP}/keys/${key}`,
  observationPeriod: { startTime: '2026-01-01T00:00:00Z', endTime: '2026-11-30T00:00:00Z' },
});
let root: string;
let standIn: GcpStandIn;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reachgraph-gcp-key-activity-'));
  await cp(GCP_FIXTURE_ROOT, root, { recursive: true });
  await writeFile(
    join(root, 'gcp', 'projects', PROJECT, 'service-account-key-last-authentication.json'),
    JSON.stringify([activity(KEY, '2026-03-04T05:06:07Z')]),
  );
  standIn = await startGcpStandIn(root);
});
afterAll(async () => {
  await standIn?.close();
  await rm(root, { recursive: true, force: true });
});

const keysOf = (environment: Awaited<ReturnType<typeof collectGcp>>) =>
  environment.serviceAccounts.find((a) => a.email === APP)?.keys.map((k) => [k.id, k.lastAuthenticatedTime]);

describe('service-account keys’ last authentication', () => {
  it('is read from the snapshot and from the API alike, and stored as the key’s lastUsedAt', async () => {
    const snapshot = await collectGcp({ snapshotDir: root });
    expect(snapshot.issues).toEqual([]);
    expect(keysOf(snapshot)).toEqual([
      [KEY, '2026-03-04T05:06:07Z'],
      ['aa11bb22cc33dd44ee55ff6677889900aabbccdd', undefined],
    ]);
    const live = transformGcp(
      await getGcpLive({ organization: '111111111111', endpoint: standIn.url, authClient: fakeAuthClient() }),
      { dataset: shippedPredefinedRoles() },
    );
    expect(live.issues).toEqual([]);
    expect(keysOf(live)).toEqual(keysOf(snapshot));
    expect(
      standIn.requests.some((r) =>
        r.path.endsWith('/activityTypes/serviceAccountKeyLastAuthentication/activities:query'),
      ),
    ).toBe(true);

    const jobs = providerJobs(
      PROVIDER_REGISTRY,
      ['gcp'],
      { snapshotRoot: root, options: {} },
      ConfigSchema.parse({}),
    );
    const { valid } = await analyzeProviders(jobs, { asOf: GCP_FIXTURE_AS_OF });
    const node = valid.nodes.find((n) => n.kind === 'GcpServiceAccountKey' && n.id.endsWith(KEY));
    expect(node?.properties.lastUsedAt).toBe('2026-03-04T05:06:07.000Z');
  });

  it('names the file and the activity that cannot be read', async () => {
    const file = join(root, 'gcp', 'projects', PROJECT, 'service-account-key-last-authentication.json');
    await writeFile(
      file,
      JSON.stringify([activity(KEY, 'yesterday'), { fullResourceName: '//iam.googleapis.com/x' }]),
    );
    const environment = await collectGcp({ snapshotDir: root });
    expect(environment.issues.map((i) => [i.severity, i.message])).toEqual([
      ['error', expect.stringContaining('"lastAuthenticatedTime" "yesterday" is not a time')],
      ['error', expect.stringContaining('does not name a service-account key')],
    ]);
    expect(environment.issues[0]?.source).toContain('service-account-key-last-authentication.json');
    expect(keysOf(environment)?.[0]).toEqual([KEY, undefined]);
  });

  it('is a warning, not an incomplete project, when the API refuses it', async () => {
    standIn.faults.set(
      `/v1/projects/${PROJECT}/locations/global/activityTypes/serviceAccountKeyLastAuthentication/activities:query`,
      { status: 403, reason: 'SERVICE_DISABLED' },
    );
    const raw = await getGcpLive({
      organization: '111111111111',
      endpoint: standIn.url,
      authClient: fakeAuthClient(),
    });
    expect(raw.issues.map((i) => [i.severity, i.object])).toEqual([['warning', `gcp:${PROJECT}`]]);
    expect(raw.issues[0]?.message).toContain('last use is unknown');
  });
});
