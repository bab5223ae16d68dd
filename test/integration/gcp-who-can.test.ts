import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcpIamQueries } from '../../src/answers/gcp-iam.js';
import { gcpObjects, gcpObjectsOfInventory } from '../../src/answers/gcp-iam-objects.js';
import { executorReader } from '../../src/answers/graph-reader.js';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import type { ValidInventory } from '../../src/model/validate.js';
import { analyzeProviders, providerJobs, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { type GraphqlBody, postGraphql, tokenApi } from '../helpers/graphql.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from '../unit/gcp/expected.js';

// GCP who-can and can-i from Neo4j and from the snapshot in memory: the GCP organization fixture
// synced into a real Neo4j holds the policies and the roles its bindings use, and the one authorizer
// gives the same answers from both (deny policies, conditional bindings, group membership: eve is
// MEMBER_OF data-eng@ in both). The API answers the same, behind its token; `query escalations`,
// `admins` and `reach` cover the GCP nodes.

const executor: GraphExecutor = testExecutor();
const TOKEN = 'rg_gcp';
const api = tokenApi(executor, TOKEN);
const asOf = GCP_FIXTURE_AS_OF;
const BUCKET = '//storage.googleapis.com/projects/_/buckets/prod-data-example';
const EVE = { id: 'gcp:user:eve@example.com', group: 'gcp:group:data-eng@example.com' };
let valid: ValidInventory;
let memory: GcpIamQueries;

async function graphql(query: string, token = TOKEN) {
  const response = await postGraphql(api, query, { token });
  return { status: response.status, body: (await response.json()) as GraphqlBody };
}

beforeAll(async () => {
  await wipe(executor);
  const jobs = () =>
    providerJobs(
      PROVIDER_REGISTRY,
      ['gcp'],
      { snapshotRoot: GCP_FIXTURE_ROOT, options: {} },
      ConfigSchema.parse({}),
    );
  const result = await syncProviders(executor, jobs(), { summary: false, asOf });
  expect(result.load.status).toBe('succeeded');
  ({ valid } = await analyzeProviders(jobs(), { asOf }));
  // Membership as a collection of Cloud Identity groups would store it.
  await executor.write(
    `MERGE (u:Entity:GcpUser:Principal {id: $id}) SET u.name = 'eve@example.com'
     WITH u MATCH (g:GcpGroup {id: $group}) MERGE (u)-[:MEMBER_OF]->(g)`,
    EVE,
  );
  memory = new GcpIamQueries(
    gcpObjects([
      ...gcpObjectsOfInventory(valid),
      { kind: 'GcpUser', props: { id: EVE.id }, parent: null, groups: [EVE.group] },
    ]),
  );
}, 300_000);
afterAll(() => executor.close());

const QUESTIONS = [
  { permission: 'storage.objects.get', resource: BUCKET },
  { permission: 'storage.objects.delete', resource: 'gs://prod-data-example' },
  { permission: 'storage.objects.list', resource: BUCKET },
  { permission: 'iam.serviceAccountKeys.create', resource: 'ci@dev-sandbox-654321.iam.gserviceaccount.com' },
  {
    permission: 'iam.serviceAccounts.getAccessToken',
    resource: 'app@prod-app-123456.iam.gserviceaccount.com',
  },
  { permission: 'iam.serviceAccounts.actAs', resource: 'projects/prod-app-123456' },
  { permission: 'pubsub.topics.publish', resource: 'projects/prod-app-123456/topics/orders' },
  {
    permission: 'cloudsql.instances.connect',
    resource: '//cloudsql.googleapis.com/projects/prod-app-123456/instances/orders-db',
  },
  {
    permission: 'secretmanager.versions.access',
    resource: 'projects/prod-app-123456/secrets/app-db-password',
  },
  {
    permission: 'secretmanager.versions.access',
    resource: 'projects/prod-app-123456/secrets/billing-api-token',
  },
  {
    permission: 'resourcemanager.projects.setIamPolicy',
    resource: '//cloudresourcemanager.googleapis.com/projects/dev-sandbox-654321',
  },
  { permission: 'iam.serviceAccounts.actAs', resource: 'organizations/111111111111' },
  { permission: 'iam.roles.create', resource: 'folders/222222222222' },
];

describe('GCP who-can and can-i: Neo4j and memory decide the same', () => {
  it('stores the policies and only the roles the bindings use', async () => {
    const roles = await executor.read<{ id: string; n: number; scope: string | null }>(
      `MATCH (r:GcpRole) RETURN r.id AS id, size(r.permissions) AS n, r.scope AS scope ORDER BY id`,
    );
    expect(roles.length).toBeLessThan(20);
    expect(roles.find((r) => r.id === 'gcp:role:organizations/111111111111/roles/deployer')).toMatchObject({
      n: 4,
      scope: 'gcp:organizations/111111111111',
    });
    expect(roles.find((r) => r.id === 'gcp:role:roles/owner')?.scope).toBeNull();
    const [folder] = await executor.read<{ deny: string }>(
      `MATCH (f:GcpFolder {id: 'gcp:folders/222222222222'}) RETURN f.denyPolicies AS deny`,
    );
    expect(JSON.parse(folder?.deny ?? '[]')[0].name).toContain('denypolicies/no-deletes');
  });

  it('gives the same who-can and can-i answers from Neo4j as from the snapshot', async () => {
    const graph = await GcpIamQueries.fromGraph(executorReader(executor));
    for (const ask of QUESTIONS) {
      const expected = memory.whoCan({ ...ask, asOf });
      expect(expected.length, ask.permission).toBeGreaterThan(0);
      expect(graph.whoCan({ ...ask, asOf }), `${ask.permission} ${ask.resource}`).toEqual(expected);
    }
    const decisions = QUESTIONS.flatMap((ask) => memory.whoCan({ ...ask, asOf }).map((a) => a.decision));
    expect(new Set(decisions)).toEqual(new Set(['allowed', 'conditional', 'denied']));
    for (const as of [
      'user:eve@example.com',
      'user:dev@example.com',
      'app@prod-app-123456.iam.gserviceaccount.com',
    ])
      for (const resource of [
        BUCKET,
        'ci@dev-sandbox-654321.iam.gserviceaccount.com',
        'projects/prod-app-123456',
      ])
        expect(graph.canI({ as, resource, asOf }), `${as} ${resource}`).toEqual(
          memory.canI({ as, resource, asOf }),
        );
    // eve, in data-eng@, loses storage.objects.delete to the deny rule that names the group, in both.
    const eve = graph.canI({
      as: 'user:eve@example.com',
      resource: BUCKET,
      permission: 'storage.objects.delete',
      asOf,
    });
    expect(eve.map((a) => a.decision)).toEqual(['denied']);
  });

  it('answers gcpWhoCan and gcpCanI through the API as the CLI does, behind the token', async () => {
    const { body } = await graphql(
      `query { gcpWhoCan(permission: "storage.objects.delete", resource: "gs://prod-data-example", asOf: "2026-12-01") {
         resource principal id decision grants { role at binding member through conditions denied deny { policy rule outcome reason } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const expected = memory.whoCan({ permission: 'storage.objects.delete', resource: BUCKET, asOf });
    expect(body.data.gcpWhoCan).toEqual(
      expected.map((a) => ({
        resource: a.resource,
        principal: a.principal,
        id: a.id,
        decision: a.decision,
        grants: a.grants.map(({ source: _, ...g }) => g),
      })),
    );
    const canI = await graphql(
      `query { gcpCanI(as: "serviceAccount:app@prod-app-123456.iam.gserviceaccount.com", resource: "projects/prod-app-123456/topics/orders") { permission decision grants { conditions } } }`,
    );
    expect(canI.body.data.gcpCanI).toContainEqual({
      permission: 'pubsub.topics.publish',
      decision: 'conditional',
      grants: [{ conditions: [expect.stringContaining('getHours')] }],
    });
    const bad = await graphql(
      'query { gcpWhoCan(permission: "storage.objects.get", resource: "gs://nope") { principal } }',
    );
    expect(bad.body.errors?.map((e) => e.message)).toEqual([
      expect.stringContaining('no collected GCP resource "gs://nope"'),
    ]);
    const denied = await graphql(
      'query { gcpWhoCan(permission: "storage.objects.get", resource: "gs://x") { principal } }',
      'rg_wrong',
    );
    expect(denied.status).toBe(401);
  });

  it('routes GCP through escalations, admins and reach, from Neo4j as in memory', async () => {
    const graph = new GraphPathQueries(executor);
    const inMemory = new MemoryPathQueries(MemoryGraph.fromInventory(valid));
    const escalations = await graph.escalations({ kind: 'GcpProject' });
    expect(escalations.map((e) => `${e.principal} -> ${e.target} ${e.self}`)).toContain(
      'gcp:sa:ci@dev-sandbox-654321.iam.gserviceaccount.com -> gcp:projects/dev-sandbox-654321 true',
    );
    expect(escalations).toEqual(await inMemory.escalations({ kind: 'GcpProject' }));
    const admins = await graph.admins({});
    expect(admins.map((a) => `${a.principal} -> ${a.target}`)).toContain(
      'gcp:user:admin@example.com -> gcp:organizations/111111111111',
    );
    expect(admins).toEqual(await inMemory.admins({}));
    const reach = {
      from: 'gcp:principalset:principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/example/deploy',
      to: 'gcp:storage:projects/_/buckets/prod-data-example',
    };
    const paths = await graph.reach(reach);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths).toEqual(await inMemory.reach(reach));
  });
});

describe('GCP who-can honours what the graph knows of a group’s members', () => {
  // The fixture again, with Cloud Identity listings beside it: data-eng@ listed in part (a member
  // that is no user, service account or group), auditors@ in full, platform@ refused.
  const groups: Record<string, unknown> = {
    'data-eng@example.com': [
      { preferredMemberKey: { id: 'eve@example.com' }, type: 'USER' },
      { preferredMemberKey: { id: 'C0123abc' }, type: 'CUSTOMER' },
    ],
    'auditors@example.com': [{ preferredMemberKey: { id: 'audra@example.com' }, type: 'USER' }],
    'platform@example.com': { unreadable: 'PERMISSION_DENIED: The caller does not have permission' },
  };
  let root: string;
  let fromSnapshot: GcpIamQueries;
  let fromGraph: GcpIamQueries;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reachgraph-gcp-groups-'));
    await cp(GCP_FIXTURE_ROOT, root, { recursive: true });
    const dir = join(root, 'gcp', 'organization', 'groups');
    await mkdir(dir, { recursive: true });
    for (const [email, listing] of Object.entries(groups))
      await writeFile(join(dir, `${email}.json`), JSON.stringify(listing));
    // dev@ may delete the bucket's objects too; the folder's deny rule names data-eng@ only.
    const bucketPolicy = join(
      root,
      'gcp',
      'projects',
      'prod-app-123456',
      'bucket-iam-policies',
      'prod-data-example.json',
    );
    const policy = JSON.parse(await readFile(bucketPolicy, 'utf8'));
    policy.bindings.push({ role: 'roles/storage.objectAdmin', members: ['user:dev@example.com'] });
    await writeFile(bucketPolicy, JSON.stringify(policy));
    await wipe(executor);
    const jobs = () =>
      providerJobs(PROVIDER_REGISTRY, ['gcp'], { snapshotRoot: root, options: {} }, ConfigSchema.parse({}));
    const result = await syncProviders(executor, jobs(), { summary: false, asOf });
    expect(result.load.status).toBe('succeeded');
    fromSnapshot = GcpIamQueries.fromInventory((await analyzeProviders(jobs(), { asOf })).valid);
    fromGraph = await GcpIamQueries.fromGraph(executorReader(executor));
  }, 300_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stores each listed group’s membership state on its node', async () => {
    const rows = await executor.read<{ id: string; membership: string; transitive: boolean }>(
      `MATCH (g:GcpGroup) WHERE g.membership IS NOT NULL
       RETURN g.id AS id, g.membership AS membership, g.membershipTransitive AS transitive ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'gcp:group:auditors@example.com', membership: 'complete', transitive: false },
      { id: 'gcp:group:data-eng@example.com', membership: 'partial', transitive: false },
      { id: 'gcp:group:platform@example.com', membership: 'unreadable', transitive: false },
    ]);
  });

  it('reports a group listed in part or refused as such, never as one without other members', () => {
    const ask = { permission: 'storage.objects.get', resource: BUCKET, asOf };
    const answers = fromGraph.whoCan(ask);
    expect(answers).toEqual(fromSnapshot.whoCan(ask));
    const membership = Object.fromEntries(answers.map((a) => [a.principal, a.membership]));
    expect(membership).toMatchObject({
      'group:data-eng@example.com': 'partial',
      'user:eve@example.com': null,
    });
    expect(answers.find((a) => a.principal === 'user:eve@example.com')?.grants[0]?.through).toBe(
      'group:data-eng@example.com',
    );
    // auditors@ holds it only before 2020 (its binding's condition), and is listed in full.
    const audit = { ...ask, asOf: new Date('2019-06-01T00:00:00Z') };
    const auditors = fromGraph.whoCan(audit);
    expect(auditors).toEqual(fromSnapshot.whoCan(audit));
    expect(auditors.find((a) => a.principal === 'group:auditors@example.com')?.membership).toBe('complete');
    expect(auditors.find((a) => a.principal === 'user:audra@example.com')?.grants[0]?.through).toBe(
      'group:auditors@example.com',
    );
    const project = {
      permission: 'resourcemanager.projects.get',
      resource: 'projects/prod-app-123456',
      asOf,
    };
    const platform = fromGraph.whoCan(project).find((a) => a.principal === 'group:platform@example.com');
    expect(platform?.membership).toBe('unreadable');
    expect(fromGraph.whoCan(project)).toEqual(fromSnapshot.whoCan(project));
  });

  it('keeps a deny rule naming a group listed in part undecided for a principal not listed in it', () => {
    const ask = { permission: 'storage.objects.delete', resource: BUCKET, asOf };
    const answers = fromGraph.whoCan(ask);
    expect(answers).toEqual(fromSnapshot.whoCan(ask));
    const dev = answers.find((a) => a.principal === 'user:dev@example.com');
    // data-eng@'s listing had a member it could not name: dev@ may be in it, so may be denied.
    expect(dev?.decision).toBe('conditional');
    expect(dev?.grants[0]?.deny.map((d) => d.outcome)).toEqual(['undecided']);
    expect(answers.find((a) => a.principal === 'user:eve@example.com')?.decision).toBe('denied');
  });
});
