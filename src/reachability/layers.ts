import { type HopGraph, hopTypeNameRank, RowCursor } from '../answers/hop-graph.js';
import { dataClass, levelStrength } from '../answers/route-rule.js';

/**
 * Summary rows composed layer by layer instead of searched. A principal whose hop edges enter
 * principals whose rows are composed too (the set closed under that rule: every principal of a
 * Kubernetes cluster or an AWS account, whose hop edges only ever enter principals) has, within a
 * bound of k hops, the rows its own ending edges and the rows of the principals it hops to within
 * k − 1 hops give (SummaryPlanner.composed states why, and how one answer is chosen among them).
 * So the rows of all of them are found together, bound after bound: within 0 hops a principal's
 * rows are its own ending edges; within k hops they change only where a principal it hops to
 * changed within k − 1, and only those changes are folded in (a semi-naive fixpoint). Nothing is
 * searched, and no principal's rows are found twice: a principal reaching a cluster admin takes its
 * rows from those it hops to instead of walking everything the cluster admin reaches once more.
 *
 * Folding is exact because every answer only improves as the bound grows: a longer bound adds
 * routes of its own length, so a principal's answer for a resource keeps its route unless a longer
 * route reaches the data where none did (data first, then length), its minimum hops never change
 * once found, and its union of levels over every route only grows. The answer over a set of
 * candidates is therefore the greatest by (data, fewer hops), with the levels and "some route
 * unconditional" of all candidates tied with it, and the route of the tied candidate that is
 * unconditional, then strongest, then first in the search's order (the hop's target, then its
 * type): a fold that does not depend on the order candidates come in, and to which a candidate that
 * got better may simply be added again.
 *
 * Conditional hops (trust with MFA or ExternalId conditions, conditional escalations, conditional
 * member or target legs of a hub). The search (route-search.ts) finds a route unconditional when an
 * unconditional route of the shortest length reaches its last principal (a second breadth-first
 * search over unconditional edges, among the nodes at that distance) and picks, among the answer's
 * routes, an unconditional one before any conditional one; the unconditional ones in the order of
 * their least unconditional prefix, the others in the order of their least prefix of any kind.
 * Through a conditional edge into Q every route is conditional, so what P takes through it is not
 * Q's chosen route but Q's best route with conditions ignored (strongest, then first by least
 * prefix): each answer keeps both, `a*` beside the chosen route, and folds the chosen one through an
 * unconditional edge (the first unconditional edge into Q, by type) and the `a*` one through any
 * edge (the first edge into Q, conditional or not). Per resource, P's unconditional routes are then
 * the unconditional ones of the Qi entered by an unconditional edge, first by Qi (a least
 * unconditional prefix enters the first such Qi with a shortest unconditional route) then by Qi's
 * order; and its best route ignoring conditions the best of the Qi's `a*` routes, first by Qi and
 * then by Qi's order, the same argument over prefixes of any kind. P's chosen route is the first
 * when there is one, else the second. A hop edge back into P itself (a role trusting the account and
 * allowed to assume every role, through a hub) is never on a route the search takes, and folding it
 * changes nothing: every route through it is longer than P's own answer.
 */

/** One principal's rows, compact. */
export interface Rows {
  resources: Int32Array;
  hops: Uint8Array;
  minHops: Uint8Array;
  levels: Uint8Array;
  allLevels: Uint8Array;
  conditional: Uint8Array;
  firstHop: Int32Array;
  via: Float64Array;
  /** The level strength of the chosen route's ending edge (route-rule.ts), for composing rows. */
  strength: Int8Array;
}

export const VIA_BASE = 8;

/**
 * A composed principal's (or a hop hub's) rows within the current bound, `n` of them: `choice` is
 * the principal the chosen route enters first (-1 for an ending edge of its own), `type` that hop's
 * type code.
 */
