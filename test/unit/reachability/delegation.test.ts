import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseAwsEnvironment } from '../../../bench/synthetic-aws-dense.js';
import { syntheticKubernetesRaw } from '../../../bench/synthetic-kubernetes.js';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import { analyzeKubernetes } from '../../../src/analyzers/kubernetes/analyze.js';
import { ENDING_LEG, type HopGraph, HopGraphBuilder } from '../../../src/answers/hop-graph.js';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../../../src/answers/route-search.js';
import { collectKubernetes } from '../../../src/collectors/kubernetes/collect.js';
import { transformKubernetes } from '../../../src/collectors/kubernetes/transform.js';
import type { KubernetesEnvironment } from '../../../src/model/kubernetes/environment.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
import { buildKubernetesInventory } from '../../../src/providers/kubernetes/inventory.js';
import { encodeVia, HOP_TYPE_CODES } from '../../../src/reachability/codes.js';
import {
  MAX_DELEGATION_DEPTH,
  SummaryPlanner,
  type SummaryRow,
} from '../../../src/reachability/delegation.js';
import { K8S_FIXTURE_ROOT } from '../kubernetes-collector/expected.js';

// The rows and delegations a computation stores, expanded as cypher/reachability/summary-rows.cypher
// expands them (a chain of at most MAX_DELEGATION_DEPTH delegations; per resource, the first
// principal on the chain with a row of its own answers; each delegation hop adds one hop, its via
// digit first, firstHop the first delegate, conditional or'ed), give back every row the route search
// gives each principal, and nothing else.

async function hopGraph(environment: KubernetesEnvironment): Promise<HopGraph> {
  const analysis = await analyzeKubernetes(environment);
  const valid = validateInventory(buildKubernetesInventory(environment, analysis, { sourceName: 't' }), 't');
  return MemoryGraph.fromInventory(valid).hopGraph({
    endingHops: false,
    ending: 'CAN_ACCESS',
    endsAt: ['Resource'],
  }).graph;
}

type Row = [number, number, number, number, number, boolean, number, number];

const toRow = (r: Readonly<SummaryRow>): Row => [
  r.resource,
  r.hops,
  r.minHops,
  r.levels,
  r.allLevels,
  r.conditional,
  r.firstHop,
  encodeVia(r.via),
];

/**
 * Principals `p0…` (every `resourceEvery`th one a resource too) and resources `r0…` after them, the
 * nodes of the seeded random graphs below.
 */
function addNodes(b: HopGraphBuilder, principals: number, resources: number, resourceEvery: number): void {
  for (let i = 0; i < principals; i++)
    b.addNode({ key: i, id: `p${i}`, principal: true, resource: i % resourceEvery === 0, scope: null });
  for (let i = 0; i < resources; i++)
    b.addNode({ key: principals + i, id: `r${i}`, principal: false, resource: true, scope: null });
}

