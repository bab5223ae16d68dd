import { describe, expect, it } from 'vitest';
import type { AccessPathAnswer, EscalationAnswer, PathHop } from '../../../src/answers/answer-types.js';
import { type HopGraph, HopGraphBuilder } from '../../../src/answers/hop-graph.js';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { routeEdgeKeys } from '../../../src/answers/pair-route.js';
import { MemoryPathQueries } from '../../../src/answers/questions.js';
import { allRoutes, type RouteQuestion, RouteSearch } from '../../../src/answers/route-search.js';
import { expandGrants } from '../../../src/model/grants.js';
import { InventorySchema } from '../../../src/model/inventory.js';
import { validateInventory } from '../../../src/model/validate.js';
import { HOP_TYPE_CODES, hopTypeMask, levelMask } from '../../../src/reachability/codes.js';
import { HUB_ACCOUNT, hubBucket, hubbedEstate } from '../../helpers/hubbed-estate.js';
import { seededRandom } from '../../helpers/random.js';

/**
 * Grant hubs are transparent: every answer on an inventory with hubs equals the answer on the same
 * inventory with every hub expanded into the pair edges it stands for (expandGrants).
 */

// ── The route search itself, on HopGraphs with any leg flags ────────────────────────────────────

interface Pair {
  from: number;
  to: number;
  /** Hop type code, or -1 for the ending edge. */
  type: number;
  value: number;
  conditional: boolean;
}