interface State {
  n: number;
  type: Uint8Array;
  res: Int32Array;
  hops: Uint8Array;
  minHops: Uint8Array;
  levels: Uint8Array;
  allLevels: Uint8Array;
  clean: Uint8Array;
  strength: Int8Array;
  choice: Int32Array;
  via: Float64Array;
  /**
   * The answer's best route ignoring whether it is conditional (level strength, first hop and its
   * type, via code): the chosen route where no answer route is unconditional, and what a principal
   * hopping in over a conditional edge takes (every route through that edge is conditional).
   */
  aStrength: Int8Array;
  aChoice: Int32Array;
  aType: Uint8Array;
  aVia: Float64Array;
}

function newState(n: number): State {
  return {
    n: 0,
    res: new Int32Array(n),
    hops: new Uint8Array(n),
    minHops: new Uint8Array(n),
    levels: new Uint8Array(n),
    allLevels: new Uint8Array(n),
    clean: new Uint8Array(n),
    strength: new Int8Array(n),
    choice: new Int32Array(n),
    type: new Uint8Array(n),
    via: new Float64Array(n),
    aStrength: new Int8Array(n),
    aChoice: new Int32Array(n),
    aType: new Uint8Array(n),
    aVia: new Float64Array(n),
  };
}

function grown(s: State, size: number): State {
  const t = newState(size);
  t.n = s.n;
  t.res.set(s.res.subarray(0, s.n));
  t.hops.set(s.hops.subarray(0, s.n));
  t.minHops.set(s.minHops.subarray(0, s.n));
  t.levels.set(s.levels.subarray(0, s.n));
  t.allLevels.set(s.allLevels.subarray(0, s.n));
  t.clean.set(s.clean.subarray(0, s.n));
  t.strength.set(s.strength.subarray(0, s.n));
  t.choice.set(s.choice.subarray(0, s.n));
  t.type.set(s.type.subarray(0, s.n));
  t.via.set(s.via.subarray(0, s.n));
  t.aStrength.set(s.aStrength.subarray(0, s.n));
  t.aChoice.set(s.aChoice.subarray(0, s.n));
  t.aType.set(s.aType.subarray(0, s.n));
  t.aVia.set(s.aVia.subarray(0, s.n));
  return t;
}

/** Changed or new rows of one round, by principal, before they are applied (columns). */
class Pending {
  size = 0;
  owner = new Int32Array(1024);
  res = new Int32Array(1024);
  slot = new Int32Array(1024);
  hops = new Uint8Array(1024);
  minHops = new Uint8Array(1024);
  levels = new Uint8Array(1024);
  allLevels = new Uint8Array(1024);
  clean = new Uint8Array(1024);
  strength = new Int8Array(1024);
  choice = new Int32Array(1024);
  type = new Uint8Array(1024);
  via = new Float64Array(1024);
  aStrength = new Int8Array(1024);
  aChoice = new Int32Array(1024);
  aType = new Uint8Array(1024);
  aVia = new Float64Array(1024);