function expectExpansionExact(
  graph: HopGraph,
  maxHops = 6,
): {
  delegations: number;
  chains: number;
  longest: number;
  same: number;
  own: number;
  through: number;
  layered: number;
  toHubs: number;
  moreHubs: number;
  hubRows: number;
} {
  const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
  const shorter = maxHops > 0 ? new RouteSearch(graph, allRoutes(maxHops - 1), { routes: false }) : undefined;
  const planner = new SummaryPlanner(graph, search, true, shorter);
  // The stored REACHES rows, by principal then resource.
  const stored = new Map<number, Map<number, Row>>();
  const emit = (row: Readonly<SummaryRow>) => {
    const mine = stored.get(row.principal) ?? new Map<number, Row>();
    expect(mine.has(row.resource)).toBe(false);
    mine.set(row.resource, toRow(row));
    stored.set(row.principal, mine);
  };
  let answers = 0;
  for (let p = 0; p < graph.size; p++) answers += planner.principal(p, emit);
  const delegations = planner.finish(emit);
  let storedRows = 0;
  let hubRows = 0;
  for (const [x, rows] of stored) {
    // A Grant hub's rows (CAN_ACCESS hubs) are stored once for the principals delegating to it.
    if (x >= graph.hubStart) hubRows += rows.size;
    else storedRows += rows.size;
  }
  expect(hubRows).toBe(delegations.hubRows);
  expect(storedRows + delegations.delegatedRows).toBe(answers);

  // The fragment's reading: paths s -[:REACHES_AS*0..MAX]-> delegate -[:REACHES]-> r, kept when no
  // principal before the delegate on the path has a row of its own into r. A principal delegating
  // to CAN_ACCESS hubs has one path through each; no resource may come from two paths.
  const delegatesOf = (x: number): [number, number, number][] => {
    const q = delegations.delegate[x] as number;
    if (q < 0) return [];
    const out: [number, number, number][] = [
      [q, delegations.viaDigit[x] as number, delegations.conditional[x] as number],
    ];
    const more = delegations.more.get(x) ?? [];
    for (let e = 0; e < more.length; e += 3) out.push([more[e] as number, 0, more[e + 1] as number]);
    return out;
  };
  const expandFrom = (x: number, depth: number): Map<number, Row> => {
    expect(depth).toBeLessThanOrEqual(MAX_DELEGATION_DEPTH);
    const mine = stored.get(x) ?? new Map<number, Row>();
    const out = new Map<number, Row>(mine);
    const fromDelegates = new Set<number>();
    for (const [q, digit, cond] of delegatesOf(x))
      for (const [r, row] of expandFrom(q, depth + 1)) {
        if (mine.has(r)) continue;
        expect(
          fromDelegates.has(r),
          `resource ${graph.ids[r]} through two delegates of ${graph.ids[x]}`,
        ).toBe(false);
        fromDelegates.add(r);
        let [, hops, minHops, levels, allLevels, conditional, firstHop, via] = row;
        conditional ||= cond === 1;
        // A delegation of the same rows (via digit 0) takes them as they are.
        if (digit !== 0) {
          via += digit * 8 ** hops;
          hops++;
          minHops++;
          firstHop = q;
        }
        out.set(r, [r, hops, minHops, levels, allLevels, conditional, firstHop, via]);
      }
    return out;
  };
  const expand = (s: number): Row[] => [...expandFrom(s, 0).values()].sort((a, b) => a[0] - b[0]);

  let chains = 0;
  let longest = 0;
  let same = 0;
  let toHubs = 0;
  let moreHubs = 0;
  for (let p = 0; p < graph.size; p++) {
    if (!graph.isPrincipal[p]) continue;
    let length = 0;
    for (let x = p; (delegations.delegate[x] as number) >= 0; x = delegations.delegate[x] as number) length++;
    longest = Math.max(longest, length);
    const truth: Row[] = [];
    search.fromPrincipal(p, (r) => truth.push(toRow(r)));
    expect(expand(p), `principal ${graph.ids[p]}`).toEqual(truth.sort((a, b) => a[0] - b[0]));
    const q = delegations.delegate[p] as number;
    if (q < 0) continue;
    if ((delegations.delegate[q] as number) >= 0) chains++;
    if (delegations.viaDigit[p] === 0) same++;
    // A delegation stands for two rows at least, and, to a principal, for most of its principal's.
    expect(delegations.rows[p]).toBeGreaterThan(1);
    if (q >= graph.hubStart) {
      toHubs++;
      if (delegations.more.has(p)) moreHubs++;
      expect(delegations.viaDigit[p]).toBe(0);
    } else expect(2 * (delegations.rows[p] as number)).toBeGreaterThan(truth.length);
  }
  // A hub's rows are stored only for principals delegating to it.
  const hubsUsed = new Set<number>(delegations.delegate);
  for (const more of delegations.more.values())
    for (let e = 0; e < more.length; e += 3) hubsUsed.add(more[e] as number);
  for (const x of stored.keys()) if (x >= graph.hubStart) expect(hubsUsed.has(x)).toBe(true);
  return {
    delegations: delegations.count,
    chains,
    longest,
    same,
    own: delegations.ownRows,
    through: planner.timings.through,
    layered: planner.timings.layered,
    toHubs,
    moreHubs,
    hubRows,
  };
}

