import type { HopGraph } from '../answers/hop-graph.js';
import type { RouteRow, RouteSearch } from '../answers/route-search.js';
import { hashString } from './existing.js';

/**
 * Delegations (REACHES_AS): a principal whose summary rows are exactly those of a principal it hops
 * to, each one hop longer with that hop first, stores one edge instead of copying every row. A pod
 * or workload that reaches anything only through RUNS_AS its service account is the common case: in
 * a cluster the pods outnumber their accounts many times over, and each copied its account's rows.
 *
 * Nothing is assumed about why the rows agree: each candidate is checked row by row against the
 * route search's own answers (the hop bound, the route rule's tie order and the levels over every
 * route within the bound included), so the expansion in cypher/reachability/summary-rows.cypher
 * gives back exactly the rows the principal would have had. A delegate keeps rows of its own (no
 * chains), which is what lets one fixed-length pattern read the summary.
 */

/** Hop targets tried per principal: the cases that pay have one or two ways out. */
const MAX_CANDIDATES = 4;

export interface Delegations {
  /** Per node: the principal it delegates to, or -1. */
  readonly delegate: Int32Array;
  /** Per node: the delegating hop's type code plus one (the via digit) and its conditional flag. */
  readonly viaDigit: Uint8Array;
  readonly conditional: Uint8Array;
  /** Per node: how many rows its delegation stands for. */
  readonly rows: Int32Array;
  count: number;
  /** Rows the delegations stand for, in all. */
  delegatedRows: number;
}

/** One principal's rows, compact, to compare the principals hopping to it with. */
interface Rows {
  resources: Int32Array;
  hops: Int32Array;
  minHops: Int32Array;
  levels: Uint8Array;
  allLevels: Uint8Array;
  conditional: Uint8Array;
  via: Float64Array;
}

const VIA_BASE = 8;

export function findDelegations(graph: HopGraph, search: RouteSearch): Delegations {
  const n = graph.size;
  const chosen = new Int32Array(n).fill(-1);
  const digit = new Uint8Array(n);
  const cond = new Uint8Array(n);
  const counts = new Int32Array(n);
  const isDelegate = new Uint8Array(n);
  // This principal's rows by resource (valid where stamp = round).
  const stamp = new Int32Array(n);
  const hops = new Int32Array(n);
  const minHops = new Int32Array(n);
  const levels = new Uint8Array(n);
  const allLevels = new Uint8Array(n);
  const conditional = new Uint8Array(n);
  const firstHop = new Int32Array(n);
  const via = new Float64Array(n);
  const cache = new Map<number, Rows>();
  const rowsOf = (q: number): Rows => {
    let rows = cache.get(q);
    if (rows) return rows;
    const list: RouteRow[] = [];
    search.fromPrincipal(q, (row) => list.push({ ...row, via: row.via }));
    rows = {
      resources: Int32Array.from(list, (r) => r.resource),
      hops: Int32Array.from(list, (r) => r.hops),
      minHops: Int32Array.from(list, (r) => r.minHops),
      levels: Uint8Array.from(list, (r) => r.levels),
      allLevels: Uint8Array.from(list, (r) => r.allLevels),
      conditional: Uint8Array.from(list, (r) => (r.conditional ? 1 : 0)),
      via: Float64Array.from(list, (r) => viaValue(r.via)),
    };
    cache.set(q, rows);
    return rows;
  };

  let round = 0;
  for (let p = 0; p < graph.size; p++) {
    if (!graph.isPrincipal[p]) continue;
    const candidates = hopTargets(graph, p);
    if (candidates.length === 0 || candidates.length > 3 * MAX_CANDIDATES) continue;
    round++;
    let count = 0;
    search.fromPrincipal(p, (row) => {
      const r = row.resource;
      stamp[r] = round;
      hops[r] = row.hops;
      minHops[r] = row.minHops;
      levels[r] = row.levels;
      allLevels[r] = row.allLevels;
      conditional[r] = row.conditional ? 1 : 0;
      firstHop[r] = row.firstHop;
      via[r] = viaValue(row.via);
      count++;
    });
    // One edge for one row saves nothing.
    if (count < 2) continue;
    for (let c = 0; c < candidates.length; c += 3) {
      const q = candidates[c] as number;
      const typeDigit = (candidates[c + 1] as number) + 1;
      const hopConditional = candidates[c + 2] as number;
      const theirs = rowsOf(q);
      if (theirs.resources.length !== count) continue;
      let same = true;
      for (let i = 0; i < count && same; i++) {
        const r = theirs.resources[i] as number;
        const h = theirs.hops[i] as number;
        same =
          stamp[r] === round &&
          hops[r] === h + 1 &&
          minHops[r] === (theirs.minHops[i] as number) + 1 &&
          levels[r] === theirs.levels[i] &&
          allLevels[r] === theirs.allLevels[i] &&
          conditional[r] === ((theirs.conditional[i] as number) | hopConditional) &&
          firstHop[r] === q &&
          via[r] === typeDigit * VIA_BASE ** h + (theirs.via[i] as number);
      }
      if (!same) continue;
      chosen[p] = q;
      digit[p] = typeDigit;
      cond[p] = hopConditional;
      counts[p] = count;
      isDelegate[q] = 1;
      break;
    }
  }
  // No chains: a principal another one delegates to keeps its rows.
  const delegations: Delegations = {
    delegate: chosen,
    viaDigit: digit,
    conditional: cond,
    rows: counts,
    count: 0,
    delegatedRows: 0,
  };
  for (let p = 0; p < n; p++) {
    if (chosen[p] === -1) continue;
    if (isDelegate[p]) {
      chosen[p] = -1;
      continue;
    }
    delegations.count++;
    delegations.delegatedRows += counts[p] as number;
  }
  return delegations;
}

/** The via code of a route's hop type codes (codes.ts encodeVia), as the rows store it. */
function viaValue(codes: readonly number[]): number {
  let value = 0;
  for (const code of codes) value = value * VIA_BASE + code + 1;
  return value;
}

/**
 * The principals `p` hops to, as (target, type code, conditional) triples: its own hop edges and the
 * pair edges of the hubs it is a member of (conditional if either leg is), at most MAX_CANDIDATES
 * (more are returned as they come, so that the caller can tell there are too many).
 */
function hopTargets(graph: HopGraph, p: number): number[] {
  const out: number[] = [];
  const add = (e: number, memberConditional: number) => {
    const q = graph.hopTargets[e] as number;
    if (q !== p && graph.isPrincipal[q])
      out.push(q, graph.hopTypes[e] as number, memberConditional | (graph.hopConditional[e] as number));
  };
  for (let e = graph.hopOffsets[p] as number; e < (graph.hopOffsets[p + 1] as number); e++) {
    add(e, 0);
    if (out.length > 3 * MAX_CANDIDATES) return out;
  }
  for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++) {
    const hub = graph.hopMemberHubs[m] as number;
    const legConditional = graph.hopMemberConditional[m] as number;
    for (let e = graph.hopOffsets[hub] as number; e < (graph.hopOffsets[hub + 1] as number); e++) {
      add(e, legConditional);
      if (out.length > 3 * MAX_CANDIDATES) return out;
    }
  }
  return out;
}

/** FNV-1a over what a delegation edge stores (its target's id included). */
export function delegationDigest(targetId: string, viaDigit: number, conditional: number, maxHops: number) {
  let h = 0x811c9dc5 | 0;
  for (const n of [hashString(targetId), viaDigit, conditional, maxHops])
    h = Math.imul(h ^ (n | 0), 0x01000193);
  return h | 0;
}
