import { type HopGraph, RowCursor } from '../answers/hop-graph.js';
import { dataClass, levelStrength } from '../answers/route-rule.js';
import type { RouteRow, RouteSearch } from '../answers/route-search.js';
import { hashString } from './existing.js';
import { LayeredRows, type Rows, VIA_BASE } from './layers.js';

/**
 * Delegations (REACHES_AS): a principal whose summary rows are, for most resources, those of a
 * principal it hops to, each one hop longer with that hop first, stores one edge instead of copying
 * those rows, and keeps rows of its own only where its answer differs (a shorter route, other
 * levels, a resource the delegate does not reach). Read per resource: a delegated row stands for a
 * resource only when the principal has no REACHES row of its own into it. A pod or workload that
 * reaches anything only through RUNS_AS its service account copies every row; a node reaches
 * almost everything through the account of the DaemonSet every node runs and the rest, shorter,
 * through its own pods, so it keeps those few rows.
 *
 * A delegation may also take the same rows, not one hop longer (via digit 0): the principals
 * holding one right to a set of targets (a hop hub: every account that may create privileged pods
 * reaches every node) mostly answer the same way, so each may delegate to the member whose rows
 * stand for the hub's (standFor()), and keep its own rows where it differs.
 *
 * A principal may also delegate, with the same rows, to a CAN_ACCESS Grant hub it is a member of:
 * the hub's rows are its targets, each reached directly (no hop) with the levels of the hub's legs,
 * which is what every member reaches through that one right (every bucket through s3:* on `*`). On
 * an AWS account no member stands for a CAN_ACCESS hub's rows (each has grants of its own, and a
 * delegate must reach nothing its principal does not), so the rows they reach through the hub would
 * be stored once per member. Such rows are stored once, on the Grant node
 * (REACHES from the Grant), for the members delegating to it, conditional when the member's leg is
 * (the delegation's flag); a hub delegates nowhere, so a delegation to one may stand for fewer than
 * half of its principal's rows, and a hub's rows are stored only where its delegators' rows it
 * stands for outnumber them (finish()). A principal delegating to such a hub may delegate to its
 * other CAN_ACCESS hubs too (moreHubs()), where no two of its delegates reach one resource (one
 * statement for every bucket, another for every table): per resource at most one path of the
 * fragment then answers, so the expansion stays one row per resource.
 *
 * A delegate may itself delegate (chains of at most MAX_DELEGATION_DEPTH: a DaemonSet pod delegates
 * to its node, which delegates to that DaemonSet's account; a pod to its account, the account to a
 * pod it may exec into, that pod to its account, and that account to the one whose rows stand for
 * every node's), which is what lets one bounded pattern
 * (cypher/reachability/summary-rows.cypher, `REACHES_AS*0..4`) read the summary. Nothing is assumed
 * about why the rows agree: each candidate is compared row by row with the route search's own
 * answers (the hop bound, the route rule's tie order and the levels over every route within the
 * bound included), so the expansion gives back exactly the rows the principal would have had. A
 * delegate's expanded rows are its true rows, so a principal is compared with its delegate's true
 * rows whatever the delegate stores.
 *
 * Each principal is searched once: the rows found while choosing are the rows written (only a
 * delegation given up at the end, to keep chains within their bound, searches its principal again), and a
 * principal whose hop edges enter principals, conditional ones included, is not searched at all:
 * its rows are composed in layers from theirs (layers.ts; on a Kubernetes cluster or an AWS account
 * every principal), or else from theirs within a shorter bound (SummaryPlanner.composed).
 */

/** Hop targets tried per principal, as (target, type, conditional) triples: a node has one per pod. */
const MAX_CANDIDATES = 128;
/** At most this many principals a principal hops to for its rows to be composed from theirs. */
const MAX_COMPOSED_WAYS = 256;
/**
 * A candidate's type for a principal whose rows are compared as they are, not one hop longer: its
 * delegation's via digit is 0 (no hop), and the expansion takes the delegate's rows unchanged.
 */
const SAME_ROWS = -1;
/** Hop hubs' members (CSR by hub) and, per hub, the member standing for its rows (or -1). */
interface SharedRows {
  layers: LayeredRows;
  offsets: Int32Array;
  members: Int32Array;
  standing: Int32Array;
}
/** Chains of at most this many delegations: the expansion's bound. */
export const MAX_DELEGATION_DEPTH = 4;

export interface Delegations {
  /** Per node: the principal it delegates to, or -1. */
  readonly delegate: Int32Array;
  /** Per node: the delegating hop's type code plus one (the via digit) and its conditional flag. */
  readonly viaDigit: Uint8Array;
  readonly conditional: Uint8Array;
  /** Per node: how many rows its delegation stands for (its rows that are not its own). */
  readonly rows: Int32Array;
  count: number;
  /** Rows the delegations stand for, in all. */
  delegatedRows: number;
  /** Rows the delegating principals keep of their own, where they differ from their delegate's. */
  ownRows: number;
  /** REACHES rows stored on CAN_ACCESS hubs (Grant nodes) for the principals delegating to them. */
  hubRows: number;
  /**
   * Per principal delegating to a CAN_ACCESS hub: its delegations to other such hubs (the same
   * rows), as (hub, conditional, rows) triples; no two of its delegates reach one resource.
   */
  more: ReadonlyMap<number, readonly number[]>;
}

/** One summary row as the writer takes it (a route row without the route's slots). */
export type SummaryRow = Omit<RouteRow, 'slots' | 'access'>;

