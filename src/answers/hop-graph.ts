import { HOP_TYPE_CODES } from '../reachability/codes.js';

/**
 * The graph every route is searched on: nodes as dense integers, hop edges (identity → identity)
 * and ending edges (identity → what a route ends at: CAN_ACCESS into a resource, ADMINISTERS into
 * an account) as compressed sparse rows in typed arrays. No object per node or edge, so a graph
 * of a million edges stays small and is searched fast. It is built from whatever holds the edges:
 * Neo4j (read once for the summary and the reports, or the neighbourhood of one pair) or an
 * Inventory in memory (`query --snapshot`).
 */

/** A node as the builder knows it: `key` is whatever identifies it in the source (Neo4j's internal id). */
export interface NodeInput {
  key: number;
  id: string;
  /** A route may pass through it (it can act). */
  principal: boolean;
  /** A route may end at it. */
  resource: boolean;
  /** A resource's scope; null for principals and unscoped resources. */
  scope: string | null;
}

export interface HopGraph {
  readonly size: number;
  /** The source's key of each node (Neo4j's internal id), to write rows and read edges back. */
  readonly keys: Float64Array;
  /** Stable ids (the `id` property) by node index. */
  readonly ids: readonly string[];
  readonly scopes: readonly (string | null)[];
  readonly isPrincipal: Uint8Array;
  readonly isResource: Uint8Array;
  /** Hop edges by source, each row in the route rule's tie order (target id, then type name). */
  readonly hopOffsets: Int32Array;
  readonly hopTargets: Int32Array;
  readonly hopTypes: Uint8Array;
  readonly hopConditional: Uint8Array;
  /** Ending edges by source: their level masks (0 for ADMINISTERS) and conditional flags. */
  readonly accessOffsets: Int32Array;
  readonly accessTargets: Int32Array;
  readonly accessLevels: Uint8Array;
  readonly accessConditional: Uint8Array;
}

export interface BuilderOptions {
  /**
   * Hop edges may enter a node that is only a resource, ending the route there (a self-escalation:
   * CAN_ESCALATE into an account). Otherwise a hop edge only continues a route between principals.
   */
  endingHops?: boolean;
}

/**
 * Collects nodes and edges in any order, then builds the compressed rows. Edges whose endpoints do
 * not fit (unknown nodes, a hop out of a non-principal, an ending edge into a non-resource) are
 * counted in `dropped` and left out, exactly as the bounded path patterns would never use them.
 */
export class HopGraphBuilder {
  private readonly indexByKey = new Map<number, number>();
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];
  private readonly scopes: (string | null)[] = [];
  private readonly principal: number[] = [];
  private readonly resource: number[] = [];
  private readonly hops: number[] = []; // from, to, type, conditional
  private readonly access: number[] = []; // from, to, levels, conditional
  dropped = 0;

  constructor(private readonly options: BuilderOptions = {}) {}

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
    const enters =
      to !== undefined && (this.principal[to] || (this.options.endingHops === true && this.resource[to]));
    if (from === undefined || to === undefined || !this.principal[from] || !enters) {
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

  build(): HopGraph {
    const size = this.ids.length;
    // Each node's hop edges in tie order, so the search meets equally short routes in the route
    // rule's order whatever order the source returned the edges in.
    const ranks = idRanks(this.ids);
    const hop = compress(size, this.hops, ranks, hopTypeNameRank);
    const acc = compress(size, this.access, ranks, (levels) => levels);
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

/** Hop type codes ranked by type name: the tie order between parallel hops. */
const TYPE_NAME_RANK = (() => {
  const sorted = [...HOP_TYPE_CODES].sort();
  return Uint8Array.from(HOP_TYPE_CODES, (t) => sorted.indexOf(t));
})();

export function hopTypeNameRank(code: number): number {
  return TYPE_NAME_RANK[code] ?? 0;
}

/**
 * Edge quadruples (from, to, value, conditional) → rows by source (a counting sort), each row then
 * ordered by (target rank, value rank, conditional): the same graph gives the same rows whatever
 * order its edges came in.
 */
function compress(
  size: number,
  quads: readonly number[],
  targetRank: Int32Array,
  valueRank: (value: number) => number,
) {
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
  sortRows(offsets, targets, values, conditional, targetRank, valueRank);
  return { offsets, targets, values, conditional };
}

/** Sorts every row: insertion sort for a node's few edges, Array#sort beyond. */
function sortRows(
  offsets: Int32Array,
  targets: Int32Array,
  values: Uint8Array,
  conditional: Uint8Array,
  rank: Int32Array,
  valueRank: (value: number) => number,
): void {
  const key = (slot: number) =>
    ((rank[targets[slot] as number] as number) * 256 + valueRank(values[slot] as number)) * 2 +
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
