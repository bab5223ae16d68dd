import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGcp, type GcpAnalysis } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { CAI_ASSET_TYPES } from '../../../src/collectors/gcp/layout.js';
import { readGcpSnapshot } from '../../../src/collectors/gcp/snapshot.js';
import { gcpIssueScope, transformGcp } from '../../../src/collectors/gcp/transform.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { EXPECTED_EDGES, GCP_CAI_FIXTURE_ROOT, GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

// The Cloud Asset Inventory export of test/fixtures/gcp-org-cai holds the organization of
// test/fixtures/gcp-org: read through its own reader it must give the same environment and the same
// edges as the gcloud form.

const RESOURCES = 'gcp/cai/resources.ndjson';

/** The environment without where each thing was read (file paths and lines differ by form). */
function comparable(environment: GcpEnvironment) {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value instanceof Map)
      return [...value].sort(([a], [b]) => String(a).localeCompare(String(b))).map(strip);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => key !== 'source' && key !== 'dataset')
          .map(([key, v]) => [key, strip(v)]),
      );
    return value;
  };
  const byName = <T>(items: readonly T[], key: (t: T) => string) =>
    [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return strip({
    containers: environment.containers,
    serviceAccounts: byName(environment.serviceAccounts, (a) => a.email),
    pools: byName(environment.pools, (p) => p.name),
    resources: byName(environment.resources, (r) => r.fullName),
    roles: environment.roles,
  });
}

const sortedEdges = (analysis: GcpAnalysis) =>
  analysis.edges
    .map((e) => ({
      ...e,
      evidence: [...e.evidence].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    }))
    .sort((a, b) => `${a.type} ${a.from} ${a.to}`.localeCompare(`${b.type} ${b.from} ${b.to}`));

let gcloud: GcpEnvironment;
let cai: GcpEnvironment;
beforeAll(async () => {
  gcloud = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
  cai = await collectGcp({ snapshotDir: GCP_CAI_FIXTURE_ROOT });
});