/** Time spent, for the benchmarks (monotonic milliseconds). */
export interface PlanTimings {
  /** In the route search. */
  searchMs: number;
  /** Comparing rows with candidates' and choosing. */
  chooseMs: number;
  /** Principals whose rows were composed from the principals they hop to instead of searched. */
  through: number;
  /** Composing rows in layers (layers.ts), before the first principal is planned. */
  composeMs: number;
  /** Principals whose rows were composed in layers (among `through`), and the candidate rows folded. */
  layered: number;
  folds: number;
}

/**
 * Plans the summary one principal at a time, in increasing index order, then the delegations:
 * `principal(p, emit)` emits the REACHES rows `p` stores (all of them, or only its own ones beside
 * a delegation); `finish(emit)` settles the chains and emits the rows of the delegations it gives
 * up. Without delegation every row is emitted. Rows of one principal come together, except the
 * rows `finish` emits for a delegation it gives up, which come later and never repeat one.
 */
export class SummaryPlanner {
  readonly timings: PlanTimings = {
    searchMs: 0,
    chooseMs: 0,
    through: 0,
    composeMs: 0,
    layered: 0,
    folds: 0,
  };
  /** The principals whose rows are composed in layers, and their rows, until finish(). */
  private layers: LayeredRows | undefined;
  private readonly n: number;
  private readonly chosen: Int32Array;
  private readonly digit: Uint8Array;
  private readonly cond: Uint8Array;
  private readonly counts: Int32Array;
  /** Per delegating principal: the resources of the rows it keeps of its own. */
  private readonly own = new Map<number, Int32Array>();
  /**
   * Per principal delegating to a CAN_ACCESS hub: its delegations to other such hubs, reaching
   * resources none of its delegates reach, as (hub, conditional, rows) triples (moreHubs()).
   */
  private readonly extras = new Map<number, number[]>();
  private readonly takenStamp: Int32Array;
  private takenRound = 0;
  /** Candidates per principal (CSR triples), and how many principals not yet planned try each. */
  private readonly candidateOffsets: Int32Array;
  private candidates: Int32Array = new Int32Array(0);
  private readonly refs: Int32Array;
  private readonly done: Uint8Array;
  private readonly cache = new Map<number, Rows>();
  /**
   * Per principal whose rows could be composed (composeWays): the principals its hop edges enter, in
   * the search's order, with the type code of the first edge into each (CSR).
   */
  private readonly wayOffsets: Int32Array;
  /** 1 for a principal whose rows are composed (composed()). */
  private readonly composes: Uint8Array;
  private readonly ways: Int32Array;
  private readonly wayTypes: Uint8Array;
  /** Rows within the shorter bound, kept while principals not planned yet take them. */
  private readonly shorterCache = new Map<number, Rows>();
  private readonly shorterRefs: Int32Array;
  // Composing: each resource's slot in the composed rows (valid where composeStamp = composeRound).
  private readonly composeStamp: Int32Array;
  private readonly composeSlot: Int32Array;
  private composeRound = 0;
  private readonly endings: RowCursor;
  // The current principal's rows by resource (valid where stamp = round).
  private readonly stamp: Int32Array;
  private readonly slot: Int32Array;
  private readonly matchedRound: Int32Array;
  private round = 0;
  private matchRound = 0;
  private readonly row: SummaryRow = {
    principal: 0,
    resource: 0,
    hops: 0,
    minHops: 0,
    levels: 0,
    allLevels: 0,
    conditional: false,
    firstHop: 0,
    via: [],
  };

