import { hopTypeMask } from '../reachability/codes.js';
import { type HopGraph, hopTypeNameRank, RowCursor } from './hop-graph.js';
import { dataClass, levelStrength } from './route-rule.js';

/**
 * The one route search. From one identity at a time, a breadth-first search over a HopGraph finds,
 * for every target it reaches within the bound, the answer row and the route the route rule
 * (route-rule.ts) picks. The summary, the reports, the API and the CLI all call it; they differ
 * only in where the HopGraph comes from.
 *
 * How the rule is met without comparing whole routes: a breadth-first search whose rows are in tie
 * order discovers each layer's nodes in the order of their least route prefix, so a node's first
 * discovery is its least prefix (`parent`) and its position in the queue ranks prefixes within a
 * layer. The same is done once more over unconditional edges only, from the nodes whose least
 * unconditional prefix is a shortest one (`ucParent`), so an unconditional route is found whenever
 * one of the shortest length exists. A candidate route is then compared as (data access first,
 * length, unconditional first, strongest level, rank of its last node, ending edge), all integers:
 * candidates come by increasing length, so the first one to the data is the shortest such.
 */

/** What a route may use: the question's restrictions. */
export interface RouteQuestion {
  /** Hop edges before the ending edge, at most. */
  maxHops: number;
  /** Bit mask of the hop type codes a route may use (reachability/codes.ts hopTypeMask). */
  hopTypes: number;
  /** The ending edge must grant one of these level bits; 0 for any. */
  levels: number;
  /** Only routes without a conditional edge. */
  unconditionalOnly: boolean;
}

/**
 * One answer row, reused between calls: copy what you need before the next one.
 *
 * For an identity P and a target R, over the routes the question allows, the answer's routes are
 * those to the data (route-rule.ts, rule 0) when there is one, else all of them:
 * - `hops`: hop edges on the shortest of the answer's routes (0 = P accesses R directly; a route
 *   that ends with a hop into R, a self-escalation, counts that hop);
 * - `minHops`: hop edges on the shortest route of any kind (at most `hops`);
 * - `levels`: the union of the levels of the ending edges of the answer's routes with `hops` hops;
 * - `allLevels`: the union over every route within the bound;
 * - `conditional`: none of the answer's routes with `hops` hops is free of conditional edges;
 * - `slots`: the chosen route's hop edges (slots in the HopGraph's hop arrays) in order, then
 *   `access`: its ending edge's slot in the access arrays, or -1 when the route ends with a hop;
 * - `firstHop`: the node the first hop enters (R itself for direct access); `via`: the hop type
 *   codes of the route in order.
 */
export interface RouteRow {
  principal: number;
  resource: number;
  hops: number;
  minHops: number;
  levels: number;
  allLevels: number;
  conditional: boolean;
  firstHop: number;
  via: number[];
  slots: number[];
  access: number;
}

export interface SearchOptions {
  /** Only targets with a 1 here are answered (e.g. those of some scopes); all when absent. */
  resourceFilter?: Uint8Array;
  /**
   * Fill `slots` and `access` (the route's edges); the summary needs only `firstHop` and `via`, so
   * it leaves this off and allocates nothing per row but `via`. Default true.
   */
  routes?: boolean;
  /**
   * A target that is also a principal (root on a node, escalation-targets.ts) is reached by the hop
   * that enters it, as a target that is only a resource is; routes still go on through it. Off for
   * access questions, where a principal that is also a resource (a pod, a function) is reached only
   * by an ending edge.
   */
  enteredPrincipals?: boolean;
}

const EMPTY: number[] = [];

export function allRoutes(maxHops: number): RouteQuestion {
  return { maxHops, hopTypes: hopTypeMask(null), levels: 0, unconditionalOnly: false };
}

