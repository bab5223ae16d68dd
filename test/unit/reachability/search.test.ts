import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HopGraph as ReachGraph,
  HopGraphBuilder as ReachGraphBuilder,
} from '../../../src/answers/hop-graph.js';
import { allRoutes, type RouteRow as ReachRow, RouteSearch } from '../../../src/answers/route-search.js';
import { HOP_TYPE_CODES, hopTypeCode, levelList, levelMask } from '../../../src/reachability/codes.js';

interface Hop {
  from: number;
  to: number;
  type: number;
  conditional: boolean;
}
interface Access {
  from: number;
  to: number;
  levels: number;
  conditional: boolean;
}
interface Fixture {
  principals: number;
  resources: number;
  hops: Hop[];
  access: Access[];
}

/** Principals are keys 0..p-1, resources p..p+r-1 (ids `p0`, `r0`, …). */
function build(f: Fixture): ReachGraph {
  const b = new ReachGraphBuilder();
  for (let i = 0; i < f.principals; i++)
    b.addNode({ key: i, id: `p${i}`, principal: true, resource: false, scope: null });
  for (let i = 0; i < f.resources; i++)
    b.addNode({ key: f.principals + i, id: `r${i}`, principal: false, resource: true, scope: `s${i % 2}` });
  for (const h of f.hops) b.addHop(h.from, h.to, h.type, h.conditional);
  for (const a of f.access) b.addAccess(a.from, a.to, a.levels, a.conditional);
  return b.build();
}

type Copy = Omit<ReachRow, 'via'> & { via: number[] };

function rows(graph: ReachGraph, maxHops: number, filter?: Uint8Array): Map<string, Copy> {
  const search = new RouteSearch(graph, allRoutes(maxHops), { resourceFilter: filter });
  const out = new Map<string, Copy>();
  for (let p = 0; p < graph.size; p++)
    search.fromPrincipal(p, (row) => {
      const key = `${graph.ids[row.principal]}>${graph.ids[row.resource]}`;
      expect(out.has(key)).toBe(false);
      out.set(key, { ...row, via: [...row.via] });
    });
  return out;
}

const DATA = levelMask(['read', 'write', 'permissions']);

/**
 * The definitions, computed the slow and obvious way: the nodes reachable by walks of exactly d
 * hop edges (all edges, and unconditional edges only), for d = 0..maxHops. The answer's routes
 * are those whose access grants a data level, when there is one, else all.
 */
function reference(f: Fixture, maxHops: number) {
  const expected = new Map<
    string,
    { hops: number; minHops: number; levels: number; allLevels: number; conditional: boolean }
  >();
  for (let p = 0; p < f.principals; p++) {
    const dist = new Map<number, number>();
    const cleanAt: Set<number>[] = [];
    let any = new Set([p]);
    let clean = new Set([p]);
    for (let d = 0; d <= maxHops; d++) {
      for (const x of any) if (!dist.has(x)) dist.set(x, d);
      cleanAt.push(clean);
      any = new Set(f.hops.filter((h) => any.has(h.from)).map((h) => h.to));
      const c = clean;
      clean = new Set(f.hops.filter((h) => c.has(h.from) && !h.conditional).map((h) => h.to));
    }
    for (let r = f.principals; r < f.principals + f.resources; r++) {
      const into = f.access.filter((a) => a.to === r && dist.has(a.from));
      if (into.length === 0) continue;
      const toData = into.filter((a) => (a.levels & DATA) !== 0);
      const answer = toData.length > 0 ? toData : into;
      const hops = Math.min(...answer.map((a) => dist.get(a.from) as number));
      const shortest = answer.filter((a) => dist.get(a.from) === hops);
      expected.set(`p${p}>r${r - f.principals}`, {
        hops,
        minHops: Math.min(...into.map((a) => dist.get(a.from) as number)),
        levels: shortest.reduce((m, a) => m | a.levels, 0),
        allLevels: into.reduce((m, a) => m | a.levels, 0),
        conditional: !shortest.some((a) => !a.conditional && cleanAt[hops]?.has(a.from)),
      });
    }
  }
  return expected;
}

