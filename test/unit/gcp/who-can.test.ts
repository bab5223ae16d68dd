import { beforeAll, describe, expect, it } from 'vitest';
import { type GcpAccessAnswer, GcpIamQueries } from '../../../src/answers/gcp-iam.js';
import { gcpObjects, gcpObjectsOfInventory } from '../../../src/answers/gcp-iam-objects.js';
import { formatGcpWhoCan } from '../../../src/cli/format-gcp.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { ValidInventory } from '../../../src/model/validate.js';
import { analyzeProviders, providerJobs } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

// who-can and can-i over the GCP organization fixture, in memory, as `reachgraph query who-can
// PERMISSION RESOURCE --snapshot test/fixtures/gcp-org` asks them: inherited bindings with their
// level, the deny policies (what denied, and why the others did not apply), the conditional bindings,
// and group membership when the graph knows it (a MEMBER_OF added here: eve is in data-eng@).

const asOf = GCP_FIXTURE_AS_OF;
const BUCKET = '//storage.googleapis.com/projects/_/buckets/prod-data-example';
const CI = 'ci@dev-sandbox-654321.iam.gserviceaccount.com';
const APP = 'serviceAccount:app@prod-app-123456.iam.gserviceaccount.com';
let valid: ValidInventory;
let queries: GcpIamQueries;
let withEve: GcpIamQueries;

beforeAll(async () => {
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['gcp'],
    { snapshotRoot: GCP_FIXTURE_ROOT, options: {} },
    ConfigSchema.parse({}),
  );
  ({ valid } = await analyzeProviders(jobs, { asOf }));
  queries = GcpIamQueries.fromInventory(valid);
  withEve = new GcpIamQueries(
    gcpObjects([
      ...gcpObjectsOfInventory(valid),
      {
        kind: 'GcpUser',
        props: { id: 'gcp:user:eve@example.com' },
        parent: null,
        groups: ['gcp:group:data-eng@example.com'],
      },
    ]),
  );
});

const summary = (answers: GcpAccessAnswer[]) => answers.map((a) => `${a.principal} ${a.decision}`);