  reserve(extra: number): void {
    if (this.size + extra <= this.res.length) return;
    const size = Math.max(2 * this.res.length, this.size + extra);
    const copy = <T extends Int32Array | Uint8Array | Int8Array | Float64Array>(a: T, b: T) => {
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.owner = copy(this.owner, new Int32Array(size));
    this.res = copy(this.res, new Int32Array(size));
    this.slot = copy(this.slot, new Int32Array(size));
    this.hops = copy(this.hops, new Uint8Array(size));
    this.minHops = copy(this.minHops, new Uint8Array(size));
    this.levels = copy(this.levels, new Uint8Array(size));
    this.allLevels = copy(this.allLevels, new Uint8Array(size));
    this.clean = copy(this.clean, new Uint8Array(size));
    this.strength = copy(this.strength, new Int8Array(size));
    this.choice = copy(this.choice, new Int32Array(size));
    this.type = copy(this.type, new Uint8Array(size));
    this.via = copy(this.via, new Float64Array(size));
    this.aStrength = copy(this.aStrength, new Int8Array(size));
    this.aChoice = copy(this.aChoice, new Int32Array(size));
    this.aType = copy(this.aType, new Uint8Array(size));
    this.aVia = copy(this.aVia, new Float64Array(size));
  }
}

export interface LayeredOptions {
  /** Only targets with a 1 here are answered, as the search's resourceFilter. */
  resourceFilter?: Uint8Array;
  /**
   * Called, once the rows within maxHops − 1 are known, for each composed principal this returns
   * true for: its rows within that bound (for a principal outside the set composing from it).
   */
  shorterWanted?: (p: number) => boolean;
  shorter?: (p: number, rows: Rows) => void;
  /**
   * Called once every bound is done, before the members' rows are read, for each hop hub with
   * members: its rows within maxHops (its targets' within maxHops − 1, one hop longer: what each
   * member takes through it). rows() already answers for members; the hub's rows go afterwards.
   */
  hubRows?: (h: number, rows: Rows) => void;
}

export class LayeredRows {
  /** 1 for a principal whose rows are composed here. */
  readonly member: Uint8Array;
  /** How many principals that is. */
  readonly count: number;
  private readonly states: (State | undefined)[];
  /** Per member, once every bound is done: its rows as the planner reads them. */
  private readonly final: (Rows | undefined)[];
  /** Candidate folds made, for the benchmarks. */
  folds = 0;
  rounds = 0;

  constructor(
    private readonly graph: HopGraph,
    private readonly maxHops: number,
  ) {
    const n = graph.size;
    const cursor = new RowCursor(graph, false);
    // Every principal whose hop edges enter principals: its ways.
    const offsets = new Int32Array(n + 1);
    const ways: number[] = [];
    const seen = new Int32Array(n).fill(-1);
    const member = new Uint8Array(n);
    for (let p = 0; p < n; p++) {
      offsets[p] = ways.length;
      if (!graph.isPrincipal[p]) continue;
      const start = ways.length;
      let ok = true;
      cursor.open(p);
      while (cursor.next()) {
        const q = graph.hopTargets[cursor.slot] as number;
        if (!graph.isPrincipal[q]) {
          ok = false;
          break;
        }
        // A hop back into itself (its own trust through a hub) is never on a route the search takes.
        if (q === p || seen[q] === p) continue;
        seen[q] = p;
        ways.push(q);
      }
      if (ok) member[p] = 1;
      else ways.length = start;
    }
    offsets[n] = ways.length;
    // The closed set: a principal hopping into one outside it goes too (to a fixpoint, by the
    // reversed ways).
    const inOffsets = new Int32Array(n + 1);
    for (const q of ways) inOffsets[q + 1] = (inOffsets[q + 1] as number) + 1;
    for (let i = 0; i < n; i++) inOffsets[i + 1] = (inOffsets[i + 1] as number) + (inOffsets[i] as number);
    const into = new Int32Array(ways.length);
    const next = inOffsets.slice(0, n);
    for (let p = 0; p < n; p++)
      for (let i = offsets[p] as number; i < (offsets[p + 1] as number); i++) {
        const q = ways[i] as number;
        into[next[q] as number] = p;
        next[q] = (next[q] as number) + 1;
      }
    const out: number[] = [];
    for (let p = 0; p < n; p++) if (graph.isPrincipal[p] && !member[p]) out.push(p);
    while (out.length > 0) {
      const q = out.pop() as number;
      for (let i = inOffsets[q] as number; i < (inOffsets[q + 1] as number); i++) {
        const p = into[i] as number;
        if (member[p]) {
          member[p] = 0;
          out.push(p);
        }
      }
    }
    let count = 0;
    for (let p = 0; p < n; p++) if (member[p]) count++;
    this.member = member;
    this.count = count;
    this.states = new Array(n);
    this.final = new Array(n);
  }

  /** Finds every member's rows within maxHops (once). */
  compute(options: LayeredOptions = {}): void {
    if (this.count === 0) return;
    this.run(options);
    const g = this.graph;
    if (options.hubRows)
      for (let h = g.hubStart; h < g.size; h++) {
        const s = this.states[h];
        if (!s) continue;
        options.hubRows(h, this.viewOf(s));
        this.states[h] = undefined;
      }
    // The rows as read from now on: the states' fold columns go.
    for (let p = 0; p < this.graph.size; p++) {
      if (!this.member[p]) continue;
      this.final[p] = this.view(p);
      this.states[p] = undefined;
    }
  }

