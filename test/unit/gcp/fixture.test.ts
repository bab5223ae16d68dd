import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGcp, type GcpAnalysis } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';
import { analyzeProviders, providerJobs } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { ABSENT_EDGES, EXPECTED_EDGES, GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

const key = (e: GcpAnalysis['edges'][number]) =>
  `${e.type} ${e.from} -> ${e.to}${e.properties.technique ? ` (${e.properties.technique})` : ''}`;

let environment: GcpEnvironment;
let analysis: GcpAnalysis;
beforeAll(async () => {
  environment = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
  analysis = analyzeGcp(environment, { asOf: GCP_FIXTURE_AS_OF });
});

describe('the GCP organization fixture', () => {
  it('reads every level, service account, pool and data resource without error', () => {
    expect(environment.issues).toEqual([]);
    expect([...environment.containers.keys()].sort()).toEqual([
      'folders/222222222222',
      'organizations/111111111111',
      'projects/dev-sandbox-654321',
      'projects/prod-app-123456',
    ]);
    expect(environment.serviceAccounts).toHaveLength(4);
    expect(environment.resources.map((r) => r.shortName).sort()).toEqual([
      'app-db-password',
      'billing-api-token',
      'dev-scratch-example',
      'orders',
      'orders-db',
      'prod-data-example',
    ]);
    const sql = environment.resources.find((r) => r.kind === 'sqlInstance');
    expect(sql).toMatchObject({
      fullName: '//cloudsql.googleapis.com/projects/prod-app-123456/instances/orders-db',
      labels: { sensitivity: 'high' },
    });
    expect(sql?.policy).toBeUndefined();
    expect(environment.roles.custom.get('organizations/111111111111/roles/deployer')?.permissions).toContain(
      'iam.serviceAccounts.actAs',
    );
  });

  it('derives exactly the README’s edges, each with evidence, and none of its near misses', () => {
    const keys = analysis.edges.map(key).sort();
    expect(keys).toEqual([...EXPECTED_EDGES].sort());
    for (const absent of ABSENT_EDGES) expect(keys).not.toContain(absent);
    for (const edge of analysis.edges) expect(edge.evidence.length).toBeGreaterThan(0);
  });

  it('names the binding, role and level of each grant, and keeps undecided conditions', () => {
    const publish = analysis.edges.find(
      (e) => key(e).startsWith('CAN_ACCESS gcp:sa:app@') && e.to.includes('topics'),
    );
    expect(publish?.properties).toMatchObject({ levels: ['write'], conditional: true });
    expect(publish?.evidence[0]).toMatchObject({
      source: 'iam-binding',
      ref: 'projects/prod-app-123456',
      statement:
        'bindings[2] roles/pubsub.publisher serviceAccount:app@prod-app-123456.iam.gserviceaccount.com',
    });
    expect(publish?.evidence[0]?.conditions?.[0]).toContain('getHours');
    const secret = analysis.edges.find(
      (e) => key(e).startsWith('CAN_ACCESS gcp:sa:app@') && e.to.includes('app-db'),
    );
    expect(secret?.properties).toEqual({ levels: ['read'], actions: ['secretmanager.versions.access'] });
    const data = analysis.edges.find((e) => e.from === 'gcp:group:data-eng@example.com');
    expect(data?.evidence[0]?.ref).toBe('folders/222222222222');
    expect(data?.properties.actions).not.toContain('storage.objects.delete');
    const federation = analysis.edges.find((e) => e.type === 'FEDERATES_TO');
    expect(federation?.evidence[0]?.statement).toContain('roles/iam.workloadIdentityUser');
  });

  it('names the technique, its ATT&CK id and the grants of each new escalation', () => {
    const find = (k: string) => analysis.edges.find((e) => key(e) === k);
    const dm = find(
      'CAN_ESCALATE gcp:sa:123456789012-compute@developer.gserviceaccount.com -> gcp:sa:123456789012@cloudservices.gserviceaccount.com (gcp-deploymentmanager-service-agent)',
    );
    expect(dm?.properties).toEqual({ technique: 'gcp-deploymentmanager-service-agent', attack: 'T1548' });
    expect(dm?.evidence.map((e) => e.statement)).toEqual([
      'bindings[0] roles/editor serviceAccount:123456789012-compute@developer.gserviceaccount.com',
      'bindings[4] roles/editor serviceAccount:123456789012@cloudservices.gserviceaccount.com',
    ]);
    const release = find(
      'CAN_ESCALATE gcp:user:release@example.com -> gcp:projects/dev-sandbox-654321 (gcp-iam-roles-update)',
    );
    expect(release?.properties).toEqual({
      technique: 'gcp-iam-roles-update',
      attack: 'T1098.003',
      self: true,
    });
    expect(release?.evidence[0]).toMatchObject({
      ref: 'projects/dev-sandbox-654321',
      statement: 'bindings[2] projects/dev-sandbox-654321/roles/releaser user:release@example.com',
      reason: expect.stringContaining('updated to include resourcemanager.projects.setIamPolicy'),
    });
    const provider = analysis.edges.find(
      (e) => e.from === 'gcp:group:platform@example.com' && e.type === 'CAN_ESCALATE',
    );
    expect(provider?.properties.attack).toBe('T1484.002');
    expect(provider?.evidence[0]?.statement).toBe(
      'bindings[5] roles/iam.workloadIdentityPoolAdmin group:platform@example.com',
    );
  });

  it('gives the creator of HMAC keys the buckets its project’s service accounts read, with via', () => {
    const compute = analysis.edges.find(
      (e) =>
        e.from === 'gcp:sa:123456789012-compute@developer.gserviceaccount.com' &&
        e.to === 'gcp:storage:projects/_/buckets/prod-data-example',
    );
    expect(compute?.properties).toMatchObject({
      levels: ['list', 'read', 'write'],
      via: ['gcp-storage-hmackeys-create'],
    });
    expect(compute?.properties.conditional).toBeUndefined();
    expect(compute?.evidence.map((e) => e.reason)).toContainEqual(
      expect.stringContaining('an HMAC key for app@prod-app-123456.iam.gserviceaccount.com'),
    );
    // app@ reads the bucket itself: nothing to gain, no via
    const app = analysis.edges.find(
      (e) => e.from === 'gcp:sa:app@prod-app-123456.iam.gserviceaccount.com' && e.to.includes('prod-data'),
    );
    expect(app?.properties.via).toBeUndefined();
  });

  it('reaches Cloud SQL through project bindings only, with levels', () => {
    const app = analysis.edges.find((e) => e.from.startsWith('gcp:sa:app@') && e.to.includes('orders-db'));
    expect(app?.properties).toEqual({
      levels: ['list', 'read'],
      actions: ['cloudsql.instances.connect', 'cloudsql.instances.get'],
    });
    expect(app?.evidence[0]?.ref).toBe('projects/prod-app-123456');
  });

  it('builds a valid inventory: every edge to a shared node (a service agent, a principal set) has a scope', async () => {
    const jobs = providerJobs(
      PROVIDER_REGISTRY,
      ['gcp'],
      { snapshotRoot: GCP_FIXTURE_ROOT, options: {} },
      ConfigSchema.parse({}),
    );
    const { valid } = await analyzeProviders(jobs, { asOf: GCP_FIXTURE_AS_OF });
    const provider = valid.relationships.find(
      (r) => r.from === 'gcp:group:platform@example.com' && r.type === 'CAN_ESCALATE',
    );
    expect(provider?.scope).toBe('gcp:prod-app-123456');
    expect(
      valid.nodes.find((n) => n.id === 'gcp:sa:123456789012@cloudservices.gserviceaccount.com')?.kind,
    ).toBe('GcpServiceAccount');
    expect(valid.nodes.find((n) => n.id.includes('orders-db'))).toMatchObject({
      kind: 'GcpSqlInstance',
      properties: expect.objectContaining({ sensitivity: 'high', environment: 'production' }),
    });
  });

  it('reports the pool provider without an attribute condition, the binding to a deleted principal and the default compute account as editor', () => {
    expect(analysis.findings.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual([
      'gcp-binding-to-deleted-principal gcp:projects/prod-app-123456',
      'gcp-default-compute-service-account-editor gcp:sa:123456789012-compute@developer.gserviceaccount.com',
      'gcp-federation-without-attribute-condition gcp:wiprovider:projects/123456789012/locations/global/workloadIdentityPools/github/providers/github-any',
    ]);
  });

  it('names every member of the fixture (the GKE workload as its pool subject): no issue', () => {
    expect(analysis.issues).toEqual([]);
  });
});

describe('bad GCP input', () => {
  let root: string;
  const project = () => join(root, 'gcp/projects/prod-app-123456');
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gcp-bad-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const fresh = async () => {
    await rm(join(root, 'gcp'), { recursive: true, force: true });
    await cp(join(GCP_FIXTURE_ROOT, 'gcp'), join(root, 'gcp'), { recursive: true });
  };

  it('a truncated policy is an error naming the file, and that level grants nothing from it', async () => {
    await fresh();
    await writeFile(join(project(), 'iam-policy.json'), '{"bindings": [{"role": "roles/editor", "memb');
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: join(project(), 'iam-policy.json'),
        object: 'gcp:prod-app-123456',
        message: expect.stringContaining('malformed JSON'),
      }),
    ]);
    const edges = analyzeGcp(env, { asOf: GCP_FIXTURE_AS_OF }).edges.map(key);
    expect(edges.some((e) => e.startsWith('CAN_ESCALATE gcp:sa:123456789012-compute'))).toBe(false);
  });

  it('a binding of the wrong shape is an error naming the file and binding; the others are read', async () => {
    await fresh();
    await writeFile(
      join(project(), 'iam-policy.json'),
      JSON.stringify({
        bindings: [
          { role: 'roles/editor', members: 'serviceAccount:x@y' },
          { role: 'roles/viewer', members: [] },
        ],
      }),
    );
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues).toEqual([
      expect.objectContaining({
        object: 'gcp:prod-app-123456 bindings[0]',
        message: expect.stringContaining('"members"'),
      }),
    ]);
    expect(env.containers.get('projects/prod-app-123456')?.policy?.bindings).toHaveLength(1);
  });

  it('an unknown role and a malformed condition are errors naming the binding; nothing wrong is granted', async () => {
    await fresh();
    await writeFile(
      join(project(), 'iam-policy.json'),
      JSON.stringify({
        bindings: [
          { role: 'roles/no.suchRole', members: ['user:someone@example.com'] },
          {
            role: 'roles/pubsub.publisher',
            members: ['user:someone@example.com'],
            condition: { title: 'broken', expression: 'request.time < (' },
          },
        ],
      }),
    );
    const env = await collectGcp({ snapshotDir: root });
    const result = analyzeGcp(env, { asOf: GCP_FIXTURE_AS_OF });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        object: 'gcp:prod-app-123456 bindings[0]',
        message: expect.stringContaining('unknown role roles/no.suchRole'),
      }),
      expect.objectContaining({
        object: 'gcp:prod-app-123456 bindings[1] (roles/pubsub.publisher)',
        message: expect.stringContaining('malformed CEL condition'),
      }),
    ]);
    const someone = result.edges.filter((e) => e.from === 'gcp:user:someone@example.com');
    expect(someone.map(key)).toEqual([
      'CAN_ACCESS gcp:user:someone@example.com -> gcp:pubsub:projects/prod-app-123456/topics/orders',
    ]);
    expect(someone[0]?.properties.conditional).toBe(true);
  });

  it('a project folder whose describe.json names another project is an error naming both', async () => {
    await fresh();
    await writeFile(join(project(), 'describe.json'), JSON.stringify({ projectId: 'other-project-1' }));
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('"other-project-1" is not prod-app-123456'),
      }),
    ]);
  });
});