describe('GCP who-can', () => {
  it('lists who holds a permission on a bucket, with the binding, role and level it was granted at', () => {
    const answers = queries.whoCan({ permission: 'storage.objects.get', resource: BUCKET, asOf });
    expect(summary(answers)).toEqual(['group:data-eng@example.com allowed', `${APP} allowed`]);
    expect(answers[0]?.grants).toEqual([
      expect.objectContaining({
        role: 'roles/storage.objectAdmin',
        at: 'folders/222222222222',
        binding: 0,
        member: 'group:data-eng@example.com',
        through: null,
        conditions: [],
        denied: false,
      }),
    ]);
    expect(answers[0]).toMatchObject({ id: 'gcp:group:data-eng@example.com', kind: 'GcpGroup' });
    expect(answers[1]?.grants[0]).toMatchObject({
      role: 'roles/storage.objectViewer',
      at: 'projects/_/buckets/prod-data-example',
    });
  });

  it('shows the deny rule that takes a permission away, and why the others did not apply', () => {
    const deletes = queries.whoCan({
      permission: 'storage.objects.delete',
      resource: 'gs://prod-data-example',
      asOf,
    });
    expect(summary(deletes)).toEqual(['group:data-eng@example.com denied']);
    expect(deletes[0]?.grants[0]?.deny).toEqual([
      {
        policy:
          'policies/cloudresourcemanager.googleapis.com%2Ffolders%2F222222222222/denypolicies/no-deletes',
        rule: 0,
        outcome: 'denies',
        reason: 'denies storage.objects.delete to group:data-eng@example.com',
      },
    ]);
    const keys = queries.whoCan({ permission: 'iam.serviceAccountKeys.create', resource: CI, asOf });
    expect(summary(keys)).toEqual(['user:admin@example.com allowed', 'user:dev@example.com denied']);
    expect(keys[0]?.grants[0]?.deny[0]).toMatchObject({
      outcome: 'not-applicable',
      reason:
        'user:admin@example.com is excepted (exceptionPrincipals: principal://goog/subject/admin@example.com)',
    });
    expect(keys[0]?.grants[0]).toMatchObject({ role: 'roles/owner', at: 'organizations/111111111111' });
  });

  it('keeps an undecided condition as a conditional answer, and drops a false one', () => {
    const publish = queries.whoCan({
      permission: 'pubsub.topics.publish',
      resource: 'projects/prod-app-123456/topics/orders',
      asOf,
    });
    expect(summary(publish)).toEqual([
      'serviceAccount:123456789012-compute@developer.gserviceaccount.com allowed',
      // The Deployment Manager service agent holds roles/editor on the project.
      'serviceAccount:123456789012@cloudservices.gserviceaccount.com allowed',
      'user:admin@example.com allowed',
      `${APP} conditional`,
    ]);
    expect(publish[3]?.grants[0]?.conditions[0]).toContain('getHours("Europe/Berlin")');
    // The auditors' 2019 window is over: their objectViewer at the organization grants nothing.
    const objects = queries.whoCan({ permission: 'storage.objects.list', resource: BUCKET, asOf });
    expect(objects.map((a) => a.principal)).not.toContain('group:auditors@example.com');
    // Decided as of another time, it holds again.
    const then = queries.whoCan({
      permission: 'storage.objects.list',
      resource: BUCKET,
      asOf: new Date('2019-06-01T00:00:00Z'),
    });
    expect(then.map((a) => a.principal)).toContain('group:auditors@example.com');
  });

  it('decides a resource condition per resource: app@ reads app- secrets only', () => {
    const read = (secret: string) =>
      summary(
        queries.whoCan({
          permission: 'secretmanager.versions.access',
          resource: `projects/prod-app-123456/secrets/${secret}`,
          asOf,
        }),
      );
    expect(read('app-db-password')).toContain(`${APP} allowed`);
    expect(read('billing-api-token').join()).not.toContain(APP);
  });

  it('expands a group to its known members, deny rules naming the group covering them', () => {
    const get = withEve.whoCan({ permission: 'storage.objects.get', resource: BUCKET, asOf });
    expect(summary(get)).toContain('user:eve@example.com allowed');
    expect(get.find((a) => a.principal === 'user:eve@example.com')?.grants[0]).toMatchObject({
      member: 'group:data-eng@example.com',
      through: 'group:data-eng@example.com',
      role: 'roles/storage.objectAdmin',
    });
    const del = withEve.whoCan({ permission: 'storage.objects.delete', resource: BUCKET, asOf });
    expect(summary(del)).toEqual(['group:data-eng@example.com denied', 'user:eve@example.com denied']);
  });

  it('takes a group as listed in full only when its node says so, and says so in the answer', () => {
    const eve = { kind: 'GcpUser', props: { id: 'gcp:user:eve@example.com' }, parent: null };
    const rows = gcpObjectsOfInventory(valid);
    const group = (membership?: string) => ({
      kind: 'GcpGroup',
      props: { id: 'gcp:group:data-eng@example.com', ...(membership ? { membership } : {}) },
      parent: null,
      groups: [],
    });
    const asked = (membership?: string) =>
      new GcpIamQueries(
        gcpObjects([...rows, group(membership), { ...eve, groups: ['gcp:group:data-eng@example.com'] }]),
      ).whoCan({ permission: 'storage.objects.get', resource: BUCKET, asOf });
    const state = (answers: GcpAccessAnswer[]) =>
      answers.find((a) => a.principal === 'group:data-eng@example.com')?.membership;
    expect(state(asked('complete'))).toBe('complete');
    expect(state(asked('partial'))).toBe('partial');
    // MEMBER_OF edges with no listing behind them name some members, never all of them.
    expect(state(asked())).toBe('partial');
    expect(state(queries.whoCan({ permission: 'storage.objects.get', resource: BUCKET, asOf }))).toBe(
      'unknown',
    );
    expect(asked('complete').find((a) => a.principal === APP)?.membership).toBeNull();
    // A group listed as unreadable, with no member: its answer says so, not "no other members".
    const unreadable = new GcpIamQueries(gcpObjects([...rows, group('unreadable')])).whoCan({
      permission: 'storage.objects.get',
      resource: BUCKET,
      asOf,
    });
    expect(state(unreadable)).toBe('unreadable');
    const text = formatGcpWhoCan(unreadable);
    expect(text).toContain('Groups with members not all known (their other members hold this too):');
    expect(text).toContain(
      'group:data-eng@example.com: membership unreadable (its members could not be read when collected)',
    );
    expect(formatGcpWhoCan(asked('complete'))).not.toContain('Groups with members not all known');
  });

  it('accepts the full resource names and the short forms gcloud users type', () => {
    const project = (resource: string) =>
      queries.whoCan({ permission: 'resourcemanager.projects.setIamPolicy', resource, asOf })[0]?.resource;
    for (const spelling of [
      'projects/dev-sandbox-654321',
      '//cloudresourcemanager.googleapis.com/projects/dev-sandbox-654321',
      'gcp:projects/dev-sandbox-654321',
    ])
      expect(project(spelling)).toBe('//cloudresourcemanager.googleapis.com/projects/dev-sandbox-654321');
    const account = (resource: string) =>
      queries.whoCan({ permission: 'iam.serviceAccounts.actAs', resource, asOf })[0]?.resource;
    for (const spelling of [CI, `serviceAccount:${CI}`, `projects/-/serviceAccounts/${CI}`])
      expect(account(spelling)).toBe(
        `//iam.googleapis.com/projects/dev-sandbox-654321/serviceAccounts/${CI}`,
      );
    const secret = (resource: string) =>
      queries.whoCan({ permission: 'secretmanager.versions.access', resource, asOf })[0]?.resource;
    expect(secret('projects/123456789012/secrets/app-db-password')).toBe(
      '//secretmanager.googleapis.com/projects/123456789012/secrets/app-db-password',
    );
    expect(secret('projects/prod-app-123456/secrets/app-db-password')).toBe(
      '//secretmanager.googleapis.com/projects/123456789012/secrets/app-db-password',
    );
  });

  it('rejects a malformed permission and a resource not collected, naming them', () => {
    expect(() => queries.whoCan({ permission: 'storage.get', resource: BUCKET })).toThrow(
      /"storage.get" is not a GCP permission/,
    );
    expect(() => queries.whoCan({ permission: 'storage.objects.get', resource: 'gs://nope' })).toThrow(
      /no collected GCP resource "gs:\/\/nope"/,
    );
  });
});

