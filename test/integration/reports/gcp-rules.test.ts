import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ENV } from '../../../src/cli/demo.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { providerJobs, syncProviders } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { runFindings } from '../../../src/reports/findings.js';
import { loadRules } from '../../../src/reports/rules/registry.js';
import type { Finding } from '../../../src/reports/types.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from '../../unit/gcp/expected.js';

// The GCP report rules against a real Neo4j: the hand-checked organization of test/fixtures/gcp-org
// (its README explains each fact), then the GCP organization of the demo's sample estate, which
// holds what the fixture does not (service accounts with owner and editor, an impersonation chain
// to an owner, a GitHub workflow reaching production data). Each rule is checked for the findings
// it must report, with their evidence, and for the near misses it must not.

const executor = testExecutor();
const rules = loadRules().filter((r) => r.id.startsWith('gcp-') || r.id === 'nhi-reaches-production-data');
const SA = (email: string) => `gcp:sa:${email}`;

async function syncGcp(snapshotRoot: string): Promise<void> {
  await wipe(executor);
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['gcp'],
    { snapshotRoot, options: {} },
    ConfigSchema.parse({}),
  );
  const result = await syncProviders(executor, jobs, { summary: true, asOf: GCP_FIXTURE_AS_OF });
  expect(result.load.status).toBe('succeeded');
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const subjects = (findings: Finding[], ruleId: string) =>
  of(findings, ruleId)
    .map((f) => f.subject.id)
    .sort();
function one(findings: Finding[], ruleId: string, subject: string): Finding {
  const found = of(findings, ruleId).filter((f) => f.subject.id === subject);
  expect(found, `${ruleId} ${subject}`).toHaveLength(1);
  return found[0] as Finding;
}