/** Random nodes and edges, with hubs as legs (H) and as the pair edges they stand for (E). */
function randomGraphs(
  seed: number,
  endingHops: boolean,
): { hubbed: HopGraph; expanded: HopGraph; hubs: number } {
  const next = seededRandom(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const nodes = 14 + pick(10);
  const resources = 4 + pick(4);
  const hubbed = new HopGraphBuilder({ endingHops });
  const expanded = new HopGraphBuilder({ endingHops });
  // Ids in shuffled order so ranks differ from keys; some nodes are both principal and resource.
  const order = Array.from({ length: nodes + resources }, (_, i) => i).sort(() => next() - 0.5);
  for (const key of order) {
    const node = {
      key,
      id: `n${String(order.indexOf(key)).padStart(3, '0')}`,
      principal: key < nodes,
      resource: key >= nodes || next() < 0.1,
      scope: null,
    };
    hubbed.addNode(node);
    expanded.addNode(node);
  }
  const used = new Set<string>();
  const pairs: Pair[] = [];
  const typeCodes = HOP_TYPE_CODES.map((_, code) => code);
  let hubCount = 0;
  for (let h = 0; h < 5; h++) {
    const type = next() < 0.4 ? -1 : (typeCodes[pick(typeCodes.length)] as number);
    const grant = 1000 + h;
    const targets = [
      ...new Set(
        Array.from({ length: 1 + pick(6) }, () =>
          type < 0 ? nodes + pick(resources) : pick(nodes + (endingHops ? resources : 0)),
        ),
      ),
    ];
    const members = [...new Set(Array.from({ length: 1 + pick(6) }, () => pick(nodes)))].filter((m) =>
      targets.every((t) => t !== m && !used.has(`${type} ${m} ${t}`)),
    );
    if (members.length === 0) continue;
    hubCount++;
    hubbed.addGrant(grant, `grant:test:${h}`);
    const targetLegs = targets.map((t) => ({
      t,
      value: type < 0 ? levelMask(['read', 'list'].filter(() => next() < 0.6)) || 1 : 0,
      conditional: next() < 0.3,
    }));
    for (const m of members) {
      const memberConditional = next() < 0.3;
      hubbed.addMemberLeg(m, grant, type < 0 ? 255 : type, memberConditional);
      for (const leg of targetLegs) {
        used.add(`${type} ${m} ${leg.t}`);
        pairs.push({
          from: m,
          to: leg.t,
          type,
          value: leg.value,
          conditional: memberConditional || leg.conditional,
        });
      }
    }
    for (const leg of targetLegs)
      if (type < 0) hubbed.addHubAccess(grant, leg.t, leg.value, leg.conditional);
      else hubbed.addHubHop(grant, leg.t, type, leg.conditional);
  }
  for (let k = 0; k < 40; k++) {
    const access = next() < 0.35;
    const from = pick(nodes);
    const to = access ? nodes + pick(resources) : pick(nodes);
    const type = access ? -1 : (typeCodes[pick(typeCodes.length)] as number);
    if (from === to || used.has(`${type} ${from} ${to}`)) continue;
    used.add(`${type} ${from} ${to}`);
    const edge = { from, to, type, value: access ? 1 << pick(5) : 0, conditional: next() < 0.3 };
    pairs.push(edge);
    add(hubbed, edge);
  }
  // The expanded graph gets the same pairs in another order: rows are sorted, whatever the order.
  for (const edge of pairs.sort(() => next() - 0.5)) add(expanded, edge);
  return { hubbed: hubbed.build(), expanded: expanded.build(), hubs: hubCount };
}

function add(builder: HopGraphBuilder, e: Pair): void {
  if (e.type < 0) builder.addAccess(e.from, e.to, e.value, e.conditional);
  else builder.addHop(e.from, e.to, e.type, e.conditional);
}

/** Every row of every principal, routes as (from id, to id, type) edges, by stable ids. */
function allRows(graph: HopGraph, question: RouteQuestion): string[] {
  const search = new RouteSearch(graph, question);
  const keyToId = new Map<number, string>();
  graph.keys.forEach((key, i) => {
    if (i < graph.hubStart) keyToId.set(key, graph.ids[i] as string);
  });
  const rows: string[] = [];
  for (let p = 0; p < graph.hubStart; p++)
    search.fromPrincipal(p, (row) => {
      const route = routeEdgeKeys(graph, p, row.slots, row.access, 'END')
        .map((e) => `${keyToId.get(e.from)}-${e.type}->${keyToId.get(e.to)}`)
        .join(' ');
      rows.push(
        [
          graph.ids[p],
          graph.ids[row.resource],
          row.hops,
          row.minHops,
          row.levels,
          row.allLevels,
          row.conditional,
          graph.ids[row.firstHop],
          row.via.join('.'),
          route,
        ].join(' | '),
      );
    });
  return rows;
}

describe('the route search through Grant hubs', () => {
  it('gives the same rows and routes as the pair edges the hubs stand for (seeded random graphs)', () => {
    let hubs = 0;
    let throughHub = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const endingHops = seed % 3 === 0;
      const { hubbed, expanded, hubs: made } = randomGraphs(seed, endingHops);
      hubs += made;
      const questions: RouteQuestion[] = [
        allRoutes(6),
        allRoutes(1),
        { ...allRoutes(6), unconditionalOnly: true },
        { ...allRoutes(6), levels: levelMask(['read']) },
        { ...allRoutes(4), hopTypes: hopTypeMask(['CAN_ASSUME', 'CAN_ESCALATE']) },
      ];
      for (const [q, question] of questions.entries()) {
        const a = allRows(hubbed, question);
        expect(a, `seed ${seed}, question ${q}`).toEqual(allRows(expanded, question));
      }
      // Routes name the hub they go through; the expanded graph has none.
      const search = new RouteSearch(hubbed, allRoutes(6));
      for (let p = 0; p < hubbed.hubStart; p++)
        search.fromPrincipal(p, (row) => {
          if (routeEdgeKeys(hubbed, p, row.slots, row.access, 'END').some((e) => e.hub !== undefined))
            throughHub++;
        });
      expect(expanded.size).toBe(expanded.hubStart);
    }
    expect(hubs).toBeGreaterThan(300);
    expect(throughHub).toBeGreaterThan(1000);
  }, 60_000);

  it('keeps hub legs once: no pair edge is stored', () => {
    const { hubbed, expanded } = randomGraphs(7, false);
    const stored = (g: HopGraph) => g.hopTargets.length + g.accessTargets.length;
    const legs = hubbed.hopMemberHubs.length + hubbed.accessMemberHubs.length;
    expect(stored(hubbed) + legs).toBeLessThan(stored(expanded));
  });

  it('drops a leg without its other side (a hub without members or without targets stands for nothing)', () => {
    const b = new HopGraphBuilder();
    b.addNode({ key: 1, id: 'a', principal: true, resource: false, scope: null });
    b.addNode({ key: 2, id: 'b', principal: true, resource: false, scope: null });
    b.addNode({ key: 3, id: 'r', principal: false, resource: true, scope: null });
    b.addGrant(10, 'grant:test:only-members');
    b.addGrant(11, 'grant:test:only-targets');
    b.addMemberLeg(1, 10, 0, false);
    b.addHubHop(11, 2, 0, false);
    // A member leg out of a resource and a target leg into an unknown node are dropped.
    b.addMemberLeg(3, 10, 0, false);
    b.addHubAccess(11, 99, 1, false);
    const g = b.build();
    expect(g.size).toBe(g.hubStart);
    expect(b.dropped).toBe(2);
    const rows: number[] = [];
    new RouteSearch(g, allRoutes(6)).fromPrincipal(0, (row) => rows.push(row.resource));
    expect(rows).toEqual([]);
  });
});

// ── Every answer on inventories: hubbed vs expandGrants(…) ─────────────────────────────────────

const withoutGrant = (hop: PathHop): PathHop => {
  const { grant: _, ...rest } = hop;
  return rest;
};
const plainAccess = (answers: AccessPathAnswer[]) =>
  answers.map((a) => ({ ...a, path: a.path.map(withoutGrant) }));