/**
 * A computation for some scopes (a resource filter, no delegation) writes every principal's rows
 * into the wanted resources: composed in layers, they are the filtered search's.
 */
function expectScopedRowsExact(graph: HopGraph, maxHops: number): void {
  const filter = Uint8Array.from({ length: graph.size }, (_, i) =>
    graph.isResource[i] && i % 2 === 0 ? 1 : 0,
  );
  const options = { resourceFilter: filter, routes: false };
  const search = new RouteSearch(graph, allRoutes(maxHops), options);
  const shorter = maxHops > 0 ? new RouteSearch(graph, allRoutes(maxHops - 1), options) : undefined;
  const planner = new SummaryPlanner(graph, search, false, shorter);
  const planned = new Map<number, Row[]>();
  for (let p = 0; p < graph.size; p++)
    planner.principal(p, (row) => planned.set(p, [...(planned.get(p) ?? []), toRow(row)]));
  planner.finish(() => {
    throw new Error('no delegation to give up');
  });
  for (let p = 0; p < graph.size; p++) {
    if (!graph.isPrincipal[p]) continue;
    const truth: Row[] = [];
    search.fromPrincipal(p, (r) => truth.push(toRow(r)));
    const mine = (planned.get(p) ?? []).sort((a, b) => a[0] - b[0]);
    expect(mine, `principal ${graph.ids[p]}, scoped`).toEqual(truth.sort((a, b) => a[0] - b[0]));
  }
}