  /** Member `p`'s rows within maxHops (after compute()). */
  rows(p: number): Rows {
    return this.final[p] ?? this.view(p);
  }

  /** Member `p`'s rows within the bound reached so far (fresh arrays over its state; firstHop resolved). */
  private view(p: number): Rows {
    return this.viewOf(this.states[p] as State);
  }

  private viewOf(s: State): Rows {
    const n = s.n;
    const firstHop = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = s.choice[i] as number;
      firstHop[i] = c < 0 ? (s.res[i] as number) : c;
    }
    return {
      resources: s.res.subarray(0, n),
      hops: s.hops.subarray(0, n),
      minHops: s.minHops.subarray(0, n),
      levels: s.levels.subarray(0, n),
      allLevels: s.allLevels.subarray(0, n),
      conditional: Uint8Array.from(s.clean.subarray(0, n), (c) => 1 - c),
      firstHop,
      via: s.via.subarray(0, n),
      strength: s.strength.subarray(0, n),
    };
  }

  /** Forgets every principal's rows. */
  release(): void {
    this.states.fill(undefined);
    this.final.fill(undefined);
  }

  private run(options: LayeredOptions): void {
    const g = this.graph;
    const n = g.size;
    const filter = options.resourceFilter;
    const { member, states } = this;
    const pow = Array.from({ length: 64 }, (_, h) => VIA_BASE ** h);
    const typeRank = Array.from({ length: 256 }, (_, code) => hopTypeNameRank(code));
    const ranks = g.ranks;
    // Each member's own hop edges, one per principal entered (its first type: the rows are in tie
    // order), and the hop hubs it is a member of; each of those hubs' target edges.
    const wayOffsets = new Int32Array(n + 1);
    const ways: number[] = [];
    // Per way: the type of the first edge into it (what a route through it takes) and of the first
    // unconditional one (what an unconditional route takes), -1 where every edge into it is conditional.
    const types: number[] = [];
    const cleanTypes: number[] = [];
    const hubs: number[] = [];
    // Per hub membership: 0 for an unconditional member leg, -1 for a conditional one.
    const hubLegs: number[] = [];
    const hubOffsets = new Int32Array(n + 1);
    const aggregated = new Uint8Array(n);
    for (let p = 0; p < n; p++) {
      wayOffsets[p] = ways.length;
      hubOffsets[p] = hubs.length;
      if (!member[p]) continue;
      for (let e = g.hopOffsets[p] as number; e < (g.hopOffsets[p + 1] as number); e++) {
        const q = g.hopTargets[e] as number;
        if (q === p) continue;
        const clean = g.hopConditional[e] === 0;
        const last = ways.length - 1;
        if (ways.length > (wayOffsets[p] as number) && ways[last] === q) {
          if (clean && cleanTypes[last] === -1) cleanTypes[last] = g.hopTypes[e] as number;
          continue;
        }
        ways.push(q);
        types.push(g.hopTypes[e] as number);
        cleanTypes.push(clean ? (g.hopTypes[e] as number) : -1);
      }
      for (let m = g.hopMemberOffsets[p] as number; m < (g.hopMemberOffsets[p + 1] as number); m++) {
        const h = g.hopMemberHubs[m] as number;
        if ((g.hopOffsets[h + 1] as number) === (g.hopOffsets[h] as number)) continue;
        hubs.push(h);
        hubLegs.push(g.hopMemberConditional[m] === 1 ? -1 : 0);
        aggregated[h] = 1;
      }
    }
    wayOffsets[n] = ways.length;
    hubOffsets[n] = hubs.length;
    // Within 0 hops: each member's own ending edges, in the search's order; a hub has none.
    const changed: (Int32Array | undefined)[] = new Array(n);
    const endings = new RowCursor(g, true);
    const at = new Int32Array(n).fill(-1);
    for (let p = 0; p < n; p++) {
      if (aggregated[p]) states[p] = newState(0);
      if (!member[p]) continue;
      const rs: number[] = [];
      // Per resource: levels, all levels, unconditional, the chosen edge's strength, the strongest.
      const values: number[] = [];
      endings.open(p);
      while (endings.next()) {
        const r = g.accessTargets[endings.slot] as number;
        if (filter && !filter[r]) continue;
        const lv = g.accessLevels[endings.slot] as number;
        const clean = endings.conditional ? 0 : 1;
        const strength = levelStrength(lv);
        let i = at[r] as number;
        if (i < 0) {
          i = rs.length;
          at[r] = i;
          rs.push(r);
          values.push(lv, lv, clean, strength, strength);
          continue;
        }
        // Another ending edge into r: levels of both (same length), data first, then unconditional, stronger.
        const k = 5 * i;
        values[k + 1] = (values[k + 1] as number) | lv;
        const data = dataClass(lv, 0);
        const had = dataClass(values[k] as number, 0);
        if (data > had) {
          values[k] = lv;
          values[k + 2] = clean;
          values[k + 3] = strength;
          values[k + 4] = strength;
        } else if (data === had) {
          values[k] = (values[k] as number) | lv;
          if (strength > (values[k + 4] as number)) values[k + 4] = strength;
          const wasClean = values[k + 2] as number;
          if (clean !== wasClean ? clean > wasClean : strength > (values[k + 3] as number)) {
            values[k + 2] = clean;
            values[k + 3] = strength;
          }
        }
      }
      for (const r of rs) at[r] = -1;
      const t = newState(rs.length);
      t.n = rs.length;
      for (let i = 0; i < rs.length; i++) {
        t.res[i] = rs[i] as number;
        t.levels[i] = values[5 * i] as number;
        t.allLevels[i] = values[5 * i + 1] as number;
        t.clean[i] = values[5 * i + 2] as number;
        t.strength[i] = values[5 * i + 3] as number;
        t.choice[i] = -1;
        t.aStrength[i] = values[5 * i + 4] as number;
        t.aChoice[i] = -1;
      }
      states[p] = t;
      if (t.n > 0) changed[p] = Int32Array.from({ length: t.n }, (_, i) => i);
    }
    if (this.maxHops === 1 && options.shorter) this.snapshot(options);

    // Per resource, the rows of the principal or hub being folded as they stand (slot) and as this
    // round folds them (w*).
    const stamp = new Int32Array(n);
    const slot = new Int32Array(n);
    const wStamp = new Int32Array(n);
    const wHas = new Uint8Array(n);
    const wData = new Uint8Array(n);
    const wHops = new Uint8Array(n);
    const wMin = new Uint8Array(n);
    const wLevels = new Uint8Array(n);
    const wAll = new Uint8Array(n);
    const wClean = new Uint8Array(n);
    const wStrength = new Int8Array(n);
    const wChoice = new Int32Array(n);
    const wType = new Uint8Array(n);
    const wVia = new Float64Array(n);
    const waStrength = new Int8Array(n);
    const waChoice = new Int32Array(n);
    const waType = new Uint8Array(n);
    const waVia = new Float64Array(n);
    let tick = 0;
    const touched: number[] = [];
    const pending = new Pending();
    let mine = states[0] as State;
    let t = 0;
    const open = (x: number) => {
      mine = states[x] as State;
      t = ++tick;
      for (let i = 0; i < mine.n; i++) {
        const r = mine.res[i] as number;
        stamp[r] = t;
        slot[r] = i;
      }
      touched.length = 0;
    };
    // Whether a route (level strength, first hop, its type) precedes another of the same length and
    // data class in the search's order, both conditional or both not: stronger, then the principal
    // entered first (stable id), then the type's name.
    const precedes = (strength: number, first: number, type: number, s0: number, f0: number, t0: number) =>
      strength !== s0
        ? strength > s0
        : first !== f0
          ? (ranks[first] as number) < (ranks[f0] as number)
          : (typeRank[type] as number) < (typeRank[t0] as number);
    // Folds entry j of `theirs` in: through a hop into `q` (shift 1) whose first edge has type
    // `anyType` and first unconditional edge `cleanType` (-1: none), or a hub's entry that already
    // holds that hop (shift 0: its own target and types; `cleanType` 0 for an unconditional member
    // leg, -1 for a conditional one). Through a conditional edge every route is conditional, so the
    // entry's best route ignoring that (a*) is what it gives; through an unconditional one its chosen
    // route too.
    const fold = (theirs: State, j: number, shift: number, q: number, anyType: number, cleanType: number) => {
      const r = theirs.res[j] as number;
      if (wStamp[r] !== t) {
        wStamp[r] = t;
        touched.push(r);
        if (stamp[r] === t) {
          const i = slot[r] as number;
          wHas[r] = 1;
          wHops[r] = mine.hops[i] as number;
          wMin[r] = mine.minHops[i] as number;
          wLevels[r] = mine.levels[i] as number;
          wData[r] = dataClass(wLevels[r] as number, 0);
          wAll[r] = mine.allLevels[i] as number;
          wClean[r] = mine.clean[i] as number;
          wStrength[r] = mine.strength[i] as number;
          wChoice[r] = mine.choice[i] as number;
          wType[r] = mine.type[i] as number;
          wVia[r] = mine.via[i] as number;
          waStrength[r] = mine.aStrength[i] as number;
          waChoice[r] = mine.aChoice[i] as number;
          waType[r] = mine.aType[i] as number;
          waVia[r] = mine.aVia[i] as number;
        } else wHas[r] = 0;
      }
      const h = theirs.hops[j] as number;
      const lv = theirs.levels[j] as number;
      const data = dataClass(lv, 0);
      const hops = h + shift;
      const clean = cleanType >= 0 ? (theirs.clean[j] as number) : 0;
      const aStrength = theirs.aStrength[j] as number;
      const strength = theirs.strength[j] as number;
      let aFirst = q;
      let aType = anyType;
      let aVia = theirs.aVia[j] as number;
      let first = q;
      let firstType = cleanType;
      let via = theirs.via[j] as number;
      if (shift === 1) {
        aVia += (anyType + 1) * (pow[h] as number);
        via += (cleanType + 1) * (pow[h] as number);
      } else {
        aFirst = theirs.aChoice[j] as number;
        aType = theirs.aType[j] as number;
        first = theirs.choice[j] as number;
        firstType = theirs.type[j] as number;
      }
      const minHops = (theirs.minHops[j] as number) + shift;
      if (!wHas[r]) {
        wMin[r] = minHops;
        wAll[r] = theirs.allLevels[j] as number;
      } else {
        if (minHops < (wMin[r] as number)) wMin[r] = minHops;
        wAll[r] = (wAll[r] as number) | (theirs.allLevels[j] as number);
      }
      if (!wHas[r] || data > (wData[r] as number) || (data === wData[r] && hops < (wHops[r] as number))) {
        wHas[r] = 1;
        wData[r] = data;
        wHops[r] = hops;
        wLevels[r] = lv;
        wClean[r] = clean;
        waStrength[r] = aStrength;
        waChoice[r] = aFirst;
        waType[r] = aType;
        waVia[r] = aVia;
        if (clean) {
          wStrength[r] = strength;
          wChoice[r] = first;
          wType[r] = firstType;
          wVia[r] = via;
        } else {
          wStrength[r] = aStrength;
          wChoice[r] = aFirst;
          wType[r] = aType;
          wVia[r] = aVia;
        }
      } else if (data === wData[r] && hops === wHops[r]) {
        wLevels[r] = (wLevels[r] as number) | lv;
        if (
          precedes(
            aStrength,
            aFirst,
            aType,
            waStrength[r] as number,
            waChoice[r] as number,
            waType[r] as number,
          )
        ) {
          waStrength[r] = aStrength;
          waChoice[r] = aFirst;
          waType[r] = aType;
          waVia[r] = aVia;
        }
        if (clean) {
          if (
            !wClean[r] ||
            precedes(
              strength,
              first,
              firstType,
              wStrength[r] as number,
              wChoice[r] as number,
              wType[r] as number,
            )
          ) {
            wClean[r] = 1;
            wStrength[r] = strength;
            wChoice[r] = first;
            wType[r] = firstType;
            wVia[r] = via;
          }
        } else if (!wClean[r]) {
          // No unconditional route: the chosen route is the best of all.
          wStrength[r] = waStrength[r] as number;
          wChoice[r] = waChoice[r] as number;
          wType[r] = waType[r] as number;
          wVia[r] = waVia[r] as number;
        }
      }
    };
    // The folded rows that differ from the principal's or hub's, to apply once the round is done.
    const settle = (x: number): boolean => {
      pending.reserve(touched.length);
      let any = false;
      for (const r of touched) {
        const i = stamp[r] === t ? (slot[r] as number) : -1;
        if (
          i >= 0 &&
          mine.hops[i] === wHops[r] &&
          mine.minHops[i] === wMin[r] &&
          mine.levels[i] === wLevels[r] &&
          mine.allLevels[i] === wAll[r] &&
          mine.clean[i] === wClean[r] &&
          mine.strength[i] === wStrength[r] &&
          mine.choice[i] === wChoice[r] &&
          mine.type[i] === wType[r] &&
          mine.via[i] === wVia[r] &&
          mine.aStrength[i] === waStrength[r] &&
          mine.aChoice[i] === waChoice[r] &&
          mine.aType[i] === waType[r] &&
          mine.aVia[i] === waVia[r]
        )
          continue;
        const e = pending.size++;
        pending.owner[e] = x;
        pending.res[e] = r;
        pending.slot[e] = i;
        pending.hops[e] = wHops[r] as number;
        pending.minHops[e] = wMin[r] as number;
        pending.levels[e] = wLevels[r] as number;
        pending.allLevels[e] = wAll[r] as number;
        pending.clean[e] = wClean[r] as number;
        pending.strength[e] = wStrength[r] as number;
        pending.choice[e] = wChoice[r] as number;
        pending.type[e] = wType[r] as number;
        pending.via[e] = wVia[r] as number;
        pending.aStrength[e] = waStrength[r] as number;
        pending.aChoice[e] = waChoice[r] as number;
        pending.aType[e] = waType[r] as number;
        pending.aVia[e] = waVia[r] as number;
        any = true;
      }
      return any;
    };
    // Applies the pending rows: each owner's rows within this bound; `into` gets what changed.
    const apply = (into: (Int32Array | undefined)[]) => {
      for (let e = 0; e < pending.size; ) {
        const p = pending.owner[e] as number;
        let end = e;
        let added = 0;
        while (end < pending.size && pending.owner[end] === p) {
          if ((pending.slot[end] as number) < 0) added++;
          end++;
        }
        let s = states[p] as State;
        if (added > 0) {
          s = grown(s, s.n + added);
          states[p] = s;
        }
        const list = new Int32Array(end - e);
        for (let x = e; x < end; x++) {
          let i = pending.slot[x] as number;
          if (i < 0) {
            i = s.n++;
            s.res[i] = pending.res[x] as number;
          }
          s.hops[i] = pending.hops[x] as number;
          s.minHops[i] = pending.minHops[x] as number;
          s.levels[i] = pending.levels[x] as number;
          s.allLevels[i] = pending.allLevels[x] as number;
          s.clean[i] = pending.clean[x] as number;
          s.strength[i] = pending.strength[x] as number;
          s.choice[i] = pending.choice[x] as number;
          s.type[i] = pending.type[x] as number;
          s.via[i] = pending.via[x] as number;
          s.aStrength[i] = pending.aStrength[x] as number;
          s.aChoice[i] = pending.aChoice[x] as number;
          s.aType[i] = pending.aType[x] as number;
          s.aVia[i] = pending.aVia[x] as number;
          list[x - e] = i;
        }
        into[p] = list;
        e = end;
      }
      pending.size = 0;
    };
    for (let k = 1; k <= this.maxHops; k++) {
      this.rounds = k;
      let any = false;
      // The hubs within k hops (their targets' rows within k − 1, one hop longer), applied at once:
      // their members read them in this round.
      for (let h = g.hubStart; h < n; h++) {
        if (!aggregated[h]) continue;
        changed[h] = undefined;
        let moved = false;
        for (let e = g.hopOffsets[h] as number; e < (g.hopOffsets[h + 1] as number) && !moved; e++)
          if (changed[g.hopTargets[e] as number]) moved = true;
        if (!moved) continue;
        open(h);
        for (let e = g.hopOffsets[h] as number; e < (g.hopOffsets[h + 1] as number); e++) {
          const q = g.hopTargets[e] as number;
          const list = changed[q];
          if (!list) continue;
          const theirs = states[q] as State;
          const type = g.hopTypes[e] as number;
          const cleanType = g.hopConditional[e] === 1 ? -1 : type;
          this.folds += list.length;
          for (let x = 0; x < list.length; x++) fold(theirs, list[x] as number, 1, q, type, cleanType);
        }
        settle(h);
      }
      apply(changed);
      const now: (Int32Array | undefined)[] = new Array(n);
      for (let p = 0; p < n; p++) {
        if (!member[p]) continue;
        const from = wayOffsets[p] as number;
        const to = wayOffsets[p + 1] as number;
        const hubFrom = hubOffsets[p] as number;
        const hubTo = hubOffsets[p + 1] as number;
        let moved = false;
        for (let w = from; w < to && !moved; w++) if (changed[ways[w] as number]) moved = true;
        for (let m = hubFrom; m < hubTo && !moved; m++) if (changed[hubs[m] as number]) moved = true;
        if (!moved) continue;
        open(p);
        for (let w = from; w < to; w++) {
          const q = ways[w] as number;
          const list = changed[q];
          if (!list) continue;
          const theirs = states[q] as State;
          const type = types[w] as number;
          const cleanType = cleanTypes[w] as number;
          this.folds += list.length;
          for (let x = 0; x < list.length; x++) fold(theirs, list[x] as number, 1, q, type, cleanType);
        }
        for (let m = hubFrom; m < hubTo; m++) {
          const h = hubs[m] as number;
          const list = changed[h];
          if (!list) continue;
          const theirs = states[h] as State;
          const leg = hubLegs[m] as number;
          this.folds += list.length;
          for (let x = 0; x < list.length; x++) fold(theirs, list[x] as number, 0, -1, 0, leg);
        }
        if (settle(p)) any = true;
      }
      apply(now);
      for (let p = 0; p < g.hubStart; p++) if (member[p]) changed[p] = now[p];
      if (k === this.maxHops - 1 && options.shorter) this.snapshot(options);
      if (!any) {
        // Nothing changed within k hops: no longer bound changes anything either.
        if (k < this.maxHops - 1 && options.shorter) this.snapshot(options);
        break;
      }
    }
    if (!options.hubRows) for (let h = g.hubStart; h < n; h++) states[h] = undefined;
  }

  private snapshot(options: LayeredOptions): void {
    const wanted = options.shorterWanted;
    const take = options.shorter as (p: number, rows: Rows) => void;
    for (let p = 0; p < this.graph.size; p++) {
      if (!this.member[p] || (wanted && !wanted(p))) continue;
      const r = this.view(p);
      // Copies: the state goes on changing.
      take(p, {
        resources: r.resources.slice(),
        hops: r.hops.slice(),
        minHops: r.minHops.slice(),
        levels: r.levels.slice(),
        allLevels: r.allLevels.slice(),
        conditional: r.conditional,
        firstHop: r.firstHop,
        via: r.via.slice(),
        strength: r.strength.slice(),
      });
    }
  }
}