/** The row's representative route exists: first hop, hop types in order, then a CAN_ACCESS edge. */
function routeExists(f: Fixture, graph: ReachGraph, row: Copy): boolean {
  const resource = row.resource;
  const onlyClean = !row.conditional;
  const accessOk = (x: number) =>
    f.access.some((a) => a.from === x && a.to === resource && (!onlyClean || !a.conditional));
  if (row.hops === 0) return graph.ids[row.firstHop] === graph.ids[resource] && accessOk(row.principal);
  let at = new Set(
    f.hops
      .filter(
        (h) =>
          h.from === row.principal &&
          h.to === row.firstHop &&
          h.type === row.via[0] &&
          (!onlyClean || !h.conditional),
      )
      .map((h) => h.to),
  );
  for (const type of row.via.slice(1)) {
    const from = at;
    at = new Set(
      f.hops
        .filter((h) => from.has(h.from) && h.type === type && (!onlyClean || !h.conditional))
        .map((h) => h.to),
    );
  }
  return [...at].some(accessOk);
}

const hop = (from: number, to: number, conditional = false, type = 0): Hop => ({
  from,
  to,
  type,
  conditional,
});
const access = (from: number, to: number, levels: string[], conditional = false): Access => ({
  from,
  to,
  levels: levelMask(levels),
  conditional,
});