describe('GCP can-i', () => {
  it('decides one permission for one principal, with the deny rule', () => {
    const answers = queries.canI({
      as: 'dev@example.com',
      permission: 'iam.serviceAccountKeys.create',
      resource: CI,
      asOf,
    });
    expect(summary(answers)).toEqual(['user:dev@example.com denied']);
  });

  it("lists a principal's permissions on a resource, only those that act on it", () => {
    const answers = queries.canI({
      as: APP,
      resource: 'projects/prod-app-123456/secrets/app-db-password',
      asOf,
    });
    expect(answers.map((a) => `${a.permission} ${a.decision}`)).toEqual([
      'secretmanager.versions.access allowed',
    ]);
    expect(answers[0]?.grants[0]).toMatchObject({
      role: 'roles/secretmanager.secretAccessor',
      at: 'projects/prod-app-123456',
    });
  });

  it('counts public and group grants as the principal’s own', () => {
    const anyone = queries.canI({
      as: 'user:stranger@elsewhere.example',
      permission: 'storage.objects.get',
      resource: 'gs://dev-scratch-example',
      asOf,
    });
    expect(anyone[0]?.grants[0]).toMatchObject({ member: 'allUsers', through: 'allUsers' });
    expect(anyone[0]?.decision).toBe('allowed');
    const eve = withEve.canI({
      as: 'user:eve@example.com',
      permission: 'storage.objects.delete',
      resource: BUCKET,
      asOf,
    });
    expect(summary(eve)).toEqual(['user:eve@example.com denied']);
  });

  it('rejects what is no principal', () => {
    expect(() => queries.canI({ as: 'robot:x', resource: BUCKET })).toThrow(
      /--as: "robot:x" is not a principal/,
    );
  });
});