export class RouteSearch {
  private readonly stamp: Int32Array;
  private readonly dist: Int32Array;
  private readonly parent: Int32Array;
  private readonly parentSlot: Int32Array;
  private readonly rankAny: Int32Array;
  private readonly ucStamp: Int32Array;
  private readonly ucParent: Int32Array;
  private readonly ucSlot: Int32Array;
  private readonly rankUc: Int32Array;
  private readonly queue: Int32Array;
  private readonly ucQueue: Int32Array;
  // Per target: the best candidate so far and the row's aggregates.
  private readonly seen: Int32Array;
  private readonly bestLength: Int32Array;
  private readonly firstHops: Int32Array;
  private readonly bestData: Uint8Array;
  private readonly bestClean: Uint8Array;
  private readonly bestStrength: Int8Array;
  private readonly bestRank: Int32Array;
  private readonly bestEnd: Int32Array;
  private readonly bestLast: Int32Array;
  private readonly bestSlot: Int32Array;
  private readonly levels: Uint8Array;
  private readonly allLevels: Uint8Array;
  private readonly anyClean: Uint8Array;
  private readonly touched: Int32Array;
  private readonly hopsOf: RowCursor;
  private readonly endingsOf: RowCursor;
  private round = 0;
  private reached = 0;
  private readonly row: RouteRow = {
    principal: 0,
    resource: 0,
    hops: 0,
    minHops: 0,
    levels: 0,
    allLevels: 0,
    conditional: false,
    firstHop: 0,
    via: [],
    slots: [],
    access: -1,
  };

  constructor(
    private readonly graph: HopGraph,
    private readonly question: RouteQuestion,
    private readonly options: SearchOptions = {},
  ) {
    if (!Number.isInteger(question.maxHops) || question.maxHops < 0)
      throw new Error(`maxHops must be a non-negative integer, got ${question.maxHops}`);
    const n = graph.size;
    this.stamp = new Int32Array(n);
    this.dist = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.parentSlot = new Int32Array(n);
    this.rankAny = new Int32Array(n);
    this.ucStamp = new Int32Array(n);
    this.ucParent = new Int32Array(n);
    this.ucSlot = new Int32Array(n);
    this.rankUc = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.ucQueue = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.bestLength = new Int32Array(n);
    this.firstHops = new Int32Array(n);
    this.bestData = new Uint8Array(n);
    this.bestClean = new Uint8Array(n);
    this.bestStrength = new Int8Array(n);
    this.bestRank = new Int32Array(n);
    this.bestEnd = new Int32Array(n);
    this.bestLast = new Int32Array(n);
    this.bestSlot = new Int32Array(n);
    this.levels = new Uint8Array(n);
    this.allLevels = new Uint8Array(n);
    this.anyClean = new Uint8Array(n);
    this.touched = new Int32Array(n);
    this.hopsOf = new RowCursor(graph, false);
    this.endingsOf = new RowCursor(graph, true);
  }

  /** Hop edges a route may take before its ending edge. */
  get maxHops(): number {
    return this.question.maxHops;
  }

  /** The targets this search answers (SearchOptions.resourceFilter); all when undefined. */
  get resourceFilter(): Uint8Array | undefined {
    return this.options.resourceFilter;
  }

