import { describe, expect, it, vi } from 'vitest';
import { syntheticGcpRaw } from '../../../bench/synthetic-gcp.js';
import { analyzeGcp } from '../../../src/analyzers/gcp-iam/analyze.js';
import * as principals from '../../../src/analyzers/gcp-iam/principals.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';

vi.mock('../../../src/analyzers/gcp-iam/principals.js', async (importOriginal) => {
  const original = await importOriginal<typeof principals>();
  return { ...original, v2PermissionMatcher: vi.fn(original.v2PermissionMatcher) };
});

// A deny rule's permission names are compiled to matchers once per analysis, not at every decision
// (member × permission × rule): at organization scale that was most of the deny check's time.
describe('deny rule permission matchers', () => {
  it('are compiled once per permission name of each rule, whatever the number of decisions', () => {
    const { raw } = syntheticGcpRaw({ projects: 40, seed: 3 });
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const rules = [...environment.containers.values()].flatMap((c) => c.denyPolicies.flatMap((p) => p.rules));
    const names = rules.reduce((n, r) => n + r.deniedPermissions.length + r.exceptionPermissions.length, 0);
    const compiled = vi.mocked(principals.v2PermissionMatcher);
    compiled.mockClear();
    const analysis = analyzeGcp(environment, { asOf: new Date('2026-12-01T00:00:00Z') });
    expect(analysis.edges.length).toBeGreaterThan(1_000);
    expect(compiled.mock.calls.length).toBeGreaterThan(0);
    expect(compiled.mock.calls.length).toBeLessThanOrEqual(names);
  });
});