const plainEscalations = (answers: EscalationAnswer[]) =>
  answers.map((a) => ({ ...a, path: a.path.map(withoutGrant) }));

/** The summary's rows (RouteSearch without routes, as compute.ts runs it), by stable ids. */
function summaryRows(graph: MemoryGraph, maxHops: number): Map<string, string[]> {
  const { graph: g } = graph.hopGraph({ endingHops: false, ending: 'CAN_ACCESS', endsAt: ['Resource'] });
  const search = new RouteSearch(g, allRoutes(maxHops), { routes: false });
  const rows = new Map<string, string[]>();
  for (let p = 0; p < g.hubStart; p++) {
    const list: string[] = [];
    search.fromPrincipal(p, (row) => {
      expect(row.firstHop).toBeLessThan(g.hubStart);
      list.push(
        [
          g.ids[row.resource],
          row.hops,
          row.minHops,
          row.levels,
          row.allLevels,
          row.conditional,
          g.ids[row.firstHop],
          row.via.join('.'),
        ].join(' | '),
      );
    });
    if (list.length) rows.set(g.ids[p] as string, list);
  }
  return rows;
}

describe('answers on inventories with Grant hubs', () => {
  it.each([1, 11, 21, 31])(
    'equal the answers on the expanded inventory: summary rows, routes with evidence, who-can, escalations, admins (seeds %i to +9)',
    async (first) => {
      let grants = 0;
      let hopsThroughGrants = 0;
      for (let seed = first; seed < first + 10; seed++) {
        const input = hubbedEstate(seed);
        const hubbed = MemoryGraph.fromInventory(validateInventory(input, `hubbed-${seed}`));
        const expanded = MemoryGraph.fromInventory(
          validateInventory(expandGrants(InventorySchema.parse(input)), `expanded-${seed}`),
        );
        grants += [...hubbed.nodes()].filter((n) => n.kind === 'Grant').length;
        for (const maxHops of [6, 2, 0])
          expect(summaryRows(hubbed, maxHops), `seed ${seed} summary ≤ ${maxHops}`).toEqual(
            summaryRows(expanded, maxHops),
          );

        const h = new MemoryPathQueries(hubbed);
        const e = new MemoryPathQueries(expanded);
        const all = { from: 'nonHuman=true', to: 'environment=production' };
        for (const options of [
          all,
          { ...all, certain: true },
          { ...all, level: 'write' },
          { ...all, maxHops: 1 },
        ]) {
          const reach = await h.reach(options);
          hopsThroughGrants += reach.flatMap((a) => a.path).filter((hop) => hop.grant).length;
          expect(plainAccess(reach), `seed ${seed} reach ${JSON.stringify(options)}`).toEqual(
            plainAccess(await e.reach(options)),
          );
        }
        for (let j = 0; j < 6; j++)
          expect(
            plainAccess(await h.whoCan({ resource: hubBucket(j) })),
            `seed ${seed} who-can b${j}`,
          ).toEqual(plainAccess(await e.whoCan({ resource: hubBucket(j) })));
        expect(plainEscalations(await h.escalations()), `seed ${seed} escalations`).toEqual(
          plainEscalations(await e.escalations()),
        );
        expect(await h.admins({ account: HUB_ACCOUNT }), `seed ${seed} admins`).toEqual(
          await e.admins({ account: HUB_ACCOUNT }),
        );
      }
      expect(grants).toBeGreaterThan(35);
      expect(hopsThroughGrants).toBeGreaterThan(100);
    },
    60_000,
  );

  it('explains a hop through a hub as the pair edge: both legs’ evidence, the hub named, conditional when a leg is', async () => {
    const input = hubbedEstate(5);
    const hubbed = new MemoryPathQueries(MemoryGraph.fromInventory(validateInventory(input, 'hubbed')));
    const answers = await hubbed.reach({ from: 'nonHuman=true', to: 'environment=production' });
    const hop = answers.flatMap((a) => a.path).find((p) => p.grant);
    expect(hop).toBeDefined();
    if (!hop) return;
    const member = (input.relationships ?? []).find(
      (r) => r.from === hop.from && r.to === hop.grant && r.type === hop.type,
    );
    const target = (input.relationships ?? []).find(
      (r) => r.from === hop.grant && r.to === hop.to && r.type === hop.type,
    );
    expect(hop.evidence).toEqual([...(member?.evidence ?? []), ...(target?.evidence ?? [])]);
    expect(hop.conditional).toBe(hop.evidence.some((ev) => (ev.conditions?.length ?? 0) > 0));
    // The hub is never a node of an answer.
    for (const a of answers) for (const p of a.path) expect(p.to.startsWith('grant:')).toBe(false);
  });
});
