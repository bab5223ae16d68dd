// GCP Grant hubs are exact: on seeded organizations (the benchmark's generator, small) and the
// hand-checked fixture, the hubs of inherited bindings expand (src/model/grants.ts expandGrants) to
// exactly the edges the per-pair mode writes — the same pairs, levels, permissions, conditions and
// evidence records in the same order — and the hubbed inventory is valid.
import { describe, expect, it } from 'vitest';
import { syntheticGcpRaw } from '../../../bench/synthetic-gcp.js';
import { analyzeGcp, type GcpAnalysis } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';
import { gcpScope } from '../../../src/model/gcp/ids.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { expandGrants, GRANT_KIND, isGrantNode } from '../../../src/model/grants.js';
import {
  type LoadRelationship,
  type ValidInventory,
  validateInventory,
} from '../../../src/model/validate.js';
import { buildGcpInventory } from '../../../src/providers/gcp/inventory.js';
import { sortedEdges } from '../../helpers/k8s-edges.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

const AS_OF = new Date('2026-12-01T00:00:00Z');

function bothModes(environment: GcpEnvironment, asOf: Date) {
  const hubbed = analyzeGcp(environment, { asOf });
  const pairs = analyzeGcp(environment, { asOf, grantHubs: false });
  expect(pairs.nodes).toEqual([]);
  const valid = (analysis: GcpAnalysis) =>
    validateInventory(
      buildGcpInventory(
        environment,
        analysis,
        { sourceName: 'test', onIssue: () => {} },
        { projectEnvironments: {} },
      ),
      'test',
    );
  const expanded = expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges });
  return {
    hubs: hubbed.nodes.filter(isGrantNode).length,
    stored: hubbed.edges.length,
    expanded: sortedEdges(expanded.relationships),
    perPair: sortedEdges(pairs.edges),
    storedFlags: storedFlags(valid(hubbed)),
    perPairFlags: storedFlags(valid(pairs)),
  };
}

/**
 * Each derived pair's conditional flag as stored (validation derives it from the evidence), a hub's
 * pair conditional when either leg is, as the readers combine them.
 */
function storedFlags(valid: ValidInventory): string[] {
  const hubs = new Set(valid.nodes.filter((n) => n.kind === GRANT_KIND).map((n) => n.id));
  const derived = valid.relationships.filter((r) => r.evidence !== undefined && r.evidence.length > 0);
  const into = new Map<string, LoadRelationship[]>();
  const out: string[] = [];
  for (const r of derived) if (hubs.has(r.to)) into.set(r.to, [...(into.get(r.to) ?? []), r]);
  for (const r of derived) {
    if (hubs.has(r.to)) continue;
    const flag = r.properties.conditional === true;
    if (!hubs.has(r.from)) out.push(`${r.type} ${r.from} ${r.to} ${flag}`);
    else
      for (const m of into.get(r.from) ?? [])
        if (m.type === r.type)
          out.push(`${r.type} ${m.from} ${r.to} ${flag || m.properties.conditional === true}`);
  }
  return out.sort();
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
      expect(result.storedFlags, `${projects} projects, seed ${seed}: as stored`).toEqual(
        result.perPairFlags,
      );
      expect(result.stored).toBeLessThan(result.perPair.length);
      hubs += result.hubs;
    }
    expect(hubs).toBeGreaterThan(0);
  }, 120_000);

  it('expand to exactly the per-pair edges on the hand-checked fixture', async () => {
    const environment = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
    const result = bothModes(environment, GCP_FIXTURE_AS_OF);
    expect(result.expanded).toEqual(result.perPair);
    expect(result.storedFlags).toEqual(result.perPairFlags);
  });

  it('split an inherited pair into the binding and the target’s place under its level', () => {
    const { raw } = syntheticGcpRaw({ projects: 20, seed: 1 });
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const hubbed = analyzeGcp(environment, { asOf: AS_OF });
    const hub = hubbed.nodes.find((n) => /^[^+]* at folders\/\S+ \(/.test(String(n.properties.name)));
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

  it('split a pair of several levels’ bindings into the bindings and the target’s place under each', () => {
    const { raw } = syntheticGcpRaw({ projects: 20, seed: 1 });
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const hubbed = analyzeGcp(environment, { asOf: AS_OF });
    // A team folder's binding and one of the project's, to the same group.
    const hub = hubbed.nodes.find((n) =>
      /at folders\/\S+ \+ .* at projects\/\S+ \(CAN_ACCESS\)$/.test(String(n.properties.name)),
    );
    expect(hub).toBeDefined();
    const member = hubbed.edges.find((e) => e.to === hub?.id);
    const target = hubbed.edges.find((e) => e.from === hub?.id);
    const refs = member?.evidence.map((x) => x.ref) ?? [];
    expect(refs.some((r) => r?.startsWith('folders/'))).toBe(true);
    expect(refs.some((r) => r?.startsWith('projects/'))).toBe(true);
    const project = refs.find((r) => r?.startsWith('projects/')) as string;
    // In the project's scope: the deepest level of its bindings.
    expect(hub?.scope).toBe(gcpScope(project));
    expect(target?.evidence.map((x) => x.statement)).toEqual([
      expect.stringMatching(/^inherited from folders\//),
      `inherited from ${project}`,
    ]);
    expect(target?.evidence[1]?.reason).toMatch(new RegExp(` is in ${project} and inherits its policy$`));
  });

  it('leave every pair outside a hub as the analysis made it', () => {
    const { raw } = syntheticGcpRaw({ projects: 20, seed: 1 });
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const hubbed = analyzeGcp(environment, { asOf: AS_OF });
    const hubs = new Set(hubbed.nodes.map((n) => n.id));
    const pairs = hubbed.edges.filter((e) => !hubs.has(e.from) && !hubs.has(e.to));
    expect(pairs.length).toBeGreaterThan(0);
    for (const e of pairs)
      for (const record of e.evidence) expect(record.statement).not.toMatch(/^inherited from /);
  });
});