describe('a Cloud Asset Inventory export of the GCP organization fixture', () => {
  it('gives the same environment as the gcloud form', () => {
    expect(comparable(cai)).toEqual(comparable(gcloud));
    expect(cai.serviceAccounts.find((a) => a.email.startsWith('app@'))?.keys.map((k) => k.keyType)).toEqual([
      'USER_MANAGED',
      'SYSTEM_MANAGED',
    ]);
  });

  it('gives the same edges, findings and analysis issues', () => {
    const fromGcloud = analyzeGcp(gcloud, { asOf: GCP_FIXTURE_AS_OF });
    const fromCai = analyzeGcp(cai, { asOf: GCP_FIXTURE_AS_OF });
    expect(sortedEdges(fromCai)).toEqual(sortedEdges(fromGcloud));
    expect(fromCai.edges).toHaveLength(EXPECTED_EDGES.length);
    expect(fromCai.findings.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual(
      fromGcloud.findings.map((f) => `${f.rule} ${f.subject}`).sort(),
    );
    expect(fromCai.issues.map((i) => i.message)).toEqual(fromGcloud.issues.map((i) => i.message));
  });

  it('names the line each policy was read from, and reports the asset types it skips once', () => {
    const project = cai.containers.get('projects/prod-app-123456');
    expect(project?.policy?.source).toBe(
      join(GCP_CAI_FIXTURE_ROOT, 'gcp/cai/iam-policy/cloudresourcemanager.googleapis.com/Project/0:1'),
    );
    expect(project?.denyPolicies).toEqual([]);
    expect(cai.containers.get('folders/222222222222')?.denyPolicies[0]?.source).toBe(
      join(GCP_CAI_FIXTURE_ROOT, 'gcp/folders/222222222222/deny-policies.json'),
    );
    expect(cai.issues).toEqual([
      expect.objectContaining({
        severity: 'info',
        message:
          '3 records of asset types reachgraph does not read were skipped: serviceusage.googleapis.com/Service (2), compute.googleapis.com/Instance (1)',
      }),
    ]);
  });

  it('reads `gcloud asset list --format=json` output (one JSON array, JSON field names) the same', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gcp-cai-list-'));
    try {
      await cp(join(GCP_CAI_FIXTURE_ROOT, 'gcp'), join(root, 'gcp'), { recursive: true });
      const lines = (await readFile(join(root, RESOURCES), 'utf8')).trim().split('\n');
      const assets = lines.map((line) => {
        const { asset_type, update_time, ...rest } = JSON.parse(line);
        return { ...rest, assetType: asset_type, updateTime: update_time };
      });
      await writeFile(join(root, RESOURCES), JSON.stringify(assets, null, 2));
      const listed = await collectGcp({ snapshotDir: root });
      expect(comparable(listed)).toEqual(comparable(cai));
      expect(listed.issues.map((i) => i.message)).toEqual(cai.issues.map((i) => i.message));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('bad Cloud Asset Inventory input', () => {
  let root: string;
  const resources = () => join(root, RESOURCES);
  let original: string[];
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gcp-cai-bad-'));
    original = (await readFile(join(GCP_CAI_FIXTURE_ROOT, RESOURCES), 'utf8')).trimEnd().split('\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const withResources = async (lines: string[], end = '\n') => {
    await rm(join(root, 'gcp'), { recursive: true, force: true });
    await cp(join(GCP_CAI_FIXTURE_ROOT, 'gcp'), join(root, 'gcp'), { recursive: true });
    await writeFile(resources(), lines.join('\n') + end);
  };
  const lineOf = (fragment: string) => original.findIndex((l) => l.includes(fragment));
  const incomplete = (env: GcpEnvironment) => {
    const errors = env.issues.filter((i) => i.severity === 'error');
    return [...env.containers.keys()].filter((name) => {
      const scope = name.startsWith('projects/') ? `gcp:${name.slice(9)}` : `gcp:${name}`;
      return errors.some((i) => [scope, undefined].includes(gcpIssueScope(i)));
    });
  };

  it('a truncated line is an error naming file:line and the asset; only its project is incomplete', async () => {
    const index = lineOf('"email":"ci@dev-sandbox');
    const lines = [...original];
    lines[index] = (lines[index] as string).slice(0, 300);
    await withResources(lines);
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: `${resources()}:${index + 1}`,
        object:
          'gcp:dev-sandbox-654321 //iam.googleapis.com/projects/dev-sandbox-654321/serviceAccounts/100000000000000000004',
        message: expect.stringContaining('malformed JSON (truncated?)'),
      }),
    ]);
    expect(incomplete(env)).toEqual(['projects/dev-sandbox-654321']);
    expect(env.serviceAccounts.map((a) => a.email)).not.toContain(
      'ci@dev-sandbox-654321.iam.gserviceaccount.com',
    );
    expect(env.serviceAccounts).toHaveLength(3);
  });

  it('an export cut in the middle of its last line names that line; the lines before it are read', async () => {
    const lines = [...original];
    const last = lines.pop() as string;
    await withResources([...lines, last.slice(0, 40)], '');
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ source: `${resources()}:${original.length}` }),
    ]);
    expect(env.containers.size).toBe(4);
  });

  it('a line that is not an asset, or has no asset type, is an error naming the line', async () => {
    await withResources([
      ...original,
      '[1, 2]',
      '{"name": "//storage.googleapis.com/x", "ancestors": ["projects/123456789012"]}',
    ]);
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: `${resources()}:${original.length + 1}`,
        message: 'is an array, expected an asset object',
      }),
      expect.objectContaining({
        source: `${resources()}:${original.length + 2}`,
        object: 'gcp:prod-app-123456 //storage.googleapis.com/x',
        message: expect.stringContaining('"asset_type"'),
      }),
    ]);
  });

  it('an asset of the wrong shape is the transform’s error, naming its own line', async () => {
    const index = lineOf('"email":"deployer@');
    const lines = [...original];
    lines[index] = (lines[index] as string).replace(
      '"email":"deployer@prod-app-123456.iam.gserviceaccount.com"',
      '"email":"nobody"',
    );
    await withResources(lines);
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: `${resources()}:${index + 1}`,
        object: 'gcp:prod-app-123456 [0]',
        message: expect.stringContaining('"nobody" is not an email address'),
      }),
    ]);
  });

  it('a line above the line limit is reported by its length, never assembled', async () => {
    await withResources([...original, `{"name": "//x", "pad": "${'x'.repeat(5000)}"}`]);
    const raw = await readGcpSnapshot(root, { maxLineBytes: 4096 });
    expect(raw.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: `${resources()}:${original.length + 1}`,
        message: 'a line of 5026 bytes, above the limit of 4096',
      }),
    ]);
  });

  it('a gcloud-form file beside the export is refused: one form per snapshot', async () => {
    await withResources(original);
    await writeFile(join(root, 'gcp/folders/222222222222/iam-policy.json'), '{}');
    await expect(collectGcp({ snapshotDir: root })).rejects.toThrow(
      /folders\/222222222222\/iam-policy\.json: this snapshot holds a Cloud Asset Inventory export .* only deny-policies\.json/,
    );
  });

  it('an asset read twice (overlapping exports) is read once, with a warning naming both lines', async () => {
    await withResources(original);
    const index = lineOf('"email":"ci@dev-sandbox');
    await writeFile(join(root, 'gcp/cai/zz-again.json'), `${original[index]}\n`);
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity !== 'info')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        source: `${join(root, 'gcp/cai/zz-again.json')}:1`,
        message: expect.stringContaining(`the first is ${resources()}:${index + 1}`),
      }),
    ]);
    expect(comparable(env)).toEqual(comparable(cai));
  });

  it('a FIFO among the export files is an error naming it, and the rest is read', async () => {
    await withResources(original);
    const fifo = join(root, 'gcp/cai/iam-policy/pipe');
    execFileSync('mkfifo', [fifo]);
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: fifo,
        message: expect.stringContaining('not a regular file (a FIFO)'),
      }),
    ]);
    expect(env.containers.size).toBe(4);
  });

  it('deny policies for a level the export does not hold are an error naming the file', async () => {
    await withResources(original);
    await mkdir(join(root, 'gcp/projects/not-exported-1'), { recursive: true });
    await writeFile(join(root, 'gcp/projects/not-exported-1/deny-policies.json'), '[]');
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        source: join(root, 'gcp/projects/not-exported-1/deny-policies.json'),
        message:
          'deny policies for projects/not-exported-1, which the Cloud Asset Inventory export does not hold',
      }),
    ]);
  });

  it('an export without IAM policies warns that nothing is granted', async () => {
    await withResources(original);
    await rm(join(root, 'gcp/cai/iam-policy'), { recursive: true });
    const env = await collectGcp({ snapshotDir: root });
    expect(env.issues.map((i) => i.severity)).toEqual(['warning', 'info']);
    expect(env.issues[0]?.message).toContain('--content-type=iam-policy');
  });
});