  /**
   * Calls `emit` once per target the identity reaches, in the order first reached; returns how many.
   * With `shorter` (and a bound of at least one hop), also calls it once per target of the answer the
   * same question with a bound one hop shorter gives: the search is layer by layer, so that answer
   * is its state once the ending edges of the layer before the last are considered, and one search
   * gives both.
   */
  fromPrincipal(
    source: number,
    emit: (row: Readonly<RouteRow>) => void,
    shorter?: (row: Readonly<RouteRow>) => void,
  ): number {
    const g = this.graph;
    if (!g.isPrincipal[source]) return 0;
    const round = ++this.round;
    const { maxHops, hopTypes, unconditionalOnly } = this.question;
    this.stamp[source] = round;
    this.dist[source] = 0;
    this.parent[source] = -1;
    this.rankAny[source] = 0;
    this.ucStamp[source] = round;
    this.ucParent[source] = -1;
    this.rankUc[source] = 0;
    this.queue[0] = source;
    this.ucQueue[0] = source;
    let tail = 1;
    let ucTail = 1;
    let layer = 0;
    let ucLayer = 0;
    this.reached = 0;

    for (let d = 0; layer < tail; d++) {
      const layerEnd = tail;
      const ucLayerEnd = ucTail;
      // Ending edges of this layer: candidate routes of d hops (length d + 1).
      for (let i = layer; i < layerEnd; i++) {
        const x = this.queue[i] as number;
        if (!g.isPrincipal[x]) continue;
        const endings = this.endingsOf;
        endings.open(x);
        while (endings.next()) this.considerAccess(x, endings.slot, endings.conditional, d + 1, round);
      }
      if (shorter && d === maxHops - 1) {
        for (let i = 0; i < this.reached; i++) shorter(this.rowOf(source, this.touched[i] as number));
        shorter = undefined;
      }
      if (d === maxHops) break;
      // The next layer in order of least prefix, then the least unconditional prefixes.
      for (let i = layer; i < layerEnd; i++) {
        const x = this.queue[i] as number;
        if (!g.isPrincipal[x]) continue;
        const hops = this.hopsOf;
        hops.open(x);
        while (hops.next()) {
          const e = hops.slot;
          if ((hopTypes & (1 << (g.hopTypes[e] as number))) === 0) continue;
          if (unconditionalOnly && hops.conditional) continue;
          const y = g.hopTargets[e] as number;
          if (this.stamp[y] === round) continue;
          this.stamp[y] = round;
          this.dist[y] = d + 1;
          this.parent[y] = x;
          this.parentSlot[y] = e;
          this.rankAny[y] = tail;
          this.queue[tail++] = y;
        }
      }
      for (let i = ucLayer; i < ucLayerEnd; i++) {
        const x = this.ucQueue[i] as number;
        if (!g.isPrincipal[x]) continue;
        const hops = this.hopsOf;
        hops.open(x);
        while (hops.next()) {
          const e = hops.slot;
          if (hops.conditional || (hopTypes & (1 << (g.hopTypes[e] as number))) === 0) continue;
          const y = g.hopTargets[e] as number;
          if (this.dist[y] !== d + 1 || this.stamp[y] !== round || this.ucStamp[y] === round) continue;
          this.ucStamp[y] = round;
          this.ucParent[y] = x;
          this.ucSlot[y] = e;
          this.rankUc[y] = ucTail;
          this.ucQueue[ucTail++] = y;
        }
      }
      // Targets entered by a hop (a self-escalation into an account): routes of d + 1 hops.
      for (let i = layerEnd; i < tail; i++) {
        const y = this.queue[i] as number;
        if (g.isResource[y] && (!g.isPrincipal[y] || this.options.enteredPrincipals))
          this.considerEntered(y, d + 1, round);
      }
      layer = layerEnd;
      ucLayer = ucLayerEnd;
    }

    const reached = this.reached;
    for (let i = 0; i < reached; i++) {
      const row = this.rowOf(source, this.touched[i] as number);
      // The search ended before the last layer: both bounds give the same answer.
      if (shorter && maxHops > 0) shorter(row);
      emit(row);
    }
    return reached;
  }

  /** A route ending with access edge `a` from `x` (`conditional`: the pair edge's flag). */
  private considerAccess(x: number, a: number, conditional: number, length: number, round: number): void {
    const g = this.graph;
    const r = g.accessTargets[a] as number;
    if (this.options.resourceFilter && !this.options.resourceFilter[r]) return;
    const lv = g.accessLevels[a] as number;
    const { levels, unconditionalOnly } = this.question;
    if (levels !== 0 && (lv & levels) === 0) return;
    if (unconditionalOnly && conditional) return;
    const clean = this.ucStamp[x] === round && !conditional ? 1 : 0;
    const rank = clean ? (this.rankUc[x] as number) : (this.rankAny[x] as number);
    this.consider(r, length, dataClass(lv, levels), clean, levelStrength(lv), rank, 0, lv, x, a, round);
  }