describe('GCP rules on the organization fixture', () => {
  const PROD = 'prod-app-123456';
  const APP = SA(`app@${PROD}.iam.gserviceaccount.com`);
  const COMPUTE = SA('123456789012-compute@developer.gserviceaccount.com');
  let findings: Finding[];
  beforeAll(async () => {
    await syncGcp(GCP_FIXTURE_ROOT);
    findings = await runFindings(executor, rules, { now: GCP_FIXTURE_AS_OF });
  }, 300_000);

  it('every GCP rule carries a CIS GCP mapping or none, and loads with the registry', () => {
    const cis = Object.fromEntries(rules.map((r) => [r.id, r.compliance.cisGcp ?? []]));
    expect(cis).toMatchObject({
      'gcp-service-account-key-user-managed': ['1.4'],
      'gcp-service-account-key-not-rotated': ['1.7'],
      'gcp-service-account-basic-role': ['1.5'],
      'gcp-default-compute-service-account-editor': ['1.5'],
      'gcp-public-data': ['5.1'],
      'gcp-binding-to-deleted-principal': [],
      'gcp-federation-without-attribute-condition': [],
      'gcp-impersonation-chain-to-owner': [],
    });
  });

  it('user-managed keys: app@’s key, by age against the analysis time; never the Google-managed one', async () => {
    const key = `gcp:sakey:app@${PROD}.iam.gserviceaccount.com:3f2a9c0e1b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d`;
    const managed = one(findings, 'gcp-service-account-key-user-managed', APP);
    expect(managed.target?.id).toBe(key);
    expect(managed.severity).toBe('low');
    const old = one(findings, 'gcp-service-account-key-not-rotated', APP);
    // validAfterTime 2025-01-10T09:00Z, analysed 2026-12-01.
    expect(old.facts).toMatchObject({
      ageDays: 689,
      status: 'active',
      keyId: '3f2a9c0e1b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d',
    });
    expect(old.message).toBe(
      `user-managed key 3f2a9c0e1b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d of service account app@${PROD}.iam.gserviceaccount.com is 689 days old (limit 90)`,
    );
    expect(findings.some((f) => f.target?.id.endsWith('aa11bb22cc33dd44ee55ff6677889900aabbccdd'))).toBe(
      false,
    );
    // Three weeks after its creation the key is young: still user-managed, not yet due for rotation.
    const early = await runFindings(executor, rules, { now: new Date('2025-02-01T00:00:00Z') });
    expect(subjects(early, 'gcp-service-account-key-user-managed')).toEqual([APP]);
    expect(subjects(early, 'gcp-service-account-key-not-rotated')).toEqual([]);
  });

  it('the default compute account as editor, with its binding; not reported again as a basic role', () => {
    const f = one(findings, 'gcp-default-compute-service-account-editor', COMPUTE);
    expect(f.severity).toBe('high');
    expect(f.evidence?.map((e) => [e.ref, e.statement])).toEqual([
      [
        `projects/${PROD}`,
        `bindings[0] roles/editor serviceAccount:123456789012-compute@developer.gserviceaccount.com`,
      ],
    ]);
    // deployer@ holds a custom role, app@ predefined ones, admin@ (owner) is a person.
    expect(subjects(findings, 'gcp-service-account-basic-role')).toEqual([]);
  });

  it('public data: the sandbox bucket anyone may read, with its binding; not the production bucket', () => {
    const f = one(findings, 'gcp-public-data', 'gcp:storage:projects/_/buckets/dev-scratch-example');
    expect(f.severity).toBe('critical');
    expect(f.target?.id).toBe('public:gcp:allUsers');
    expect(f.facts).toMatchObject({ member: 'allUsers', levels: 'list, read' });
    expect(f.path[0]?.evidence.map((e) => e.statement)).toEqual([
      'bindings[0] roles/storage.objectViewer allUsers',
    ]);
    expect(of(findings, 'gcp-public-data')).toHaveLength(1);
  });

  it('the binding to a deleted principal and the provider without an attribute condition, from the analysis flags', () => {
    const deleted = one(findings, 'gcp-binding-to-deleted-principal', `gcp:projects/${PROD}`);
    expect(deleted.message).toContain('deleted:user:old-admin@example.com');
    expect(deleted.evidence?.[0]?.statement).toBe(
      'bindings[3] roles/viewer deleted:user:old-admin@example.com?uid=123456789',
    );
    const pool =
      'gcp:wiprovider:projects/123456789012/locations/global/workloadIdentityPools/github/providers';
    expect(subjects(findings, 'gcp-federation-without-attribute-condition')).toEqual([`${pool}/github-any`]);
  });

  it('no impersonation chain to an owner: the only owners are people', () => {
    expect(of(findings, 'gcp-impersonation-chain-to-owner')).toEqual([]);
  });
});