describe('a large export', () => {
  let root: string;
  const PROJECTS = 100;
  const ACCOUNTS = 20;
  const PADDED = 20_000;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gcp-cai-large-'));
    await mkdir(join(root, 'gcp/cai'), { recursive: true });
    const org = 'organizations/1';
    const out: string[] = [
      JSON.stringify({
        name: `//cloudresourcemanager.googleapis.com/${org}`,
        asset_type: 'cloudresourcemanager.googleapis.com/Organization',
        resource: { data: { name: org } },
        ancestors: [org],
      }),
    ];
    for (let p = 0; p < PROJECTS; p += 1) {
      const number = String(1000 + p);
      const id = `project-${number}`;
      const ancestors = [`projects/${number}`, org];
      out.push(
        JSON.stringify({
          name: `//cloudresourcemanager.googleapis.com/projects/${number}`,
          asset_type: 'cloudresourcemanager.googleapis.com/Project',
          resource: {
            data: { projectId: id, projectNumber: number, parent: { type: 'organization', id: '1' } },
          },
          ancestors,
        }),
        JSON.stringify({
          name: `//cloudresourcemanager.googleapis.com/projects/${number}`,
          asset_type: 'cloudresourcemanager.googleapis.com/Project',
          iam_policy: { bindings: [{ role: 'roles/viewer', members: [`user:u${p}@example.com`] }] },
          ancestors,
        }),
      );
      for (let a = 0; a < ACCOUNTS; a += 1) {
        const email = `sa-${a}@${id}.iam.gserviceaccount.com`;
        const uniqueId = `${number}${a}`;
        const name = `//iam.googleapis.com/projects/${id}/serviceAccounts/${uniqueId}`;
        out.push(
          JSON.stringify({
            name,
            asset_type: 'iam.googleapis.com/ServiceAccount',
            resource: { data: { email, uniqueId, projectId: id } },
            ancestors,
          }),
          JSON.stringify({
            name,
            asset_type: 'iam.googleapis.com/ServiceAccount',
            iam_policy: {
              bindings: [
                { role: 'roles/iam.serviceAccountTokenCreator', members: [`user:u${p}@example.com`] },
              ],
            },
            ancestors,
          }),
        );
      }
    }
    // Most of a real export is assets of types reachgraph does not read: they pass through.
    const pad = 'x'.repeat(2000);
    for (let i = 0; i < PADDED; i += 1)
      out.push(
        JSON.stringify({
          name: `//compute.googleapis.com/projects/project-1000/zones/z/disks/d${i}`,
          asset_type: 'compute.googleapis.com/Disk',
          resource: { data: { pad } },
          ancestors: ['projects/1000', org],
        }),
      );
    await writeFile(join(root, 'gcp/cai/export.json'), `${out.join('\n')}\n`);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is read line by line: a file far above the whole-file limit is read in full', async () => {
    // The whole-file limit (1 MiB) is far below the export (over 40 MB): only streaming reads it.
    const raw = await readGcpSnapshot(root, { maxFileBytes: 1024 * 1024 });
    const env = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    expect(env.issues).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringContaining(`compute.googleapis.com/Disk (${PADDED})`),
      }),
    ]);
    expect(env.containers.size).toBe(PROJECTS + 1);
    expect(env.serviceAccounts).toHaveLength(PROJECTS * ACCOUNTS);
    expect(env.serviceAccounts.every((a) => a.policy?.bindings.length === 1)).toBe(true);
  });
});

it('scripts/snapshot-gcp.sh --cai lists exactly the asset types the reader reads', async () => {
  const script = await readFile(join(import.meta.dirname, '../../../scripts/snapshot-gcp.sh'), 'utf8');
  const listed = /^\s*types=(\S+)$/m.exec(script)?.[1]?.split(',');
  expect(listed).toEqual(Object.keys(CAI_ASSET_TYPES));
});