  /**
   * `shorter`: the same search with a bound one hop shorter; with it, a principal whose hop edges
   * are all unconditional and enter principals (most pods: RUNS_AS their account) has its rows
   * composed from theirs within the shorter bound instead of a search of its own (composed()).
   */
  constructor(
    private readonly graph: HopGraph,
    private readonly search: RouteSearch,
    private readonly delegation: boolean,
    private readonly shorter?: RouteSearch,
    layered = true,
  ) {
    const n = graph.size;
    const layers = layered ? new LayeredRows(graph, search.maxHops) : undefined;
    this.layers = layers;
    this.n = n;
    this.chosen = new Int32Array(n).fill(-1);
    this.digit = new Uint8Array(n);
    this.cond = new Uint8Array(n);
    this.counts = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.slot = new Int32Array(n);
    this.matchedRound = new Int32Array(n);
    this.takenStamp = new Int32Array(n);
    this.done = new Uint8Array(n);
    this.refs = new Int32Array(n);
    this.candidateOffsets = new Int32Array(n + 1);
    this.shorterRefs = new Int32Array(n);
    this.composeStamp = new Int32Array(n);
    this.composeSlot = new Int32Array(n);
    this.endings = new RowCursor(graph, true);
    const offsets = new Int32Array(n + 1).fill(0);
    const ways: number[] = [];
    const types: number[] = [];
    this.composes = new Uint8Array(n);
    if (shorter) {
      const cursor = new RowCursor(graph, false);
      for (let p = 0; p < n; p++) {
        const start = ways.length;
        offsets[p] = start;
        if (graph.isPrincipal[p] && !composeWays(graph, cursor, p, ways, types)) {
          ways.length = start;
          types.length = start;
        }
      }
      offsets[n] = ways.length;
      // A principal composed from another composed one would need that one's rows within the
      // shorter bound, a search of its own: none is composed from another, and the principals with
      // the fewest ways out (the most numerous: pods, workloads) are chosen first.
      const order: number[] = [];
      for (let p = 0; p < n; p++) if ((offsets[p + 1] as number) > (offsets[p] as number)) order.push(p);
      const size = (p: number) => (offsets[p + 1] as number) - (offsets[p] as number);
      order.sort((a, b) => size(a) - size(b) || a - b);
      const taken = new Uint8Array(n);
      for (const p of order) {
        if (taken[p] || layers?.member[p]) continue;
        let free = true;
        for (let i = offsets[p] as number; free && i < (offsets[p + 1] as number); i++)
          if (this.composes[ways[i] as number]) free = false;
        if (!free) continue;
        this.composes[p] = 1;
        for (let i = offsets[p] as number; i < (offsets[p + 1] as number); i++) {
          const q = ways[i] as number;
          taken[q] = 1;
          this.shorterRefs[q] = (this.shorterRefs[q] as number) + 1;
        }
      }
    }
    this.wayOffsets = offsets;
    this.ways = Int32Array.from(ways);
    this.wayTypes = Uint8Array.from(types);
    // Per hop hub: the member whose rows stand for the hub's (standFor()), or -1.
    const shared = delegation && layers && layers.count > 0 ? this.hubMembers(layers) : undefined;
    if (layers && layers.count > 0) {
      const started = performance.now();
      layers.compute({
        resourceFilter: search.resourceFilter,
        shorterWanted: (q) => (this.shorterRefs[q] as number) > 0,
        shorter: (q, rows) => this.shorterCache.set(q, rows),
        hubRows: shared ? (h, rows) => this.standFor(shared, h, rows) : undefined,
      });
      this.timings.composeMs += performance.now() - started;
      this.timings.through += layers.count;
      this.timings.layered += layers.count;
      this.timings.folds += layers.folds;
    }
    // Candidates: each principal's hop targets (their rows one hop longer), and the principal whose
    // rows stand for each hop hub's it is a member of (those rows as they are: standFor()).
    const all: number[] = [];
    for (let p = 0; p < n; p++) {
      this.candidateOffsets[p] = all.length;
      if (!delegation || !graph.isPrincipal[p]) continue;
      const targets = hopTargets(graph, p);
      if (targets.length <= 3 * MAX_CANDIDATES)
        for (let c = 0; c < targets.length; c += 3) {
          const q = targets[c] as number;
          all.push(q, targets[c + 1] as number, targets[c + 2] as number);
          this.refs[q] = (this.refs[q] as number) + 1;
        }
      // The CAN_ACCESS hubs it is a member of: what every member reaches directly through one hub
      // (every bucket through s3:* on `*`), stored once on the hub (hubRows()), as it is.
      const accessStart = all.length;
      for (
        let m = graph.accessMemberOffsets[p] as number;
        m < (graph.accessMemberOffsets[p + 1] as number);
        m++
      ) {
        const h = graph.accessMemberHubs[m] as number;
        let seen = false;
        for (let c = accessStart; c < all.length && !seen; c += 3) if (all[c] === h) seen = true;
        if (seen) continue;
        all.push(h, SAME_ROWS, graph.accessMemberConditional[m] as number);
        this.refs[h] = (this.refs[h] as number) + 1;
      }
      if (!shared || !layers?.member[p]) continue;
      const stands = shared.standing;
      const start = all.length;
      for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++) {
        const q = stands[graph.hopMemberHubs[m] as number] as number;
        if (q < 0 || q === p) continue;
        let seen = false;
        for (let c = start; c < all.length && !seen; c += 3) if (all[c] === q) seen = true;
        if (seen) continue;
        all.push(q, SAME_ROWS, 0);
        this.refs[q] = (this.refs[q] as number) + 1;
      }
    }
    this.candidateOffsets[n] = all.length;
    this.candidates = Int32Array.from(all);
  }

  /**
   * The members of each hop hub whose rows are composed in layers (CSR by hub), for standFor(); a
   * hub with fewer than two has none.
   */
  private hubMembers(layers: LayeredRows): SharedRows {
    const g = this.graph;
    const n = g.size;
    const offsets = new Int32Array(n + 1);
    for (let p = 0; p < g.hubStart; p++) {
      if (!layers.member[p]) continue;
      for (let m = g.hopMemberOffsets[p] as number; m < (g.hopMemberOffsets[p + 1] as number); m++) {
        const h = g.hopMemberHubs[m] as number;
        offsets[h + 1] = (offsets[h + 1] as number) + 1;
      }
    }
    for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
    const members = new Int32Array(offsets[n] as number);
    const next = offsets.slice(0, n);
    for (let p = 0; p < g.hubStart; p++) {
      if (!layers.member[p]) continue;
      for (let m = g.hopMemberOffsets[p] as number; m < (g.hopMemberOffsets[p + 1] as number); m++) {
        const h = g.hopMemberHubs[m] as number;
        members[next[h] as number] = p;
        next[h] = (next[h] as number) + 1;
      }
    }
    return { layers, offsets, members, standing: new Int32Array(n).fill(-1) };
  }

  /**
   * Hop hub `h`'s rows within maxHops are `hub` (its targets' within one hop less, one hop longer:
   * what every member takes through it): the member whose rows agree with them on the most
   * resources, two at least, stands for the hub. Its other members may delegate to that principal
   * with rows as they are (SAME_ROWS): the principals holding one right to a set of targets (every
   * node, through a privileged pod) reach most resources the same way, with one route, and store
   * those rows once.
   */
  private standFor(shared: SharedRows, h: number, hub: Rows): void {
    const from = shared.offsets[h] as number;
    const to = shared.offsets[h + 1] as number;
    if (to - from < 2) return;
    const started = performance.now();
    const round = ++this.round;
    for (let j = 0; j < hub.resources.length; j++) {
      const r = hub.resources[j] as number;
      this.stamp[r] = round;
      this.slot[r] = j;
    }
    let best = -1;
    let bestMatched = 1;
    for (let k = from; k < to; k++) {
      const p = shared.members[k] as number;
      const mine = shared.layers.rows(p);
      let matched = 0;
      for (let i = 0; i < mine.resources.length; i++) {
        const r = mine.resources[i] as number;
        if (this.stamp[r] !== round) continue;
        // The same rows: the member's row is the hub's as it is (no hop added, so no target named).
        if (delegatedRow(mine, i, hub, this.slot[r] as number, -1, 0, 0)) matched++;
      }
      // Ties keep the first.
      if (matched > bestMatched) {
        best = p;
        bestMatched = matched;
      }
    }
    shared.standing[h] = best;
    this.timings.chooseMs += performance.now() - started;
  }

  /**
   * After `p` chose a delegation to CAN_ACCESS hub `q` (its rows marked in the current match round):
   * p's other CAN_ACCESS hubs that reach no resource another of its delegates reaches (so that, per
   * resource, at most one of them answers, and the fragment's paths never give a resource twice)
   * and give two of its rows or more, as they are, become delegations too (their rows marked in the
   * same round). Returns the rows they stand for.
   */
  private moreHubs(p: number, mine: Rows, q: number, from: number, to: number): number {
    const round = this.round;
    const taken = ++this.takenRound;
    const take = (rows: Rows) => {
      for (let j = 0; j < rows.resources.length; j++) this.takenStamp[rows.resources[j] as number] = taken;
    };
    take(this.rowsOf(q));
    let more = 0;
    const extras: number[] = [];
    for (let c = from; c < to; c += 3) {
      const h = this.candidates[c] as number;
      if (h === q || !this.isHub(h) || (this.candidates[c + 1] as number) !== SAME_ROWS) continue;
      const theirs = this.rowsOf(h);
      const cond = this.candidates[c + 2] as number;
      let matched = 0;
      let fits = true;
      for (let j = 0; j < theirs.resources.length && fits; j++) {
        const r = theirs.resources[j] as number;
        if (this.takenStamp[r] === taken || this.stamp[r] !== round) fits = false;
        else if (delegatedRow(mine, this.slot[r] as number, theirs, j, h, 0, cond)) matched++;
      }
      if (!fits || matched < 2) continue;
      for (let j = 0; j < theirs.resources.length; j++) {
        const r = theirs.resources[j] as number;
        if (delegatedRow(mine, this.slot[r] as number, theirs, j, h, 0, cond))
          this.matchedRound[r] = this.matchRound;
      }
      take(theirs);
      extras.push(h, cond, matched);
      more += matched;
    }
    if (extras.length > 0) this.extras.set(p, extras);
    return more;
  }

  /** Plans principal `p`: emits the rows it stores; returns how many rows it has in all. */
  principal(p: number, emit: (row: Readonly<SummaryRow>) => void): number {
    const g = this.graph;
    if (!g.isPrincipal[p]) return 0;
    const rows = this.rowsOf(p);
    const count = rows.resources.length;
    const from = this.candidateOffsets[p] as number;
    const to = this.candidateOffsets[p + 1] as number;
    let best = -1;
    let bestMatched = 0;
    if (this.delegation && count >= 2 && to > from) {
      const started = performance.now();
      const round = ++this.round;
      for (let i = 0; i < count; i++) {
        const r = rows.resources[i] as number;
        this.stamp[r] = round;
        this.slot[r] = i;
      }
      for (let c = from; c < to; c += 3) {
        const matched = this.matches(p, rows, c, false);
        // One edge for one row saves nothing; a delegation to a principal stands for most of the
        // rows, so that two principals never delegate to each other (each would need most rows one
        // hop longer). A hub delegates nowhere, so a delegation to one may stand for fewer.
        if (matched < 2 || (!this.isHub(this.candidates[c] as number) && 2 * matched <= count)) continue;
        // Ties keep the first.
        if (matched > bestMatched) {
          best = c;
          bestMatched = matched;
        }
      }
      if (best >= 0) {
        this.matches(p, rows, best, true);
        const q = this.candidates[best] as number;
        if (this.isHub(q)) bestMatched += this.moreHubs(p, rows, q, from, to);
      }
      this.timings.chooseMs += performance.now() - started;
    }
    if (best < 0) this.emitRows(p, rows, emit, -1);
    else {
      const q = this.candidates[best] as number;
      this.chosen[p] = q;
      this.digit[p] = (this.candidates[best + 1] as number) + 1;
      this.cond[p] = this.candidates[best + 2] as number;
      this.counts[p] = bestMatched;
      const own = new Int32Array(count - bestMatched);
      let k = 0;
      for (let i = 0; i < count; i++)
        if (this.matchedRound[rows.resources[i] as number] !== this.matchRound)
          own[k++] = rows.resources[i] as number;
      this.own.set(p, own);
      this.emitRows(p, rows, emit, this.matchRound);
    }
    this.release(p, from, to);
    return count;
  }

  /**
   * After every principal: keeps the delegations that save the most rows in all under chains of at
   * most MAX_DELEGATION_DEPTH (the delegations form a forest once any cycle is broken, and the best
   * choice in a forest is one pass up and one down); a delegation given up emits its principal's
   * other rows.
   */
  finish(emit: (row: Readonly<SummaryRow>) => void): Delegations {
    const { n, chosen, counts } = this;
    const giveUp = (p: number) => {
      chosen[p] = -1;
      this.extras.delete(p);
      const mine = new Set(this.own.get(p));
      this.own.delete(p);
      if (this.layers?.member[p]) {
        this.emitRows(p, this.layers.rows(p), emit, -1, mine);
        return;
      }
      const cached = this.cache.get(p);
      if (cached) {
        this.emitRows(p, cached, emit, -1, mine);
        return;
      }
      const started = performance.now();
      this.search.fromPrincipal(p, (row) => {
        if (!mine.has(row.resource)) emit(row);
      });
      this.timings.searchMs += performance.now() - started;
    };
    // A cycle gives up its delegation that saves the fewest rows.
    const state = new Uint8Array(n); // 0 not seen, 1 on the current walk, 2 settled
    const walk: number[] = [];
    for (let p = 0; p < n; p++) {
      if (state[p] !== 0 || (chosen[p] as number) < 0) continue;
      walk.length = 0;
      let x = p;
      for (; x >= 0 && state[x] === 0; x = chosen[x] as number) {
        state[x] = 1;
        walk.push(x);
      }
      if (x >= 0 && state[x] === 1) {
        let least = x;
        for (let y = chosen[x] as number; y !== x; y = chosen[y] as number)
          if ((counts[y] as number) < (counts[least] as number)) least = y;
        giveUp(least);
      }
      for (const y of walk) state[y] = 2;
    }
    // Breadth first from the principals that do not delegate: each delegating one after its delegate.
    const order: number[] = [];
    for (let p = 0; p < n; p++) if ((chosen[p] as number) < 0) order.push(p);
    const childOffsets = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) {
      const q = chosen[p] as number;
      if (q >= 0) childOffsets[q + 1] = (childOffsets[q + 1] as number) + 1;
    }
    for (let p = 0; p < n; p++)
      childOffsets[p + 1] = (childOffsets[p + 1] as number) + (childOffsets[p] as number);
    const children = new Int32Array(childOffsets[n] as number);
    const next = childOffsets.slice(0, n);
    for (let p = 0; p < n; p++) {
      const q = chosen[p] as number;
      if (q < 0) continue;
      children[next[q] as number] = p;
      next[q] = (next[q] as number) + 1;
    }
    for (let i = 0; i < order.length; i++) {
      const x = order[i] as number;
      for (let c = childOffsets[x] as number; c < (childOffsets[x + 1] as number); c++)
        order.push(children[c] as number);
    }
    // best[x·(L+1) + k]: the rows saved among x's delegators (and theirs) when chains into x may
    // have k delegations more; keeping c → x gives counts[c] + best(c, k − 1), giving it up best(c, L).
    const L = MAX_DELEGATION_DEPTH;
    const best = new Float64Array(n * (L + 1));
    for (let i = order.length - 1; i >= 0; i--) {
      const x = order[i] as number;
      for (let k = 0; k <= L; k++) {
        let sum = 0;
        for (let c = childOffsets[x] as number; c < (childOffsets[x + 1] as number); c++) {
          const child = children[c] as number;
          const alone = best[child * (L + 1) + L] as number;
          const kept = k >= 1 ? (counts[child] as number) + (best[child * (L + 1) + k - 1] as number) : -1;
          sum += Math.max(alone, kept);
        }
        best[x * (L + 1) + k] = sum;
      }
    }
    const budget = new Int8Array(n).fill(L);
    for (const x of order) {
      const q = chosen[x] as number;
      if (q < 0) continue;
      const k = budget[q] as number;
      const alone = best[x * (L + 1) + L] as number;
      if (k >= 1 && (counts[x] as number) + (best[x * (L + 1) + k - 1] as number) >= alone) budget[x] = k - 1;
      else giveUp(x);
    }
    // A hub's rows are stored once for its delegators: kept where they stand for more rows than
    // they cost (the hub's rows and one delegation each), else its delegators keep their rows.
    const g = this.graph;
    const through = new Float64Array(n - g.hubStart);
    const delegators = new Int32Array(n - g.hubStart);
    // Each hub a principal delegates to, with the rows that delegation stands for.
    const uses = (p: number, f: (h: number, rows: number) => void) => {
      const q = chosen[p] as number;
      if (q < g.hubStart) return;
      const extras = this.extras.get(p) ?? [];
      let rest = counts[p] as number;
      for (let e = 0; e < extras.length; e += 3) {
        f(extras[e] as number, extras[e + 2] as number);
        rest -= extras[e + 2] as number;
      }
      f(q, rest);
    };
    for (let p = 0; p < g.hubStart; p++)
      uses(p, (h, rows) => {
        through[h - g.hubStart] = (through[h - g.hubStart] as number) + rows;
        delegators[h - g.hubStart] = (delegators[h - g.hubStart] as number) + 1;
      });
    const worth = new Uint8Array(n - g.hubStart);
    for (let h = g.hubStart; h < n; h++) {
      const k = h - g.hubStart;
      if ((delegators[k] as number) > 0)
        worth[k] =
          (through[k] as number) > this.rowsOf(h).resources.length + (delegators[k] as number) ? 1 : 0;
    }
    // A principal using a hub not worth its rows keeps all of its rows (its other hubs' too).
    for (let p = 0; p < g.hubStart; p++) {
      let keep = true;
      uses(p, (h) => {
        if (!worth[h - g.hubStart]) keep = false;
      });
      if (!keep) giveUp(p);
    }
    const used = new Uint8Array(n - g.hubStart);
    for (let p = 0; p < g.hubStart; p++)
      uses(p, (h) => {
        used[h - g.hubStart] = 1;
      });
    let hubRows = 0;
    for (let h = g.hubStart; h < n; h++) {
      if (!used[h - g.hubStart]) continue;
      const rows = this.rowsOf(h);
      this.emitRows(h, rows, emit, -1);
      hubRows += rows.resources.length;
    }
    const delegations: Delegations = {
      delegate: chosen,
      viaDigit: this.digit,
      conditional: this.cond,
      rows: this.counts,
      count: 0,
      delegatedRows: 0,
      ownRows: 0,
      hubRows,
      more: this.extras,
    };
    for (let p = 0; p < n; p++) {
      if (chosen[p] === -1) {
        this.counts[p] = 0;
        continue;
      }
      delegations.count += 1 + (this.extras.get(p)?.length ?? 0) / 3;
      delegations.delegatedRows += this.counts[p] as number;
      delegations.ownRows += (this.own.get(p) as Int32Array).length;
    }
    this.layers?.release();
    this.layers = undefined;
    return delegations;
  }

  /**
   * How many of `p`'s rows (indexed by resource for this round) are candidate `c`'s rows one hop
   * longer; 0 when the candidate reaches a resource `p` does not (its expansion would add a row).
   * With `mark`, the matching resources are marked in a new match round.
   */
  private matches(p: number, mine: Rows, c: number, mark: boolean): number {
    const q = this.candidates[c] as number;
    if (q === p) return 0;
    const typeDigit = (this.candidates[c + 1] as number) + 1;
    const hopConditional = this.candidates[c + 2] as number;
    const theirs = this.rowsOf(q);
    const count = theirs.resources.length;
    // Most of p's rows must be q's: q has more than half as many (a hub: any) and no more.
    if ((2 * count <= mine.resources.length && !this.isHub(q)) || count > mine.resources.length) return 0;
    const round = this.round;
    const matchRound = mark ? ++this.matchRound : 0;
    let matched = 0;
    for (let j = 0; j < count; j++) {
      const r = theirs.resources[j] as number;
      if (this.stamp[r] !== round) return 0;
      if (delegatedRow(mine, this.slot[r] as number, theirs, j, q, typeDigit, hopConditional)) {
        matched++;
        if (mark) this.matchedRound[r] = matchRound;
      }
    }
    return matched;
  }

  /** Emits `p`'s rows, but those marked in `skipRound` (standing through its delegation). */
  private emitRows(
    p: number,
    rows: Rows,
    emit: (row: Readonly<SummaryRow>) => void,
    skipRound: number,
    skip?: ReadonlySet<number>,
  ) {
    const row = this.row;
    row.principal = p;
    for (let i = 0; i < rows.resources.length; i++) {
      const r = rows.resources[i] as number;
      if (skipRound >= 0 && this.matchedRound[r] === skipRound) continue;
      if (skip?.has(r)) continue;
      row.resource = r;
      row.hops = rows.hops[i] as number;
      row.minHops = rows.minHops[i] as number;
      row.levels = rows.levels[i] as number;
      row.allLevels = rows.allLevels[i] as number;
      row.conditional = rows.conditional[i] === 1;
      row.firstHop = rows.firstHop[i] as number;
      row.via = viaCodes(rows.via[i] as number);
      emit(row);
    }
  }

  /** A principal's rows: from the cache (searched as someone's candidate), else found now. */
  private rowsOf(q: number): Rows {
    if (this.layers?.member[q]) return this.layers.rows(q);
    const cached = this.cache.get(q);
    if (cached) return cached;
    const rows = this.isHub(q) ? this.hubRows(q) : this.composable(q) ? this.composed(q) : this.searched(q);
    // Kept while a principal not planned yet may compare with them, or until q's own turn.
    if ((this.refs[q] as number) > 0 || !this.done[q]) this.cache.set(q, rows);
    return rows;
  }

  /** A Grant hub's row (graph.hubStart on): a delegate only through its CAN_ACCESS members. */
  private isHub(q: number): boolean {
    return q >= this.graph.hubStart;
  }

  /**
   * A CAN_ACCESS hub's rows: its targets, each as one direct edge (no hop), with the levels of the
   * hub's legs into it; what each member reaches through the hub alone, conditional when its member
   * leg is (the delegation's flag). Composed as a principal's own ending edges are.
   */
  private hubRows(h: number): Rows {
    return this.composed(h, false);
  }

  private composable(p: number): boolean {
    return this.composes[p] === 1;
  }

  /** `q`'s rows within the shorter bound, for a principal composing its rows (taken once each). */
  private shorterRowsOf(q: number): Rows {
    let rows = this.shorterCache.get(q);
    if (!rows) {
      // Searched now (q not planned and not composed: the same search gives its own rows), or alone.
      if (!this.composable(q) && !this.cache.has(q) && !this.done[q]) this.rowsOf(q);
      rows = this.shorterCache.get(q) ?? this.searchedShorter(q);
      this.shorterCache.set(q, rows);
    }
    const left = (this.shorterRefs[q] as number) - 1;
    this.shorterRefs[q] = left;
    if (left <= 0) this.shorterCache.delete(q);
    return rows;
  }

  /**
   * The rows of `p`, whose hop edges are all unconditional and enter principals Q1…Qm (in the
   * search's order), composed from its own ending edges and the Qi's rows within the shorter bound.
   * The search from p is, after p's own ending edges (routes of no hop, before any other), a search
   * from Q1…Qm side by side, one hop longer: a node's least route from p is the hop into the first
   * Qi with a shortest route to it, then Qi's least route (a shortest route from Qi never passes p
   * or another Qj, which are nearer), and nodes of one layer keep Qi's order among themselves after
   * those of the Qj before it. So per resource: the fewest hops and the union of levels over every
   * route are the Qi's (one hop longer) and p's own; the answer's routes are those with the best
   * data class and then the fewest hops; it is unconditional when one of them is (every hop into a
   * Qi is); and the chosen route is, of the Qi whose answer holds those routes, the first one's whose
   * answer is as unconditional and as strong as the best, with the hop into it first. A principal
   * with one way out (most pods: RUNS_AS their account) takes that principal's rows, one hop longer.
   */
  private composed(p: number, counted = true): Rows {
    if (counted) this.timings.through++;
    const from = this.wayOffsets[p] as number;
    const to = this.wayOffsets[p + 1] as number;
    const theirs: Rows[] = [];
    for (let i = from; i < to; i++) theirs.push(this.shorterRowsOf(this.ways[i] as number));
    const round = ++this.composeRound;
    const resources: number[] = [];
    // p's own ending edges, in the search's order: routes of no hop.
    const g = this.graph;
    const filter = this.search.resourceFilter;
    const own: number[] = [];
    const endings = this.endings;
    endings.open(p);
    while (endings.next()) {
      const r = g.accessTargets[endings.slot] as number;
      if (filter && !filter[r]) continue;
      own.push(endings.slot, endings.conditional);
      if (this.composeStamp[r] !== round) {
        this.composeStamp[r] = round;
        this.composeSlot[r] = resources.length;
        resources.push(r);
      }
    }
    for (const rows of theirs)
      for (const r of rows.resources)
        if (this.composeStamp[r] !== round) {
          this.composeStamp[r] = round;
          this.composeSlot[r] = resources.length;
          resources.push(r);
        }
    const count = resources.length;
    const out: Rows = {
      resources: Int32Array.from(resources),
      hops: new Uint8Array(count),
      minHops: new Uint8Array(count).fill(255),
      levels: new Uint8Array(count),
      allLevels: new Uint8Array(count),
      conditional: new Uint8Array(count).fill(1),
      firstHop: new Int32Array(count).fill(-1),
      via: new Float64Array(count),
      strength: new Int8Array(count),
    };
    // Per resource: the best data class so far (-1: none yet).
    const data = new Int8Array(count).fill(-1);
    // The answer so far for resource slot i against a route of `hops` hops (ties: the first stays,
    // unless the new one is unconditional and it is not, or as unconditional and stronger).
    const consider = (
      i: number,
      d: number,
      hops: number,
      levels: number,
      clean: boolean,
      strength: number,
      firstHop: number,
      via: number,
    ) => {
      const take = () => {
        out.conditional[i] = clean ? 0 : 1;
        out.strength[i] = strength;
        out.firstHop[i] = firstHop;
        out.via[i] = via;
      };
      if (d > (data[i] as number) || (d === data[i] && hops < (out.hops[i] as number))) {
        data[i] = d;
        out.hops[i] = hops;
        out.levels[i] = levels;
        take();
      } else if (d === data[i] && hops === out.hops[i]) {
        out.levels[i] = (out.levels[i] as number) | levels;
        const wasClean = out.conditional[i] === 0;
        if (clean !== wasClean ? clean : strength > (out.strength[i] as number)) take();
      }
    };
    for (let k = 0; k < own.length; k += 2) {
      const slot = own[k] as number;
      const r = g.accessTargets[slot] as number;
      const lv = g.accessLevels[slot] as number;
      const i = this.composeSlot[r] as number;
      out.minHops[i] = 0;
      out.allLevels[i] = (out.allLevels[i] as number) | lv;
      consider(i, dataClass(lv, 0), 0, lv, own[k + 1] === 0, levelStrength(lv), r, 0);
    }
    theirs.forEach((rows, k) => {
      const q = this.ways[from + k] as number;
      const digit = (this.wayTypes[from + k] as number) + 1;
      for (let j = 0; j < rows.resources.length; j++) {
        const i = this.composeSlot[rows.resources[j] as number] as number;
        out.minHops[i] = Math.min(out.minHops[i] as number, (rows.minHops[j] as number) + 1);
        out.allLevels[i] = (out.allLevels[i] as number) | (rows.allLevels[j] as number);
        consider(
          i,
          dataClass(rows.levels[j] as number, 0),
          (rows.hops[j] as number) + 1,
          rows.levels[j] as number,
          rows.conditional[j] === 0,
          rows.strength[j] as number,
          q,
          digit * VIA_BASE ** (rows.hops[j] as number) + (rows.via[j] as number),
        );
      }
    });
    return out;
  }

  private searched(q: number): Rows {
    const list: SummaryRow[] = [];
    const strengths: number[] = [];
    const shorterList: SummaryRow[] = [];
    const shorterStrengths: number[] = [];
    const wanted = (this.shorterRefs[q] as number) > 0 && !this.shorterCache.has(q);
    const started = performance.now();
    this.search.fromPrincipal(
      q,
      (row) => {
        list.push({ ...row, via: row.via });
        strengths.push(this.strengthOf(row));
      },
      wanted
        ? (row) => {
            shorterList.push({ ...row, via: row.via });
            shorterStrengths.push(this.strengthOf(row));
          }
        : undefined,
    );
    this.timings.searchMs += performance.now() - started;
    if (wanted) this.shorterCache.set(q, compact(shorterList, shorterStrengths));
    return compact(list, strengths);
  }

  private searchedShorter(q: number): Rows {
    const list: SummaryRow[] = [];
    const strengths: number[] = [];
    const started = performance.now();
    (this.shorter as RouteSearch).fromPrincipal(q, (row) => {
      list.push({ ...row, via: row.via });
      strengths.push(this.strengthOf(row));
    });
    this.timings.searchMs += performance.now() - started;
    return compact(list, strengths);
  }

  /** The level strength of a row's chosen route: its ending edge's levels, none for a hop into the target. */
  private strengthOf(row: Readonly<RouteRow>): number {
    return levelStrength(row.access >= 0 ? (this.graph.accessLevels[row.access] as number) : 0);
  }

  /** `p` is planned: its rows and its candidates' go once nothing else needs them. */
  private release(p: number, from: number, to: number): void {
    this.done[p] = 1;
    if ((this.refs[p] as number) === 0) this.cache.delete(p);
    for (let c = from; c < to; c += 3) {
      const q = this.candidates[c] as number;
      const left = (this.refs[q] as number) - 1;
      this.refs[q] = left;
      if (left === 0 && this.done[q]) this.cache.delete(q);
    }
  }
}