describe('summary delegations (REACHES_AS)', () => {
  it('expand to exactly the rows of each delegating principal: the EKS fixture', async () => {
    // Alice holds her two rows; the privileged pod and the deployer reach one secret through the node
    // (db-credentials, which the node's pods reference): one row each, which no delegation saves.
    const graph = await hopGraph(await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT }));
    expect(expectExpansionExact(graph).delegations).toBe(0);
  });

  it('expand to exactly the rows of each delegating principal: seeded synthetic clusters', async () => {
    for (const seed of [1, 2]) {
      const { raw } = syntheticKubernetesRaw({ pods: 300, seed });
      const graph = await hopGraph(transformKubernetes(raw));
      // Pods and workloads delegate to their accounts, nodes to the account every node runs (keeping
      // the rows their own pods give shorter), DaemonSet pods to their node: chains of two.
      const found = expectExpansionExact(graph);
      expect(found.delegations, `seed ${seed}`).toBeGreaterThan(0);
      expect(found.chains, `seed ${seed}`).toBeGreaterThan(0);
      expect(found.own, `seed ${seed}`).toBeGreaterThan(0);
      expect(found.through, `seed ${seed}`).toBeGreaterThan(0);
      // Accounts holding one right to every node (a privileged pod) share their rows: the same rows.
      expect(found.same, `seed ${seed}`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('expand to exactly the rows of each principal: seeded random graphs, any hop bound', () => {
    // Many principals with one way out (rows taken through it), conditional edges, principals that
    // are resources too, and bounds short enough for the bound to cut routes.
    const graph = fc
      .record({ principals: fc.integer({ min: 2, max: 14 }), resources: fc.integer({ min: 1, max: 6 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          single: fc.array(
            fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) }),
            {
              minLength: principals,
              maxLength: principals,
            },
          ),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.boolean(),
            }),
            { maxLength: 20 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              levels: fc.integer({ min: 1, max: 31 }),
              conditional: fc.boolean(),
            }),
            { maxLength: 30 },
          ),
        }),
      );
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 6 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        // Principals 0..p-1 (the even ones are resources too), resources p..p+r-1.
        addNodes(b, f.principals, f.resources, 2);
        // The first half of the principals have one way out and nothing else; the rest take the
        // random edges.
        const half = Math.floor(f.principals / 2);
        f.single.forEach((h, i) => {
          if (i < half) b.addHop(i, h.to, h.type, false);
        });
        for (const h of f.hops) if (h.from >= half) b.addHop(h.from, h.to, h.type, h.conditional);
        for (const a of f.access)
          if (a.from >= half && a.to !== a.from) b.addAccess(a.from, a.to, a.levels, a.conditional);
        expectExpansionExact(b.build(), maxHops);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('compose exactly the rows of principals with several ways out from theirs: seeded random graphs', () => {
    // A third of the principals hop, unconditionally, into one to four principals (their own edges
    // and a hub's pair edges, in any type order and with repeats), with or without ending edges of
    // their own, so their rows are composed from their own and those principals' rows within the
    // shorter bound; the rest take random edges, conditional ones included, so the principals
    // composed from meet every kind of answer.
    const graph = fc
      .record({ principals: fc.integer({ min: 3, max: 14 }), resources: fc.integer({ min: 1, max: 6 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          ways: fc.array(
            fc.array(fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) }), {
              minLength: 1,
              maxLength: 4,
            }),
            { minLength: principals, maxLength: principals },
          ),
          hub: fc.record({
            members: fc.array(fc.nat(principals - 1), { maxLength: 4 }),
            targets: fc.array(
              fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) }),
              { minLength: 1, maxLength: 3 },
            ),
          }),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.boolean(),
            }),
            { maxLength: 24 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              levels: fc.integer({ min: 1, max: 31 }),
              conditional: fc.boolean(),
            }),
            { maxLength: 30 },
          ),
        }),
      );
    let composedSeveral = 0;
    fc.assert(
      fc.property(graph, fc.integer({ min: 1, max: 6 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        addNodes(b, f.principals, f.resources, 3);
        const third = Math.ceil(f.principals / 3);
        const composedFrom = (i: number) => i < third;
        f.ways.forEach((ways, i) => {
          if (!composedFrom(i)) return;
          for (const w of ways) if (w.to !== i) b.addHop(i, w.to, w.type, false);
        });
        const hub = 1_000;
        b.addGrant(hub, 'grant:test:ways');
        for (const m of new Set(f.hub.members)) if (composedFrom(m)) b.addMemberLeg(m, hub, 0, false);
        for (const t of f.hub.targets) if (!composedFrom(t.to)) b.addHubHop(hub, t.to, t.type, false);
        for (const h of f.hops) if (!composedFrom(h.from)) b.addHop(h.from, h.to, h.type, h.conditional);
        // Principals composed from have ending edges of their own too, now and then.
        for (const a of f.access) if (a.to !== a.from) b.addAccess(a.from, a.to, a.levels, a.conditional);
        const built = b.build();
        for (let i = 0; i < third; i++) {
          const targets = new Set(f.ways[i]?.map((w) => w.to).filter((to) => to !== i));
          if (targets.size > 1) composedSeveral++;
        }
        expectExpansionExact(built, maxHops);
      }),
      { numRuns: 300, seed: 15 },
    );
    expect(composedSeveral).toBeGreaterThan(100);
  });

  it('compose exactly the rows of principals in layers, cycles and hubs included: seeded random graphs', () => {
    // Most hop edges are unconditional, so most principals are in the closed set whose rows are
    // composed bound after bound (layers.ts) from those they hop to, through cycles (principals
    // hopping into each other, as accounts that can impersonate each other do), several hubs and
    // repeated edges of different types into one principal; a few conditional edges and hops into
    // resources take some principals, and those hopping into them, out of the set, so the set's
    // rows also meet principals searched or composed from it within the shorter bound.
    const graph = fc
      .record({ principals: fc.integer({ min: 2, max: 16 }), resources: fc.integer({ min: 1, max: 4 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          // A chain through every principal, so that the bound cuts routes.
          chain: fc.option(fc.nat(HOP_TYPE_CODES.length - 1)),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
              intoResource: fc.integer({ min: 0, max: 29 }).map((x) => (x === 0 ? 1 : 0)),
            }),
            { maxLength: 40 },
          ),
          hubs: fc.array(
            fc.record({
              members: fc.array(fc.nat(principals - 1), { maxLength: 5 }),
              targets: fc.array(
                fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) }),
                { minLength: 1, maxLength: 4 },
              ),
            }),
            { maxLength: 3 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              // Few level sets, so that answers tie often.
              levels: fc.constantFrom(1, 2, 2, 3, 4, 16),
              conditional: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
            }),
            { maxLength: 30 },
          ),
        }),
      );
    let layered = 0;
    let graphs = 0;
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 7 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        addNodes(b, f.principals, f.resources, 3);
        if (f.chain !== null) for (let i = 0; i + 1 < f.principals; i++) b.addHop(i, i + 1, f.chain, false);
        for (const h of f.hops)
          b.addHop(
            h.from,
            h.intoResource ? f.principals + (h.to % f.resources) : h.to,
            h.type,
            h.conditional,
          );
        f.hubs.forEach((hub, k) => {
          b.addGrant(1_000 + k, `grant:test:${k}`);
          for (const m of new Set(hub.members)) b.addMemberLeg(m, 1_000 + k, 0, false);
          for (const t of hub.targets) b.addHubHop(1_000 + k, t.to, t.type, false);
        });
        for (const a of f.access) if (a.to !== a.from) b.addAccess(a.from, a.to, a.levels, a.conditional);
        const built = b.build();
        const found = expectExpansionExact(built, maxHops);
        expectScopedRowsExact(built, maxHops);
        layered += found.layered;
        if (found.layered > 0) graphs++;
      }),
      { numRuns: 1000, seed: 16 },
    );
    expect(graphs).toBeGreaterThan(200);
    expect(layered).toBeGreaterThan(1_000);
  }, 120_000);
  it('compose exactly the rows of principals with conditional hops in layers: seeded random AWS-shaped graphs', () => {
    // Every principal whose hops enter principals is composed in layers, conditional hops included
    // (trust with MFA or ExternalId conditions, conditional escalations): through a conditional edge
    // every route is conditional, so a principal takes the best route ignoring conditions of the
    // principal it hops to, which may differ from that principal's chosen (unconditional) one.
    // Here: mostly conditional hops, parallel edges of several types into one principal (one
    // conditional, one not), trust-class and escalation hubs with conditional member legs and
    // conditional target legs, hub members among the hub's own targets and hops into oneself, few
    // level sets (answers tie often) and conditional ending edges, at bounds 0–7.
    const graph = fc
      .record({ principals: fc.integer({ min: 2, max: 20 }), resources: fc.integer({ min: 1, max: 5 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.boolean(),
              // A second edge into the same principal: another type, the other condition.
              parallel: fc.option(fc.nat(HOP_TYPE_CODES.length - 1), { freq: 3 }),
            }),
            { maxLength: 30, size: 'medium' },
          ),
          hubs: fc.array(
            fc.record({
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              members: fc.array(fc.record({ p: fc.nat(principals - 1), conditional: fc.boolean() }), {
                maxLength: 6,
              }),
              targets: fc.array(
                fc.record({
                  to: fc.nat(principals - 1),
                  conditional: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
                }),
                { minLength: 1, maxLength: 5 },
              ),
            }),
            { maxLength: 3 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              levels: fc.constantFrom(1, 2, 2, 3, 4, 16),
              conditional: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
            }),
            { maxLength: 15, size: 'medium' },
          ),
        }),
      );
    let principals = 0;
    let conditionalRows = 0;
    let otherRoutes = 0;
    let hubDelegations = 0;
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 7 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        addNodes(b, f.principals, f.resources, 3);
        for (const h of f.hops) {
          b.addHop(h.from, h.to, h.type, h.conditional);
          if (h.parallel !== null && h.parallel !== h.type)
            b.addHop(h.from, h.to, h.parallel, !h.conditional);
        }
        f.hubs.forEach((hub, k) => {
          b.addGrant(1_000 + k, `grant:test:${k}`);
          for (const m of hub.members) b.addMemberLeg(m.p, 1_000 + k, hub.type, m.conditional);
          for (const t of hub.targets) b.addHubHop(1_000 + k, t.to, hub.type, t.conditional);
        });
        for (const a of f.access) if (a.to !== a.from) b.addAccess(a.from, a.to, a.levels, a.conditional);
        const built = b.build();
        // Rows whose route beyond its first hop is not the chosen route of the principal entered:
        // the best route ignoring conditions, taken through a conditional edge.
        const search = new RouteSearch(built, allRoutes(maxHops), { routes: false });
        const chosen = new Map<string, number>();
        for (let p = 0; p < built.size; p++)
          search.fromPrincipal(p, (row) => chosen.set(`${p} ${row.resource}`, encodeVia(row.via)));
        for (let p = 0; p < built.size; p++)
          search.fromPrincipal(p, (row) => {
            if (!row.conditional || row.hops < 2) return;
            conditionalRows++;
            const rest = encodeVia(row.via.slice(1));
            if (chosen.get(`${row.firstHop} ${row.resource}`) !== rest) otherRoutes++;
          });
        const found = expectExpansionExact(built, maxHops);
        expectScopedRowsExact(built, maxHops);
        // No principal is searched: every one is composed in layers.
        expect(found.layered).toBe(f.principals);
        principals += found.layered;
        hubDelegations += found.same;
      }),
      { numRuns: 3000, seed: 19 },
    );
    expect(principals).toBeGreaterThan(25_000);
    expect(conditionalRows).toBeGreaterThan(4_000);
    expect(otherRoutes).toBeGreaterThan(300);
    expect(hubDelegations).toBeGreaterThan(100);
  }, 120_000);
  it('expand the same rows shared through a hop hub, in chains of up to four: seeded random graphs', () => {
    // Principals holding one right to a set of targets (hub members, as every account that may
    // create privileged pods reaches every node) mostly have the same rows, and a few of them have
    // ways out or ending edges of their own that change some answers (shorter, other levels, ties
    // broken another way, conditional ones); others hop only into one principal (a pod into its
    // account) or into a hub's member, so the same rows sit inside chains of delegations.
    const graph = fc
      .record({ principals: fc.integer({ min: 4, max: 18 }), resources: fc.integer({ min: 2, max: 8 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          hubs: fc.array(
            fc.record({
              members: fc.array(fc.nat(principals - 1), { minLength: 2, maxLength: 7 }),
              // A hub's legs have one type (a Grant stands for edges of one type).
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              targets: fc.array(
                fc.record({
                  to: fc.nat(principals - 1),
                  // What the target reaches itself.
                  reaches: fc.array(
                    fc.record({ to: fc.nat(resources - 1), levels: fc.constantFrom(1, 2, 2, 3, 4, 16) }),
                    { minLength: 1, maxLength: 4 },
                  ),
                }),
                { minLength: 1, maxLength: 4 },
              ),
              conditional: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          // One way out: into a principal (pods into their account), unconditional.
          single: fc.array(
            fc.option(fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) })),
            { minLength: principals, maxLength: principals },
          ),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
            }),
            { maxLength: 12 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals + resources - 1),
              levels: fc.constantFrom(1, 2, 2, 3, 4, 16),
              conditional: fc.integer({ min: 0, max: 5 }).map((x) => x === 0),
            }),
            { maxLength: 24 },
          ),
        }),
      );
    let same = 0;
    let sameInChains = 0;
    let longest = 0;
    fc.assert(
      fc.property(graph, fc.integer({ min: 1, max: 7 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        addNodes(b, f.principals, f.resources, 4);
        const members = new Set(f.hubs.flatMap((h) => h.members));
        // A principal with one way out has nothing else; hub members and the rest take random edges.
        const single = (i: number) => f.single[i] !== null && !members.has(i);
        f.single.forEach((w, i) => {
          if (w && single(i) && w.to !== i) b.addHop(i, w.to, w.type, false);
        });
        f.hubs.forEach((hub, k) => {
          b.addGrant(1_000 + k, `grant:test:${k}`);
          const own = new Set(hub.members);
          for (const m of own) b.addMemberLeg(m, 1_000 + k, hub.type, hub.conditional);
          // A principal never reaches itself: a hub's members are not its targets.
          for (const t of hub.targets) {
            if (own.has(t.to)) continue;
            b.addHubHop(1_000 + k, t.to, hub.type, false);
            if (!single(t.to))
              for (const a of t.reaches) b.addAccess(t.to, f.principals + a.to, a.levels, false);
          }
        });
        for (const h of f.hops)
          if (!single(h.from) && h.to !== h.from) b.addHop(h.from, h.to, h.type, h.conditional);
        for (const a of f.access)
          if (a.to !== a.from && !single(a.from)) b.addAccess(a.from, a.to, a.levels, a.conditional);
        const found = expectExpansionExact(b.build(), maxHops);
        same += found.same;
        if (found.same > 0 && found.longest >= 2) sameInChains++;
        longest = Math.max(longest, found.longest);
      }),
      { numRuns: 1000, seed: 17 },
    );
    expect(same).toBeGreaterThan(200);
    expect(sameInChains).toBeGreaterThan(50);
    expect(longest).toBe(MAX_DELEGATION_DEPTH);
  }, 120_000);

  it('expand exactly the rows of principals delegating to CAN_ACCESS hubs: seeded dense AWS accounts', async () => {
    // Roles and users reaching every bucket through one s3:* statement, conditional trust, PassRole
    // and IAM-write hubs: most principals are outside the layered set (conditional hops), and the
    // rows they reach directly through a CAN_ACCESS hub are stored once, on the hub.
    for (const seed of [1, 2]) {
      const environment = denseAwsEnvironment({ roles: 40, seed });
      const analysis = await analyzeAws(environment);
      const valid = validateInventory(buildAwsInventory(environment, analysis, { sourceName: 't' }), 't');
      const graph = MemoryGraph.fromInventory(valid).hopGraph({
        endingHops: false,
        ending: 'CAN_ACCESS',
        endsAt: ['Resource'],
      }).graph;
      const found = expectExpansionExact(graph);
      // Conditional trust and escalations included, every principal's rows are composed in layers.
      let principals = 0;
      for (let p = 0; p < graph.size; p++) if (graph.isPrincipal[p]) principals++;
      expect(found.layered, `seed ${seed}`).toBe(principals);
      expect(found.toHubs, `seed ${seed}`).toBeGreaterThan(0);
      expect(found.hubRows, `seed ${seed}`).toBeGreaterThan(0);
      // Members of several CAN_ACCESS hubs reaching disjoint resources delegate to each of them.
      expect(found.moreHubs, `seed ${seed}`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('expand exactly the rows of principals delegating to CAN_ACCESS hubs: seeded random AWS-shaped graphs', () => {
    // CAN_ACCESS hubs (a statement's resource pattern: every bucket) whose members hold other
    // grants into some of the same resources (other levels, conditional ones, the same levels: the
    // answer changes or not), conditional member legs (a statement's condition), members of several
    // hubs, trust-class hubs (CAN_ASSUME into roles, conditional legs as MFA or ExternalId
    // conditions), conditional and unconditional hops, and principals with one way out (a GitHub
    // OIDC provider into its role), so hub delegations sit at the end of chains.
    const graph = fc
      .record({ principals: fc.integer({ min: 4, max: 18 }), resources: fc.integer({ min: 2, max: 16 }) })
      .chain(({ principals, resources }) =>
        fc.record({
          principals: fc.constant(principals),
          resources: fc.constant(resources),
          accessHubs: fc.array(
            fc.record({
              disjoint: fc.integer({ min: 0, max: 3 }).map((x) => x > 0),
              members: fc.array(
                fc.record({
                  p: fc.nat(principals - 1),
                  conditional: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
                }),
                { minLength: 1, maxLength: 8 },
              ),
              targets: fc.array(
                fc.record({
                  to: fc.nat(resources - 1),
                  levels: fc.constantFrom(1, 2, 2, 3, 4, 16),
                  conditional: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
                }),
                { minLength: 1, maxLength: 8 },
              ),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          trustHubs: fc.array(
            fc.record({
              members: fc.array(
                fc.record({
                  p: fc.nat(principals - 1),
                  conditional: fc.integer({ min: 0, max: 2 }).map((x) => x === 0),
                }),
                { minLength: 1, maxLength: 6 },
              ),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              targets: fc.array(fc.nat(principals - 1), { minLength: 1, maxLength: 4 }),
            }),
            { maxLength: 2 },
          ),
          single: fc.array(
            fc.option(fc.record({ to: fc.nat(principals - 1), type: fc.nat(HOP_TYPE_CODES.length - 1) }), {
              freq: 3,
            }),
            { minLength: principals, maxLength: principals },
          ),
          hops: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(principals - 1),
              type: fc.nat(HOP_TYPE_CODES.length - 1),
              conditional: fc.boolean(),
            }),
            { maxLength: 10 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.nat(resources - 1),
              levels: fc.constantFrom(1, 2, 2, 3, 4, 16),
              conditional: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
            }),
            { maxLength: 24 },
          ),
        }),
      );
    let toHubs = 0;
    let moreHubs = 0;
    let chained = 0;
    let conditionalLegs = 0;
    fc.assert(
      fc.property(graph, fc.integer({ min: 0, max: 6 }), (f, maxHops) => {
        const b = new HopGraphBuilder();
        addNodes(b, f.principals, f.resources, 5);
        const single = (i: number) => f.single[i] !== null;
        f.single.forEach((w, i) => {
          if (w && w.to !== i) b.addHop(i, w.to, w.type, false);
        });
        let conditional = false;
        f.accessHubs.forEach((hub, k) => {
          b.addGrant(1_000 + k, `grant:test:access:${k}`);
          for (const m of hub.members) {
            if (single(m.p)) continue;
            b.addMemberLeg(m.p, 1_000 + k, ENDING_LEG, m.conditional);
            conditional ||= m.conditional;
          }
          // Most hubs' resource patterns are disjoint (one statement for every bucket, another for
          // every table): hub k takes resources k, k + hubs, k + 2·hubs…; the others take any.
          const hubs = f.accessHubs.length;
          const span = Math.floor(f.resources / hubs);
          const at = (to: number) => (hub.disjoint && span > 0 ? k + hubs * (to % span) : to);
          for (const t of hub.targets)
            b.addHubAccess(1_000 + k, f.principals + at(t.to), t.levels, t.conditional);
        });
        f.trustHubs.forEach((hub, k) => {
          b.addGrant(2_000 + k, `grant:test:trust:${k}`);
          const own = new Set(hub.members.map((m) => m.p));
          for (const m of hub.members)
            if (!single(m.p)) b.addMemberLeg(m.p, 2_000 + k, hub.type, m.conditional);
          for (const t of new Set(hub.targets)) if (!own.has(t)) b.addHubHop(2_000 + k, t, hub.type, false);
        });
        for (const h of f.hops)
          if (!single(h.from) && h.to !== h.from) b.addHop(h.from, h.to, h.type, h.conditional);
        for (const a of f.access)
          if (!single(a.from)) b.addAccess(a.from, f.principals + a.to, a.levels, a.conditional);
        const found = expectExpansionExact(b.build(), maxHops);
        toHubs += found.toHubs;
        moreHubs += found.moreHubs;
        if (found.toHubs > 0 && found.longest >= 2) chained++;
        if (found.toHubs > 0 && conditional) conditionalLegs++;
      }),
      { numRuns: 1000, seed: 18 },
    );
    expect(toHubs).toBeGreaterThan(500);
    expect(moreHubs).toBeGreaterThan(30);
    expect(chained).toBeGreaterThan(50);
    expect(conditionalLegs).toBeGreaterThan(100);
  }, 120_000);
});
