import { describe, expect, it } from 'vitest';
import { HopGraphBuilder as ReachGraphBuilder } from '../../../src/answers/hop-graph.js';
import type { RouteRow } from '../../../src/answers/route-search.js';
import { levelMask } from '../../../src/reachability/codes.js';
import { ExistingRowsBuilder, RowDigest, RowMatcher } from '../../../src/reachability/existing.js';

// Keys: principals 1, 2; resources 10, 11, 12 (12 in scope "b").
function graph() {
  const b = new ReachGraphBuilder();
  for (const key of [1, 2]) b.addNode({ key, id: `p${key}`, principal: true, resource: false, scope: null });
  for (const key of [10, 11]) b.addNode({ key, id: `r${key}`, principal: false, resource: true, scope: 'a' });
  b.addNode({ key: 12, id: 'r12', principal: false, resource: true, scope: 'b' });
  return { builder: b, graph: b.build() };
}

const row = (principal: number, resource: number, over: Partial<RouteRow> = {}): RouteRow => ({
  principal,
  resource,
  hops: 0,
  minHops: 0,
  levels: levelMask(['read']),
  allLevels: levelMask(['read']),
  conditional: false,
  firstHop: resource,
  via: [],
  slots: [],
  access: -1,
  ...over,
});

describe('matching summary rows with the rows already in the graph', () => {
  it('creates new pairs, rewrites changed ones, only stamps unchanged ones, and names the stale ones', () => {
    const { builder, graph: g } = graph();
    const digest = new RowDigest(g, 6);
    const index = (key: number) => builder.indexOf(key) as number;
    const kept = row(index(1), index(10));
    const changed = row(index(1), index(11));
    const old = new ExistingRowsBuilder((k) => builder.indexOf(k));
    old.add(1, 10, 100, digest.of(kept));
    old.add(1, 11, 101, digest.of(changed));
    old.add(2, 12, 102, 0); // nothing confirms it
    old.add(2, 999, 103, 0); // into a node that is no longer a resource
    old.add(77, 10, 104, 0); // from a node that is no longer a principal
    const matcher = new RowMatcher(old.build(g.size), g.size);
    expect(old.dropped).toBe(1);

    expect(matcher.match(kept, digest.of(kept))).toEqual({ kind: 'unchanged', relationship: 100 });
    const moved = { ...changed, levels: levelMask(['read', 'write']) };
    expect(matcher.match(moved, digest.of(moved))).toEqual({ kind: 'update', relationship: 101 });
    const fresh = row(index(2), index(10));
    expect(matcher.match(fresh, digest.of(fresh))).toEqual({ kind: 'create' });
    expect(matcher.stale().sort()).toEqual([102, 103]);

    // Restricted to scope "a": the scope-b row and the row into a non-resource are not this computation's.
    const inA = Uint8Array.from(g.scopes, (s) => (s === 'a' ? 1 : 0));
    expect(matcher.stale(inA)).toEqual([]);
  });

  it('the digest changes with every summarized property', () => {
    const { builder, graph: g } = graph();
    const p = builder.indexOf(1) as number;
    const r = builder.indexOf(10) as number;
    const base = row(p, r);
    const digest = new RowDigest(g, 6);
    const variants: Partial<RouteRow>[] = [
      { hops: 1, via: [0] },
      { levels: levelMask(['write']) },
      { allLevels: levelMask(['read', 'write']) },
      { conditional: true },
      { firstHop: builder.indexOf(2) as number },
      { via: [1] },
    ];
    const digests = new Set([digest.of(base), ...variants.map((v) => digest.of({ ...base, ...v }))]);
    expect(digests.size).toBe(variants.length + 1);
    expect(new RowDigest(g, 5).of(base)).not.toBe(digest.of(base));
  });
});