  /** A route ending with the hop that entered target `y`. */
  private considerEntered(y: number, length: number, round: number): void {
    if (this.options.resourceFilter && !this.options.resourceFilter[y]) return;
    const clean = this.ucStamp[y] === round ? 1 : 0;
    const last = clean ? (this.ucParent[y] as number) : (this.parent[y] as number);
    const slot = clean ? (this.ucSlot[y] as number) : (this.parentSlot[y] as number);
    const rank = clean ? (this.rankUc[last] as number) : (this.rankAny[last] as number);
    // Ending edges sort before hops into the same target (ADMINISTERS before CAN_ESCALATE).
    const end = 1 + hopTypeNameRank(this.graph.hopTypes[slot] as number);
    this.consider(y, length, 0, clean, levelStrength(0), rank, end, 0, last, slot, round);
  }

  private consider(
    r: number,
    length: number,
    data: number,
    clean: number,
    strength: number,
    rank: number,
    end: number,
    lv: number,
    last: number,
    slot: number,
    round: number,
  ): void {
    const first = this.seen[r] !== round;
    if (first) {
      this.seen[r] = round;
      // A route ending with a hop (end > 0) counts that hop; one ending with access does not.
      this.firstHops[r] = end > 0 ? length : length - 1;
      this.allLevels[r] = lv;
      this.touched[this.reached++] = r;
    } else this.allLevels[r] = (this.allLevels[r] as number) | lv;
    if (first || data > (this.bestData[r] as number)) {
      // The first route, or the first (so the shortest) to the data after routes to metadata only.
      this.bestData[r] = data;
      this.bestLength[r] = length;
      this.levels[r] = lv;
      this.anyClean[r] = clean;
      this.keep(r, clean, strength, rank, end, last, slot);
      return;
    }
    if (data < (this.bestData[r] as number)) return;
    if (length !== this.bestLength[r]) return; // longer: candidates come by increasing length
    this.levels[r] = (this.levels[r] as number) | lv;
    if (clean) this.anyClean[r] = 1;
    const better =
      clean !== this.bestClean[r]
        ? clean > (this.bestClean[r] as number)
        : strength !== this.bestStrength[r]
          ? strength > (this.bestStrength[r] as number)
          : rank !== this.bestRank[r]
            ? rank < (this.bestRank[r] as number)
            : end < (this.bestEnd[r] as number);
    if (better) this.keep(r, clean, strength, rank, end, last, slot);
  }

  private keep(
    r: number,
    clean: number,
    strength: number,
    rank: number,
    end: number,
    last: number,
    slot: number,
  ) {
    this.bestClean[r] = clean;
    this.bestStrength[r] = strength;
    this.bestRank[r] = rank;
    this.bestEnd[r] = end;
    this.bestLast[r] = last;
    this.bestSlot[r] = slot;
  }

  private rowOf(source: number, r: number): RouteRow {
    const g = this.graph;
    const row = this.row;
    const clean = this.bestClean[r] === 1;
    const entered = (this.bestEnd[r] as number) > 0;
    const parent = clean ? this.ucParent : this.parent;
    const parentSlot = clean ? this.ucSlot : this.parentSlot;
    const last = this.bestLast[r] as number;
    // A route to a node at distance d has d hops, whichever of its shortest prefixes it takes.
    const hops = entered ? (this.dist[r] as number) : (this.dist[last] as number);
    const via = new Array<number>(hops);
    const slots = this.options.routes === false ? EMPTY : new Array<number>(hops);
    let i = hops - 1;
    if (entered) {
      const slot = this.bestSlot[r] as number;
      via[i] = g.hopTypes[slot] as number;
      if (slots !== EMPTY) slots[i] = slot;
      i--;
    }
    let first = r;
    for (let node = last; node !== source; node = parent[node] as number, i--) {
      const slot = parentSlot[node] as number;
      via[i] = g.hopTypes[slot] as number;
      if (slots !== EMPTY) slots[i] = slot;
      first = node;
    }
    row.principal = source;
    row.resource = r;
    row.hops = hops;
    row.minHops = this.firstHops[r] as number;
    row.levels = this.levels[r] as number;
    row.allLevels = this.allLevels[r] as number;
    row.conditional = !this.anyClean[r];
    row.slots = slots;
    row.access = entered ? -1 : (this.bestSlot[r] as number);
    row.via = via;
    row.firstHop = first;
    return row;
  }
}