describe('GCP rules on the sample estate’s organization', () => {
  const PROD = 'acme-prod-data';
  const TERRAFORM = SA('terraform@acme-platform.iam.gserviceaccount.com');
  const RUNNER = SA('ci-runner@acme-platform.iam.gserviceaccount.com');
  const LEGACY = SA(`legacy-etl@${PROD}.iam.gserviceaccount.com`);
  const COMPUTE = SA('400000000001-compute@developer.gserviceaccount.com');
  const FOLDER = 'gcp:folders/300000000010';
  let findings: Finding[];
  beforeAll(async () => {
    await syncGcp(join(import.meta.dirname, '..', '..', '..', SAMPLE_ENV));
    findings = await runFindings(executor, rules, { now: GCP_FIXTURE_AS_OF });
  }, 300_000);

  it('basic roles: terraform owns the production folder (critical), legacy-etl is editor of the project', () => {
    expect(subjects(findings, 'gcp-service-account-basic-role')).toEqual([LEGACY, TERRAFORM]);
    const owner = one(findings, 'gcp-service-account-basic-role', TERRAFORM);
    expect(owner.severity).toBe('critical');
    expect(owner.evidence?.[0]).toMatchObject({
      ref: 'folders/300000000010',
      statement: 'bindings[1] roles/owner serviceAccount:terraform@acme-platform.iam.gserviceaccount.com',
    });
    expect(one(findings, 'gcp-service-account-basic-role', LEGACY).severity).toBe('high');
    expect(subjects(findings, 'gcp-default-compute-service-account-editor')).toEqual([COMPUTE]);
  });

  it('impersonation chain to owner: ci-runner → terraform → the folder it owns (its topmost level), with both bindings', () => {
    expect(of(findings, 'gcp-impersonation-chain-to-owner').map((f) => [f.subject.id, f.target?.id])).toEqual(
      [[RUNNER, FOLDER]],
    );
    const f = one(findings, 'gcp-impersonation-chain-to-owner', RUNNER);
    expect(f.severity).toBe('high');
    expect(f.conditional).toBe(false);
    expect(f.path.map((h) => [h.from.id, h.type, h.to.id])).toEqual([
      [RUNNER, 'CAN_IMPERSONATE', TERRAFORM],
      [TERRAFORM, 'ADMINISTERS', FOLDER],
    ]);
    expect(f.path.map((h) => h.evidence[0]?.statement)).toEqual([
      'bindings[0] roles/iam.serviceAccountTokenCreator serviceAccount:ci-runner@acme-platform.iam.gserviceaccount.com',
      'bindings[1] roles/owner serviceAccount:terraform@acme-platform.iam.gserviceaccount.com',
    ]);
    expect(f.message).toBe(
      'ci-runner@acme-platform.iam.gserviceaccount.com can act as terraform@acme-platform.iam.gserviceaccount.com, owner of production (folders/300000000010), in 1 hop',
    );
  });

  it('the legacy key, no public data, no provider without a condition', () => {
    expect(subjects(findings, 'gcp-service-account-key-not-rotated')).toEqual([LEGACY]);
    expect(of(findings, 'gcp-public-data')).toEqual([]);
    expect(of(findings, 'gcp-federation-without-attribute-condition')).toEqual([]);
    expect(subjects(findings, 'gcp-binding-to-deleted-principal')).toEqual([`gcp:projects/${PROD}`]);
  });

  it('the GitHub workflow reaches the production exports bucket: federation, impersonation, read', () => {
    const repo =
      'gcp:principalset:principalSet://iam.googleapis.com/projects/400000000001/locations/global/workloadIdentityPools/github/attribute.repository/acme/deploy';
    const f = one(findings, 'nhi-reaches-production-data', repo);
    expect(f.target?.id).toBe('gcp:storage:projects/_/buckets/acme-prod-exports');
    expect(f.facts).toMatchObject({ level: 'read', hops: 2 });
    expect(f.path.map((h) => [h.type, h.to.name])).toEqual([
      ['FEDERATES_TO', `gha-deployer@${PROD}.iam.gserviceaccount.com`],
      ['CAN_IMPERSONATE', `data-exporter@${PROD}.iam.gserviceaccount.com`],
      ['CAN_ACCESS', 'acme-prod-exports'],
    ]);
    expect(f.path.every((h) => h.evidence.length > 0 && !h.conditional)).toBe(true);
  });
});

describe('GCP key rules with the keys’ last authentication collected', () => {
  const PROD = 'prod-app-123456';
  const APP = SA(`app@${PROD}.iam.gserviceaccount.com`);
  const KEY = '3f2a9c0e1b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d';
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reachgraph-gcp-key-rules-'));
    await cp(GCP_FIXTURE_ROOT, root, { recursive: true });
    const name = `//iam.googleapis.com/projects/${PROD}/serviceAccounts/app@${PROD}.iam.gserviceaccount.com/keys/${KEY}`;
    await writeFile(
      join(root, 'gcp', 'projects', PROD, 'service-account-key-last-authentication.json'),
      JSON.stringify([
        { activity: { lastAuthenticatedTime: '2026-03-04T05:06:07Z' }, fullResourceName: name },
      ]),
    );
    await syncGcp(root);
  }, 300_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('names when the old key last authenticated, and keeps it as a fact', async () => {
    const findings = await runFindings(executor, rules, { now: GCP_FIXTURE_AS_OF });
    const old = one(findings, 'gcp-service-account-key-not-rotated', APP);
    expect(old.message).toBe(
      `user-managed key ${KEY} of service account app@${PROD}.iam.gserviceaccount.com is 689 days old (limit 90), last authenticated 2026-03-04`,
    );
    expect(String(old.facts.lastUsedAt)).toContain('2026-03-04T05:06:07');
  });
});
