import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGcpRaw } from '../../../bench/synthetic-gcp.js';
import { analyzeGcp } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../../../src/collectors/gcp/snapshot.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';

// The benchmark's organization (bench/synthetic-gcp.ts), small: written in the gcloud layout, it reads
// back and analyzes without a single issue, as generated.
describe('the synthetic GCP organization of the benchmark', () => {
  const { raw, shape } = syntheticGcpRaw({ projects: 60, seed: 7 });
  let dir: string;
  let environment: GcpEnvironment;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reachgraph-synthetic-gcp-'));
    await writeGcpSnapshot(raw, dir);
    environment = await collectGcp({ snapshotDir: dir });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is the same for the same seed', () => {
    expect(syntheticGcpRaw({ projects: 60, seed: 7 }).raw).toEqual(raw);
    expect(syntheticGcpRaw({ projects: 60, seed: 8 }).raw).not.toEqual(raw);
  });

  it('reads back from its snapshot without issues, with the shape it reports', async () => {
    expect(environment.issues).toEqual([]);
    const kinds = [...environment.containers.values()].map((c) => c.kind);
    expect(kinds.filter((k) => k === 'organization')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'folder')).toHaveLength(shape.folders);
    expect(kinds.filter((k) => k === 'project')).toHaveLength(shape.projects);
    expect(environment.serviceAccounts).toHaveLength(shape.serviceAccounts);
    expect(environment.serviceAccounts.flatMap((a) => a.keys)).toHaveLength(shape.keys);
    expect(environment.resources).toHaveLength(shape.dataResources);
    expect(environment.pools).toHaveLength(shape.pools);
    expect(environment.roles.custom.size).toBe(shape.customRoles);
    const policies = [
      ...[...environment.containers.values()].map((c) => c.policy),
      ...environment.serviceAccounts.map((a) => a.policy),
      ...environment.resources.map((r) => r.policy),
    ];
    expect(policies.reduce((n, p) => n + (p?.bindings.length ?? 0), 0)).toBe(shape.bindings);
    expect([...environment.containers.values()].reduce((n, c) => n + c.denyPolicies.length, 0)).toBe(
      shape.denyPolicies,
    );
  });

  it('writes the group member files, and they read back with nested groups', async () => {
    expect((await readdir(join(dir, 'gcp', 'organization', 'groups'))).sort()).toEqual(
      Object.keys(raw.groups ?? {})
        .map((email) => `${email}.json`)
        .sort(),
    );
    expect(environment.groups?.size).toBe(shape.groups);
    expect(environment.groups?.get('dept-0@example.com')?.members).toContain('group:team-0-0@example.com');
  });

  it('analyzes without issues, every edge family present', () => {
    const analysis = analyzeGcp(environment, { asOf: new Date('2026-12-01T00:00:00Z') });
    expect(analysis.issues).toEqual([]);
    expect(Object.keys(analysis.stats?.edges ?? {}).sort()).toEqual([
      'ADMINISTERS',
      'CAN_ACCESS',
      'CAN_ESCALATE',
      'CAN_IMPERSONATE',
      'FEDERATES_TO',
    ]);
    const rules = new Set(analysis.findings.map((f) => f.rule));
    expect(rules).toContain('gcp-binding-to-deleted-principal');
    expect(rules).toContain('gcp-federation-without-attribute-condition');
  });
});
