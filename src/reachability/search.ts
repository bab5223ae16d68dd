import { ACCESS_LEVELS } from '../model/properties.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';

/**
 * The pure part of the reachability summary: a compact graph (compressed sparse rows in typed
 * arrays, nodes as dense integers) and a breadth-first search from each principal over it. No
 * object is allocated per visited node or per (principal, resource) pair; a row object exists only
 * while the caller copies it out.
 */

/** Hop relationship types by code (the index in this list). */
export const HOP_TYPE_CODES: readonly string[] = HOP_TYPES;
const hopCodeByType = new Map(HOP_TYPE_CODES.map((t, i) => [t, i]));

export function hopTypeCode(type: string): number {
  const code = hopCodeByType.get(type);
  if (code === undefined) throw new Error(`not a hop relationship type: ${type}`);
  return code;
}

/** Access levels as bits (bit i = ACCESS_LEVELS[i]); unknown level names are ignored. */
export function levelMask(levels: readonly string[] | null | undefined): number {
  let mask = 0;
  for (const level of levels ?? []) {
    const bit = (ACCESS_LEVELS as readonly string[]).indexOf(level);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

const LEVEL_LISTS = Array.from({ length: 1 << ACCESS_LEVELS.length }, (_, mask) =>
  ACCESS_LEVELS.filter((_, bit) => (mask & (1 << bit)) !== 0),
);

/** The level names of a mask, in ACCESS_LEVELS order (shared arrays: do not mutate). */
export function levelList(mask: number): readonly string[] {
  return LEVEL_LISTS[mask] ?? [];
}

/** A node as the search knows it: `key` is whatever identifies it in the source (Neo4j's internal id). */
export interface NodeInput {
  key: number;
  id: string;
  principal: boolean;
  resource: boolean;
  /** A resource's scope; null for principals and unscoped resources. */
  scope: string | null;
}

export interface ReachGraph {
  readonly size: number;
  /** The source's key of each node (Neo4j's internal id), to write rows back. */
  readonly keys: Float64Array;
  /** Stable ids (the `id` property) by node index. */
  readonly ids: readonly string[];
  readonly scopes: readonly (string | null)[];
  readonly isPrincipal: Uint8Array;
  readonly isResource: Uint8Array;
  readonly hopOffsets: Int32Array;
  readonly hopTargets: Int32Array;
  readonly hopTypes: Uint8Array;
  readonly hopConditional: Uint8Array;
  readonly accessOffsets: Int32Array;
  readonly accessTargets: Int32Array;
  readonly accessLevels: Uint8Array;
  readonly accessConditional: Uint8Array;
}

/**
 * Collects nodes and edges in any order, then builds the compressed rows. Edges whose endpoint is
 * not a known node are counted and dropped: hop edges only continue a path from a principal, and
 * CAN_ACCESS edges only count into a resource, exactly like the on-demand path query.
 */
export class ReachGraphBuilder {
  private readonly indexByKey = new Map<number, number>();
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];
  private readonly scopes: (string | null)[] = [];
  private readonly principal: number[] = [];
  private readonly resource: number[] = [];
  private readonly hops: number[] = []; // from, to, type, conditional
  private readonly access: number[] = []; // from, to, levels, conditional
  dropped = 0;

  addNode(node: NodeInput): void {
    const known = this.indexByKey.get(node.key);
    if (known !== undefined) {
      // A node that is both a principal and a resource (a Lambda function, a pod) may come twice.
      if (node.principal) this.principal[known] = 1;
      if (node.resource) {
        this.resource[known] = 1;
        this.scopes[known] = node.scope;
      }
      return;
    }
    this.indexByKey.set(node.key, this.ids.length);
    this.keys.push(node.key);
    this.ids.push(node.id);
    this.scopes.push(node.resource ? node.scope : null);
    this.principal.push(node.principal ? 1 : 0);
    this.resource.push(node.resource ? 1 : 0);
  }

  indexOf(key: number): number | undefined {
    return this.indexByKey.get(key);
  }

  addHop(fromKey: number, toKey: number, typeCode: number, conditional: boolean): void {
    const from = this.indexByKey.get(fromKey);
    const to = this.indexByKey.get(toKey);
    if (from === undefined || to === undefined || !this.principal[from] || !this.principal[to]) {
      this.dropped++;
      return;
    }
    this.hops.push(from, to, typeCode, conditional ? 1 : 0);
  }

  addAccess(fromKey: number, toKey: number, levels: number, conditional: boolean): void {
    const from = this.indexByKey.get(fromKey);
    const to = this.indexByKey.get(toKey);
    if (from === undefined || to === undefined || !this.principal[from] || !this.resource[to]) {
      this.dropped++;
      return;
    }
    this.access.push(from, to, levels, conditional ? 1 : 0);
  }

  get hopCount(): number {
    return this.hops.length / 4;
  }

  get accessCount(): number {
    return this.access.length / 4;
  }

  build(): ReachGraph {
    const size = this.ids.length;
    // Hop edges of a node in target id order: the breadth-first search then picks the same
    // representative route whatever order the source returned the edges in (a refresh of an
    // unchanged graph rewrites nothing).
    const hop = compress(size, this.hops, idRanks(this.ids));
    const acc = compress(size, this.access);
    return {
      size,
      keys: Float64Array.from(this.keys),
      ids: this.ids,
      scopes: this.scopes,
      isPrincipal: Uint8Array.from(this.principal),
      isResource: Uint8Array.from(this.resource),
      hopOffsets: hop.offsets,
      hopTargets: hop.targets,
      hopTypes: hop.values,
      hopConditional: hop.conditional,
      accessOffsets: acc.offsets,
      accessTargets: acc.targets,
      accessLevels: acc.values,
      accessConditional: acc.conditional,
    };
  }
}

/** Each node's position in stable id order. */
function idRanks(ids: readonly string[]): Int32Array {
  const order = Array.from(ids.keys()).sort((a, b) => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const rank = new Int32Array(ids.length);
  order.forEach((node, position) => {
    rank[node] = position;
  });
  return rank;
}

/**
 * Edge quadruples (from, to, value, conditional) → rows by source (a counting sort, stable); with
 * `targetRank`, each row is then ordered by the rank of its targets.
 */
function compress(size: number, quads: readonly number[], targetRank?: Int32Array) {
  const count = quads.length / 4;
  const offsets = new Int32Array(size + 1);
  for (let e = 0; e < count; e++) {
    const slot = (quads[4 * e] as number) + 1;
    offsets[slot] = (offsets[slot] as number) + 1;
  }
  for (let i = 0; i < size; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const next = offsets.slice(0, size);
  const targets = new Int32Array(count);
  const values = new Uint8Array(count);
  const conditional = new Uint8Array(count);
  for (let e = 0; e < count; e++) {
    const from = quads[4 * e] as number;
    const slot = next[from] as number;
    next[from] = slot + 1;
    targets[slot] = quads[4 * e + 1] as number;
    values[slot] = quads[4 * e + 2] as number;
    conditional[slot] = quads[4 * e + 3] as number;
  }
  if (targetRank) sortRows(offsets, targets, values, conditional, targetRank);
  return { offsets, targets, values, conditional };
}

/**
 * Sorts every row by (target rank, value, conditional), a total order for the edges of one graph:
 * insertion sort for a node's few hop edges, Array#sort beyond.
 */
function sortRows(
  offsets: Int32Array,
  targets: Int32Array,
  values: Uint8Array,
  conditional: Uint8Array,
  rank: Int32Array,
): void {
  const key = (slot: number) =>
    ((rank[targets[slot] as number] as number) * 256 + (values[slot] as number)) * 2 +
    (conditional[slot] as number);
  for (let node = 0; node + 1 < offsets.length; node++) {
    const start = offsets[node] as number;
    const end = offsets[node + 1] as number;
    if (end - start < 2) continue;
    const slots = Array.from({ length: end - start }, (_, k) => start + k);
    const keys = slots.map(key);
    const order = slots.map((_, k) => k);
    if (order.length > 32) order.sort((a, b) => (keys[a] as number) - (keys[b] as number));
    else
      for (let i = 1; i < order.length; i++) {
        const k = order[i] as number;
        let j = i - 1;
        while (j >= 0 && (keys[order[j] as number] as number) > (keys[k] as number)) {
          order[j + 1] = order[j] as number;
          j--;
        }
        order[j + 1] = k;
      }
    const t = order.map((k) => targets[start + k] as number);
    const v = order.map((k) => values[start + k] as number);
    const c = order.map((k) => conditional[start + k] as number);
    targets.set(t, start);
    values.set(v, start);
    conditional.set(c, start);
  }
}

/**
 * One summary row, reused between calls: copy what you need before the next one.
 *
 * For a principal P and a resource R, with routes P -hop→ … -hop→ X -CAN_ACCESS→ R of at most
 * `maxHops` hop edges (X may be P itself):
 * - `hops`: the fewest hop edges on any route (0 = P accesses R directly);
 * - `levels`: the union of the levels of the CAN_ACCESS edges that end the routes with `hops`
 *   hop edges, i.e. of every X at hop distance `hops` from P with a CAN_ACCESS edge to R;
 * - `allLevels`: the union over every route within `maxHops` (what P can get on R at all);
 * - `conditional`: true when no route with `hops` hop edges has only unconditional edges
 *   (hops and CAN_ACCESS alike); a longer unconditional route does not make it false;
 * - `firstHop`: the node the first hop of the representative route enters (R itself for direct
 *   access); `via`: that route's hop types in order. The representative route is unconditional
 *   whenever `conditional` is false.
 */
export interface ReachRow {
  principal: number;
  resource: number;
  hops: number;
  levels: number;
  allLevels: number;
  conditional: boolean;
  firstHop: number;
  via: number[];
}

export interface SearchOptions {
  maxHops: number;
  /** Only resources with a 1 here are summarized (e.g. those of some scopes); all when absent. */
  resourceFilter?: Uint8Array;
}

/**
 * Breadth-first search from one principal at a time over the hop edges. Forward per principal
 * rather than backward per resource: every row of a principal comes out together (so writes are
 * grouped by source node), the per-search state is a handful of typed arrays reset only where
 * touched, and the work is bounded by what each principal can reach within `maxHops`.
 */
export class ReachabilitySearch {
  private readonly stamp: Int32Array;
  private readonly dist: Int32Array;
  private readonly clean: Uint8Array; // an all-unconditional shortest route reaches the node
  private readonly parent: Int32Array;
  private readonly parentType: Uint8Array;
  private readonly first: Int32Array;
  private readonly queue: Int32Array;
  private readonly seen: Int32Array; // per resource: stamp of the search that reached it
  private readonly best: Int32Array; // per resource: hop distance of its nearest accessor
  private readonly bestVia: Int32Array; // per resource: the representative accessor
  private readonly levels: Uint8Array;
  private readonly allLevels: Uint8Array;
  private readonly rowClean: Uint8Array;
  private readonly touched: Int32Array;
  private round = 0;
  private readonly row: ReachRow = {
    principal: 0,
    resource: 0,
    hops: 0,
    levels: 0,
    allLevels: 0,
    conditional: false,
    firstHop: 0,
    via: [],
  };

  constructor(
    private readonly graph: ReachGraph,
    private readonly options: SearchOptions,
  ) {
    if (!Number.isInteger(options.maxHops) || options.maxHops < 0)
      throw new Error(`maxHops must be a non-negative integer, got ${options.maxHops}`);
    const n = graph.size;
    this.stamp = new Int32Array(n);
    this.dist = new Int32Array(n);
    this.clean = new Uint8Array(n);
    this.parent = new Int32Array(n);
    this.parentType = new Uint8Array(n);
    this.first = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.best = new Int32Array(n);
    this.bestVia = new Int32Array(n);
    this.levels = new Uint8Array(n);
    this.allLevels = new Uint8Array(n);
    this.rowClean = new Uint8Array(n);
    this.touched = new Int32Array(n);
  }

  /** Calls `emit` once per resource the principal reaches; returns how many. */
  fromPrincipal(source: number, emit: (row: Readonly<ReachRow>) => void): number {
    const g = this.graph;
    if (!g.isPrincipal[source]) return 0;
    const round = ++this.round;
    const { maxHops, resourceFilter } = this.options;
    let head = 0;
    let tail = 0;
    let reached = 0;
    this.visit(source, 0, -1, 0, 1, round);
    this.first[source] = -1;
    this.queue[tail++] = source;

    while (head < tail) {
      const x = this.queue[head++] as number;
      const d = this.dist[x] as number;
      const xClean = this.clean[x] as number;

      // Every CAN_ACCESS edge of x ends a route with d hops; BFS order makes the first d the least.
      for (let e = g.accessOffsets[x] as number, end = g.accessOffsets[x + 1] as number; e < end; e++) {
        const r = g.accessTargets[e] as number;
        if (resourceFilter && !resourceFilter[r]) continue;
        const lv = g.accessLevels[e] as number;
        const routeClean = xClean && !g.accessConditional[e] ? 1 : 0;
        if (this.seen[r] !== round) {
          this.seen[r] = round;
          this.best[r] = d;
          this.bestVia[r] = x;
          this.levels[r] = lv;
          this.allLevels[r] = lv;
          this.rowClean[r] = routeClean;
          this.touched[reached++] = r;
        } else {
          this.allLevels[r] = (this.allLevels[r] as number) | lv;
          if (this.best[r] === d) {
            this.levels[r] = (this.levels[r] as number) | lv;
            if (routeClean && !this.rowClean[r]) {
              this.rowClean[r] = 1;
              this.bestVia[r] = x;
            }
          }
        }
      }

      if (d === maxHops) continue;
      for (let e = g.hopOffsets[x] as number, end = g.hopOffsets[x + 1] as number; e < end; e++) {
        const y = g.hopTargets[e] as number;
        const edgeClean = xClean && !g.hopConditional[e] ? 1 : 0;
        if (this.stamp[y] !== round) {
          this.visit(y, d + 1, x, g.hopTypes[e] as number, edgeClean, round);
          this.first[y] = x === source ? y : (this.first[x] as number);
          this.queue[tail++] = y;
        } else if (this.dist[y] === d + 1 && edgeClean && !this.clean[y]) {
          // Same length, but unconditional: prefer it as y's representative route.
          this.clean[y] = 1;
          this.parent[y] = x;
          this.parentType[y] = g.hopTypes[e] as number;
          this.first[y] = x === source ? y : (this.first[x] as number);
        }
      }
    }

    const row = this.row;
    for (let i = 0; i < reached; i++) {
      const r = this.touched[i] as number;
      const x = this.bestVia[r] as number;
      row.principal = source;
      row.resource = r;
      row.hops = this.best[r] as number;
      row.levels = this.levels[r] as number;
      row.allLevels = this.allLevels[r] as number;
      row.conditional = !this.rowClean[r];
      row.firstHop = row.hops === 0 ? r : (this.first[x] as number);
      row.via = this.routeTypes(x, row.hops);
      emit(row);
    }
    return reached;
  }

  private visit(node: number, dist: number, parent: number, type: number, clean: number, round: number) {
    this.stamp[node] = round;
    this.dist[node] = dist;
    this.parent[node] = parent;
    this.parentType[node] = type;
    this.clean[node] = clean;
  }

  /** Hop type codes from the source to `x` along the representative parents. */
  private routeTypes(x: number, hops: number): number[] {
    const via = new Array<number>(hops);
    let node = x;
    for (let i = hops - 1; i >= 0; i--) {
      via[i] = this.parentType[node] as number;
      node = this.parent[node] as number;
    }
    return via;
  }
}