/** The via code of a route's hop type codes (codes.ts encodeVia), as the rows store it. */
function viaValue(codes: readonly number[]): number {
  let value = 0;
  for (const code of codes) value = value * VIA_BASE + code + 1;
  return value;
}

/** The hop type codes of a via code (no digit is 0: each is a code plus one). */
function viaCodes(value: number): number[] {
  const codes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / VIA_BASE)) codes.push((rest % VIA_BASE) - 1);
  return codes.reverse();
}

/**
 * Whether row `i` of `mine` is row `j` of `theirs` as a delegation to `q` gives it back (what the
 * summary's expansion, cypher/reachability/summary-rows.cypher, computes): one hop longer, that hop
 * first (type digit `typeDigit`, conditional if `hopConditional`), or as it is when `typeDigit` is 0
 * (the same rows: hops, first hop and via code unchanged).
 */
export function delegatedRow(
  mine: Rows,
  i: number,
  theirs: Rows,
  j: number,
  q: number,
  typeDigit: number,
  hopConditional: number,
): boolean {
  const shift = typeDigit === 0 ? 0 : 1;
  const h = theirs.hops[j] as number;
  return (
    mine.hops[i] === h + shift &&
    mine.minHops[i] === (theirs.minHops[j] as number) + shift &&
    mine.levels[i] === theirs.levels[j] &&
    mine.allLevels[i] === theirs.allLevels[j] &&
    mine.conditional[i] === ((theirs.conditional[j] as number) | hopConditional) &&
    mine.firstHop[i] === (shift ? q : theirs.firstHop[j]) &&
    mine.via[i] === typeDigit * VIA_BASE ** h + (theirs.via[j] as number)
  );
}

