// GCP Grant hubs are exact: on seeded organizations (the benchmark's generator, small) and the
// hand-checked fixture, the hubs of inherited bindings expand (src/model/grants.ts expandGrants) to
// exactly the edges the per-pair mode writes — the same pairs, levels, permissions, conditions and
// evidence records in the same order — and the hubbed inventory is valid.
import { describe, expect, it } from 'vitest';
import { syntheticGcpRaw } from '../../../bench/synthetic-gcp.js';
import { analyzeGcp } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { expandGrants, isGrantNode } from '../../../src/model/grants.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildGcpInventory } from '../../../src/providers/gcp/inventory.js';
import { sortedEdges } from '../../helpers/k8s-edges.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

const AS_OF = new Date('2026-12-01T00:00:00Z');

function bothModes(environment: GcpEnvironment, asOf: Date) {
  const hubbed = analyzeGcp(environment, { asOf });
  const pairs = analyzeGcp(environment, { asOf, grantHubs: false });
  expect(pairs.nodes).toEqual([]);
  const inventory = buildGcpInventory(
    environment,
    hubbed,
    { sourceName: 'test', onIssue: () => {} },
    { projectEnvironments: {} },
  );
  expect(() => validateInventory(inventory, 'hubs')).not.toThrow();
  const expanded = expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges });
  return {
    hubs: hubbed.nodes.filter(isGrantNode).length,
    stored: hubbed.edges.length,
    expanded: sortedEdges(expanded.relationships),
    perPair: sortedEdges(pairs.edges),
  };
}

describe('GCP Grant hubs', () => {
  it('expand to exactly the per-pair edges on seeded organizations, with fewer edges stored', () => {
    let hubs = 0;
    for (const [projects, seed] of [
      [20, 1],
      [30, 2],
      [40, 3],
      [60, 4],
      [25, 5],
    ] as const) {
      const { raw } = syntheticGcpRaw({ projects, seed });
      const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
      const result = bothModes(environment, AS_OF);
      expect(result.expanded, `${projects} projects, seed ${seed}`).toEqual(result.perPair);
      expect(result.stored).toBeLessThan(result.perPair.length);
      hubs += result.hubs;
    }
    expect(hubs).toBeGreaterThan(0);
  }, 120_000);

  it('expand to exactly the per-pair edges on the hand-checked fixture', async () => {
    const environment = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
    const result = bothModes(environment, GCP_FIXTURE_AS_OF);
    expect(result.expanded).toEqual(result.perPair);
  });

  it('split an inherited pair into the binding and the target’s place under its level', () => {
    const { raw } = syntheticGcpRaw({ projects: 20, seed: 1 });
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const hubbed = analyzeGcp(environment, { asOf: AS_OF });
    const hub = hubbed.nodes.find((n) => String(n.properties.name).includes('at folders/'));
    expect(hub).toBeDefined();
    const member = hubbed.edges.find((e) => e.to === hub?.id);
    const target = hubbed.edges.find((e) => e.from === hub?.id);
    expect(member?.properties).toEqual({});
    expect(member?.evidence[0]).toMatchObject({
      source: 'iam-binding',
      ref: expect.stringMatching(/^folders\//),
    });
    expect(member?.evidence[0]?.reason).toMatch(/holds .* at folders\//);
    expect(target?.evidence).toEqual([
      expect.objectContaining({
        source: 'iam-binding',
        statement: expect.stringMatching(/^inherited from folders\//),
        reason: expect.stringContaining('inherits its policy'),
      }),
    ]);
  });
});
