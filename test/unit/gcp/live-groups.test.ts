import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { getGcpLive } from '../../../src/collectors/gcp/live.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { type GcpEnvironment, groupMembershipState } from '../../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { gcpProvider } from '../../../src/providers/gcp/index.js';
import { fakeAuthClient, type GcpStandIn, startGcpStandIn } from '../../helpers/gcp-api-standin.js';
import { CROSS_CLOUD_ROOT } from '../cross-provider/cross-cloud.js';

// Live collection of Cloud Identity group members (`--group-members`): the stand-in serves
// test/fixtures/cross-cloud's organization with its groups/ as Cloud Identity answers them, plus a
// group nested in contractors@ that no policy names and that the caller may not see. The live
// collector must follow the nesting, record the refused group as unreadable, and give the groups the
// snapshot reader gives.

let root: string;
let standIn: GcpStandIn;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reachgraph-gcp-live-groups-'));
  await cp(CROSS_CLOUD_ROOT, root, { recursive: true });
  const groups = join(root, 'gcp', 'organization', 'groups');
  const contractors = join(groups, 'contractors@acme.example.json');
  const listing = JSON.parse(await readFile(contractors, 'utf8')) as unknown[];
  listing.push({
    name: 'groups/02def/memberships/2',
    preferredMemberKey: { id: 'Vendors@acme.example' },
    roles: [{ name: 'MEMBER' }],
    type: 'GROUP',
  });
  await writeFile(contractors, JSON.stringify(listing));
  await writeFile(
    join(groups, 'vendors@acme.example.json'),
    JSON.stringify({ unreadable: 'PERMISSION_DENIED' }),
  );
  standIn = await startGcpStandIn(root);
});
afterAll(async () => {
  await standIn?.close();
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  standIn.requests.length = 0;
  standIn.faults.clear();
});

const live = async (groupMembers: boolean) =>
  transformGcp(
    await getGcpLive({
      organization: '999000999000',
      endpoint: standIn.url,
      authClient: fakeAuthClient(),
      pageSize: 1,
      backoffMs: 1,
      ...(groupMembers ? { groupMembers } : {}),
    }),
    { dataset: shippedPredefinedRoles() },
  );

const groupsOf = (environment: GcpEnvironment) =>
  [...(environment.groups?.values() ?? [])].map((g) => ({
    email: g.email,
    members: g.members,
    transitive: g.transitive,
    state: groupMembershipState(g),
  }));

describe('live Cloud Identity group members', () => {
  it('reads the groups the policies name and those nested in them, as the snapshot gives them', async () => {
    const environment = await live(true);
    const snapshot = await collectGcp({ snapshotDir: root });
    expect(groupsOf(environment)).toEqual(groupsOf(snapshot));
    expect(groupsOf(environment).map((g) => [g.email, g.state])).toEqual([
      ['contractors@acme.example', 'complete'],
      ['data-readers@acme.example', 'complete'],
      ['vendors@acme.example', 'unreadable'],
    ]);
    // The refused group is a warning naming it, and nothing else went wrong.
    expect(environment.issues.map((i) => [i.severity, i.object])).toEqual([
      ['warning', 'group vendors@acme.example'],
    ]);
    expect(environment.issues[0]?.message).toContain('HTTP 403');
    // Each group looked up once; listings paged (one member a page); reads only.
    const lookups = standIn.requests.filter((r) => r.path === '/v1/groups:lookup');
    expect(lookups.map((r) => r.query.get('groupKey.id')).sort()).toEqual([
      'contractors@acme.example',
      'data-readers@acme.example',
      'vendors@acme.example',
    ]);
    const pages = standIn.requests.filter((r) => /^\/v1\/groups\/g\d+\/memberships$/.test(r.path));
    expect(pages.every((r) => r.method === 'GET' && r.query.get('view') === 'FULL')).toBe(true);
    expect(pages.map((r) => r.query.get('pageToken'))).toContain('1');
  });

  it('reads no group unless asked', async () => {
    const environment = await live(false);
    expect(environment.groups).toBeUndefined();
    expect(standIn.requests.filter((r) => r.path.startsWith('/v1/groups'))).toEqual([]);
  });

  it('warns once and reads no group when the Cloud Identity API is not enabled', async () => {
    standIn.faults.set('/v1/groups:lookup', { status: 403, reason: 'SERVICE_DISABLED' });
    const environment = await live(true);
    expect(environment.groups).toBeUndefined();
    expect(environment.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('Cloud Identity API is not enabled'),
      }),
    ]);
  });

  it('is asked for with --group-members or gcp.groupMembers, for live collection only', () => {
    const config = ConfigSchema.parse({});
    const request = gcpProvider.requestOf({ live: true, options: { groupMembers: true } }, config);
    expect(request.source).toMatchObject({ live: { groupMembers: true } });
    const fromConfig = gcpProvider.requestOf(
      { live: true, options: {} },
      ConfigSchema.parse({ gcp: { groupMembers: true } }),
    );
    expect(fromConfig.source).toMatchObject({ live: { groupMembers: true } });
    expect(gcpProvider.requestOf({ live: true, options: {} }, config).source).not.toMatchObject({
      live: { groupMembers: true },
    });
    expect(() =>
      gcpProvider.requestOf({ snapshotRoot: root, options: { groupMembers: true } }, config),
    ).toThrow('--group-members only apply to live collection');
  });
});