/**
 * The principals `p` hops to, as (target, type code, conditional) triples: its own hop edges and the
 * pair edges of the hubs it is a member of (conditional if either leg is), at most MAX_CANDIDATES
 * (more are returned as they come, so that the caller can tell there are too many).
 */
export function hopTargets(graph: HopGraph, p: number): number[] {
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

function compact(list: readonly SummaryRow[], strengths: readonly number[]): Rows {
  return {
    resources: Int32Array.from(list, (r) => r.resource),
    hops: Uint8Array.from(list, (r) => r.hops),
    minHops: Uint8Array.from(list, (r) => r.minHops),
    levels: Uint8Array.from(list, (r) => r.levels),
    allLevels: Uint8Array.from(list, (r) => r.allLevels),
    conditional: Uint8Array.from(list, (r) => (r.conditional ? 1 : 0)),
    firstHop: Int32Array.from(list, (r) => r.firstHop),
    via: Float64Array.from(list, (r) => viaValue(r.via)),
    strength: Int8Array.from(strengths),
  };
}

/**
 * Appends the principals `p`'s hop edges enter (its own and its hubs' pair edges, in the search's
 * order, each once, with the type of the first edge into it) when its rows can be composed from
 * theirs: every hop edge is unconditional and enters another principal, and there are at most
 * MAX_COMPOSED_WAYS of them. Returns false (having appended anything) otherwise.
 */
function composeWays(
  graph: HopGraph,
  cursor: RowCursor,
  p: number,
  ways: number[],
  types: number[],
): boolean {
  const start = ways.length;
  cursor.open(p);
  while (cursor.next()) {
    const q = graph.hopTargets[cursor.slot] as number;
    if (cursor.conditional || q === p || !graph.isPrincipal[q]) return false;
    if (ways.indexOf(q, start) >= 0) continue;
    if (ways.length - start >= MAX_COMPOSED_WAYS) return false;
    ways.push(q);
    types.push(graph.hopTypes[cursor.slot] as number);
  }
  return ways.length > start;
}

/** FNV-1a over what a delegation edge stores (its target's id included). */
export function delegationDigest(targetId: string, viaDigit: number, conditional: number, maxHops: number) {
  let h = 0x811c9dc5 | 0;
  for (const n of [hashString(targetId), viaDigit, conditional, maxHops])
    h = Math.imul(h ^ (n | 0), 0x01000193);
  return h | 0;
}