describe('reachability search', () => {
  it('direct access is 0 hops with the resource as first hop', () => {
    const f = { principals: 1, resources: 1, hops: [], access: [access(0, 1, ['read'])] };
    const graph = build(f);
    const [row] = rows(graph, 6).values();
    expect(row).toMatchObject({ hops: 0, conditional: false, via: [] });
    expect(graph.ids[row?.firstHop as number]).toBe('r0');
    expect(levelList(row?.levels as number)).toEqual(['read']);
  });

  it('counts hop edges, names the first hop and the hop types of the route', () => {
    // p0 -CAN_ASSUME-> p1 -RUNS_AS-> p2 -CAN_ACCESS-> r0
    const f = {
      principals: 3,
      resources: 1,
      hops: [hop(0, 1, false, hopTypeCode('CAN_ASSUME')), hop(1, 2, false, hopTypeCode('RUNS_AS'))],
      access: [access(2, 3, ['write'])],
    };
    const graph = build(f);
    const row = rows(graph, 6).get('p0>r0');
    expect(row?.hops).toBe(2);
    expect(graph.ids[row?.firstHop as number]).toBe('p1');
    expect(row?.via.map((c) => HOP_TYPE_CODES[c])).toEqual(['CAN_ASSUME', 'RUNS_AS']);
    expect(rows(graph, 6).get('p1>r0')?.hops).toBe(1);
  });

  it('stops at maxHops', () => {
    const f = { principals: 3, resources: 1, hops: [hop(0, 1), hop(1, 2)], access: [access(2, 3, ['read'])] };
    expect(rows(build(f), 1).has('p0>r0')).toBe(false);
    expect(rows(build(f), 2).has('p0>r0')).toBe(true);
    expect(rows(build(f), 0).has('p2>r0')).toBe(true);
  });

  it('levels: the shortest routes only; allLevels: every route within the bound', () => {
    // p0 reads r0 directly and writes it through p1; p2 and p3 both sit one hop from p4.
    const f = {
      principals: 5,
      resources: 1,
      hops: [hop(0, 1), hop(4, 2), hop(4, 3)],
      access: [
        access(0, 5, ['read']),
        access(1, 5, ['write']),
        access(2, 5, ['list']),
        access(3, 5, ['tagging']),
      ],
    };
    const out = rows(build(f), 6);
    expect(levelList(out.get('p0>r0')?.levels as number)).toEqual(['read']);
    expect(levelList(out.get('p0>r0')?.allLevels as number)).toEqual(['read', 'write']);
    expect(levelList(out.get('p4>r0')?.levels as number)).toEqual(['list', 'tagging']);
  });

  it('a route to the data wins over a shorter one to metadata only; a question about metadata keeps the shorter', () => {
    // p0 describes the secret r0 itself (list) and assumes p1, which reads its value; p2 only lists
    // and tags, directly and through p3.
    const f = {
      principals: 4,
      resources: 1,
      hops: [hop(0, 1), hop(2, 3)],
      access: [
        access(0, 4, ['list']),
        access(1, 4, ['list', 'read']),
        access(2, 4, ['list']),
        access(3, 4, ['tagging']),
      ],
    };
    const graph = build(f);
    const out = rows(graph, 6);
    expect(out.get('p0>r0')).toMatchObject({ hops: 1, minHops: 0, conditional: false });
    expect(graph.ids[out.get('p0>r0')?.firstHop as number]).toBe('p1');
    expect(levelList(out.get('p0>r0')?.levels as number)).toEqual(['list', 'read']);
    expect(levelList(out.get('p0>r0')?.allLevels as number)).toEqual(['list', 'read']);
    // Metadata only: the shortest route, as before.
    expect(out.get('p2>r0')).toMatchObject({ hops: 0, minHops: 0 });
    expect(levelList(out.get('p2>r0')?.levels as number)).toEqual(['list']);
    // Who can list it: the direct route answers (list is what was asked for; the data is not).
    const listing = new RouteSearch(graph, { ...allRoutes(6), levels: levelMask(['list']) });
    const found: { hops: number; firstHop: string }[] = [];
    listing.fromPrincipal(0, (row) =>
      found.push({ hops: row.hops, firstHop: graph.ids[row.firstHop] as string }),
    );
    expect(found).toEqual([{ hops: 0, firstHop: 'r0' }]);
    // Out of bound, the data route is no answer and the metadata one is.
    expect(rows(graph, 0).get('p0>r0')).toMatchObject({ hops: 0, minHops: 0 });
  });

  it('conditional only when every shortest route has a conditional edge, and picks the clean route', () => {
    // Two 2-hop routes p0→p1→p3 (conditional hop) and p0→p2→p3 (clean); p4 has only a conditional access.
    const f = {
      principals: 5,
      resources: 2,
      hops: [hop(0, 1), hop(1, 3, true), hop(0, 2), hop(2, 3), hop(4, 0, true), hop(4, 3)],
      access: [access(3, 5, ['read']), access(4, 6, ['read'], true), access(3, 6, ['read'])],
    };
    const graph = build(f);
    const out = rows(graph, 6);
    expect(out.get('p0>r0')).toMatchObject({ hops: 2, conditional: false });
    expect(graph.ids[out.get('p0>r0')?.firstHop as number]).toBe('p2');
    // p4 → r1 directly but conditionally: a clean 1-hop route through p3 is longer, so still conditional.
    expect(out.get('p4>r1')).toMatchObject({ hops: 0, conditional: true });
    expect(out.get('p1>r0')).toMatchObject({ hops: 1, conditional: true });
  });

  it('summarizes only the resources the filter admits', () => {
    const f = {
      principals: 1,
      resources: 2,
      hops: [],
      access: [access(0, 1, ['read']), access(0, 2, ['read'])],
    };
    const graph = build(f);
    const filter = Uint8Array.from(graph.ids, (id) => (id === 'r1' ? 1 : 0));
    expect([...rows(graph, 6, filter).keys()]).toEqual(['p0>r1']);
  });

  it('drops edges whose endpoints are not principals (hops) or resources (access)', () => {
    const b = new ReachGraphBuilder();
    b.addNode({ key: 1, id: 'p', principal: true, resource: false, scope: null });
    b.addNode({ key: 2, id: 'r', principal: false, resource: true, scope: 'x' });
    b.addHop(1, 2, 0, false); // into a resource that is no principal
    b.addHop(1, 99, 0, false); // into an unknown node
    b.addAccess(2, 2, 1, false); // from a non-principal
    b.addAccess(1, 2, 1, false);
    expect(b.dropped).toBe(3);
    expect(b.hopCount).toBe(0);
    expect(b.accessCount).toBe(1);
  });

  it('a node that is principal and resource (a function) can be reached and can reach', () => {
    const b = new ReachGraphBuilder();
    b.addNode({ key: 1, id: 'user', principal: true, resource: false, scope: null });
    b.addNode({ key: 2, id: 'fn', principal: true, resource: false, scope: null });
    b.addNode({ key: 2, id: 'fn', principal: false, resource: true, scope: 'aws:1' });
    b.addAccess(1, 2, levelMask(['write']), false);
    b.addHop(1, 2, 0, false);
    const graph = b.build();
    expect(graph.scopes[1]).toBe('aws:1');
    const out = rows(graph, 6);
    expect(out.get('user>fn')).toMatchObject({ hops: 0 });
  });

  it('rejects a negative bound', () => {
    expect(
      () => new RouteSearch(build({ principals: 0, resources: 0, hops: [], access: [] }), allRoutes(-1)),
    ).toThrow(/maxHops/);
  });

  it('equals the definitions on random graphs', () => {
    const fixture = fc
      .record({ principals: fc.integer({ min: 1, max: 12 }), resources: fc.integer({ min: 1, max: 5 }) })
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
            }),
            { maxLength: 30 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.integer({ min: principals, max: principals + resources - 1 }),
              levels: fc.integer({ min: 1, max: 31 }),
              conditional: fc.boolean(),
            }),
            { maxLength: 15 },
          ),
        }),
      );
    fc.assert(
      fc.property(fixture, fc.integer({ min: 0, max: 6 }), (f, maxHops) => {
        const graph = build(f);
        const got = rows(graph, maxHops);
        const want = reference(f, maxHops);
        expect(new Set(got.keys())).toEqual(new Set(want.keys()));
        for (const [key, row] of got) {
          const { hops, minHops, levels, allLevels, conditional } = row;
          expect({ key, hops, minHops, levels, allLevels, conditional }).toEqual({ key, ...want.get(key) });
          expect(row.via).toHaveLength(hops);
          expect(routeExists(f, graph, row)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the rows of the bound one hop shorter from the same search, row for row', () => {
    const fixture = fc
      .record({ principals: fc.integer({ min: 1, max: 12 }), resources: fc.integer({ min: 1, max: 5 }) })
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
            }),
            { maxLength: 30 },
          ),
          access: fc.array(
            fc.record({
              from: fc.nat(principals - 1),
              to: fc.integer({ min: principals, max: principals + resources - 1 }),
              levels: fc.integer({ min: 1, max: 31 }),
              conditional: fc.boolean(),
            }),
            { maxLength: 15 },
          ),
        }),
      );
    fc.assert(
      fc.property(fixture, fc.integer({ min: 1, max: 6 }), (f, maxHops) => {
        const graph = build(f);
        const search = new RouteSearch(graph, allRoutes(maxHops));
        const alone = new RouteSearch(graph, allRoutes(maxHops - 1));
        for (let p = 0; p < f.principals; p++) {
          const full: Copy[] = [];
          const shorter: Copy[] = [];
          const want: Copy[] = [];
          search.fromPrincipal(
            p,
            (row) => full.push({ ...row, via: [...row.via], slots: [...row.slots] }),
            (row) => shorter.push({ ...row, via: [...row.via], slots: [...row.slots] }),
          );
          alone.fromPrincipal(p, (row) => want.push({ ...row, via: [...row.via], slots: [...row.slots] }));
          expect(shorter).toEqual(want);
          const plain: Copy[] = [];
          search.fromPrincipal(p, (row) => plain.push({ ...row, via: [...row.via], slots: [...row.slots] }));
          expect(full).toEqual(plain);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('picks the same routes whatever order the edges arrive in (a refresh of the same graph changes nothing)', () => {
    const fixture = fc.record({
      hops: fc.array(
        fc.record({
          from: fc.nat(7),
          to: fc.nat(7),
          type: fc.nat(HOP_TYPE_CODES.length - 1),
          conditional: fc.boolean(),
        }),
        { maxLength: 40 },
      ),
      access: fc.array(
        fc.record({
          from: fc.nat(7),
          to: fc.integer({ min: 8, max: 10 }),
          levels: fc.integer({ min: 1, max: 31 }),
          conditional: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
    });
    fc.assert(
      fc.property(fixture, (f) => {
        const forward = build({ principals: 8, resources: 3, ...f });
        const backward = build({
          principals: 8,
          resources: 3,
          hops: [...f.hops].reverse(),
          access: [...f.access].reverse(),
        });
        expect(rows(backward, 6)).toEqual(rows(forward, 6));
      }),
      { numRuns: 200 },
    );
  });
});
