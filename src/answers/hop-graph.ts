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
  /**
   * Grant hubs (model/grants.ts): nodes `hubStart` … `size - 1` are hub rows, one per (Grant, type),
   * neither principal nor resource, so no route stops at one. A hub row's target legs are its hop
   * row (a hop type) or its ending row (the ending type), in tie order like any node's. A node's
   * member legs are listed apart, by source: the hub row they enter and the leg's conditional flag.
   * A route through a hub is ONE edge, the pair edge member → target; the search merges a node's
   * own row with its hubs' rows in tie order as it goes (`RowCursor`), so the product of members and
   * targets is never stored.
   */
  readonly hubStart: number;
  readonly hopMemberOffsets: Int32Array;
  readonly hopMemberHubs: Int32Array;
  readonly hopMemberConditional: Uint8Array;
  readonly accessMemberOffsets: Int32Array;
  readonly accessMemberHubs: Int32Array;
  readonly accessMemberConditional: Uint8Array;
  /** Each node's position in stable id order (the tie order's first key). */
  readonly ranks: Int32Array;
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
  private readonly grantIds = new Map<number, string>();
  private readonly memberLegs: number[] = []; // from, grant key, type code (-1 = ending), conditional
  private readonly hubHops: number[] = []; // grant key, to, type code, conditional
  private readonly hubAccess: number[] = []; // grant key, to, levels, conditional
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
    if (!this.acts(from) || !this.hopEnters(to)) {
      this.dropped++;
      return;
    }
    this.hops.push(from, to, typeCode, conditional ? 1 : 0);
  }

  addAccess(fromKey: number, toKey: number, levels: number, conditional: boolean): void {
    const from = this.indexByKey.get(fromKey);
    const to = this.indexByKey.get(toKey);
    if (!this.acts(from) || !this.ends(to)) {
      this.dropped++;
      return;
    }
    this.access.push(from, to, levels, conditional ? 1 : 0);
  }

  /** A Grant hub (by its source's key), so routes through it can name it. */
  addGrant(key: number, id: string): void {
    this.grantIds.set(key, id);
  }

  /**
   * A member leg: principal `fromKey` → the Grant `grantKey`, with a hop type code, or `ENDING_LEG`
   * for the ending type (CAN_ACCESS, ADMINISTERS). Kept only if the member is a principal.
   */
  addMemberLeg(fromKey: number, grantKey: number, typeCode: number, conditional: boolean): void {
    const from = this.indexByKey.get(fromKey);
    if (!this.acts(from) || !this.grantIds.has(grantKey)) {
      this.dropped++;
      return;
    }
    this.memberLegs.push(from, grantKey, typeCode, conditional ? 1 : 0);
  }

  /** A hub's target leg of a hop type: the same endpoint rule as `addHop`'s target. */
  addHubHop(grantKey: number, toKey: number, typeCode: number, conditional: boolean): void {
    const to = this.indexByKey.get(toKey);
    if (!this.hopEnters(to) || !this.grantIds.has(grantKey)) {
      this.dropped++;
      return;
    }
    this.hubHops.push(grantKey, to, typeCode, conditional ? 1 : 0);
  }

  /** A hub's target leg of the ending type: the same endpoint rule as `addAccess`'s target. */
  addHubAccess(grantKey: number, toKey: number, levels: number, conditional: boolean): void {
    const to = this.indexByKey.get(toKey);
    if (!this.ends(to) || !this.grantIds.has(grantKey)) {
      this.dropped++;
      return;
    }
    this.hubAccess.push(grantKey, to, levels, conditional ? 1 : 0);
  }

  /** A route may leave this node (a principal). */
  private acts(node: number | undefined): node is number {
    return node !== undefined && this.principal[node] === 1;
  }

  /** A hop may enter this node: a principal, or a resource when hops may end routes. */
  private hopEnters(node: number | undefined): node is number {
    return (
      node !== undefined &&
      (this.principal[node] === 1 || (this.options.endingHops === true && this.resource[node] === 1))
    );
  }

  /** An ending edge may enter this node (a resource). */
  private ends(node: number | undefined): node is number {
    return node !== undefined && this.resource[node] === 1;
  }

  get hopCount(): number {
    return this.hops.length / 4;
  }

  get accessCount(): number {
    return this.access.length / 4;
  }

  build(): HopGraph {
    const hubStart = this.ids.length;
    // One hub row per (Grant, type) that has both members and targets; a leg without its other
    // side stands for no pair edge.
    const hubIndex = new Map<string, number>();
    const keys = [...this.keys];
    const ids = [...this.ids];
    const hubOf = (grantKey: number, typeCode: number) => `${grantKey} ${typeCode}`;
    const targetsOf = new Set<string>();
    for (let i = 0; i < this.hubHops.length; i += 4)
      targetsOf.add(hubOf(this.hubHops[i] as number, this.hubHops[i + 2] as number));
    for (let i = 0; i < this.hubAccess.length; i += 4)
      targetsOf.add(hubOf(this.hubAccess[i] as number, ENDING_LEG));
    const hopMembers: number[] = [];
    const accessMembers: number[] = [];
    for (let i = 0; i < this.memberLegs.length; i += 4) {
      const grantKey = this.memberLegs[i + 1] as number;
      const typeCode = this.memberLegs[i + 2] as number;
      const key = hubOf(grantKey, typeCode);
      if (!targetsOf.has(key)) continue;
      let hub = hubIndex.get(key);
      if (hub === undefined) {
        hub = ids.length;
        hubIndex.set(key, hub);
        keys.push(grantKey);
        ids.push(this.grantIds.get(grantKey) as string);
      }
      (typeCode === ENDING_LEG ? accessMembers : hopMembers).push(
        this.memberLegs[i] as number,
        hub,
        typeCode,
        this.memberLegs[i + 3] as number,
      );
    }
    const size = ids.length;
    const hops = [...this.hops];
    for (let i = 0; i < this.hubHops.length; i += 4) {
      const hub = hubIndex.get(hubOf(this.hubHops[i] as number, this.hubHops[i + 2] as number));
      if (hub !== undefined)
        hops.push(
          hub,
          this.hubHops[i + 1] as number,
          this.hubHops[i + 2] as number,
          this.hubHops[i + 3] as number,
        );
    }
    const access = [...this.access];
    for (let i = 0; i < this.hubAccess.length; i += 4) {
      const hub = hubIndex.get(hubOf(this.hubAccess[i] as number, ENDING_LEG));
      if (hub !== undefined)
        access.push(
          hub,
          this.hubAccess[i + 1] as number,
          this.hubAccess[i + 2] as number,
          this.hubAccess[i + 3] as number,
        );
    }
    const principal = Uint8Array.from({ length: size }, (_, i) =>
      i < hubStart ? (this.principal[i] as number) : 0,
    );
    const resource = Uint8Array.from({ length: size }, (_, i) =>
      i < hubStart ? (this.resource[i] as number) : 0,
    );
    // Each node's hop edges in tie order, so the search meets equally short routes in the route
    // rule's order whatever order the source returned the edges in.
    const ranks = idRanks(ids);
    const hop = compress(size, hops, ranks, hopTypeNameRank);
    const acc = compress(size, access, ranks, (levels) => levels);
    const hopMember = members(size, hopMembers);
    const accessMember = members(size, accessMembers);
    return {
      size,
      keys: Float64Array.from(keys),
      ids,
      scopes: [...this.scopes, ...Array.from({ length: size - hubStart }, () => null)],
      isPrincipal: principal,
      isResource: resource,
      hopOffsets: hop.offsets,
      hopTargets: hop.targets,
      hopTypes: hop.values,
      hopConditional: hop.conditional,
      accessOffsets: acc.offsets,
      accessTargets: acc.targets,
      accessLevels: acc.values,
      accessConditional: acc.conditional,
      hubStart,
      hopMemberOffsets: hopMember.offsets,
      hopMemberHubs: hopMember.targets,
      hopMemberConditional: hopMember.conditional,
      accessMemberOffsets: accessMember.offsets,
      accessMemberHubs: accessMember.targets,
      accessMemberConditional: accessMember.conditional,
      ranks,
    };
  }
}

/** The type code of a member leg of the ending type (CAN_ACCESS, ADMINISTERS). */
export const ENDING_LEG = 255;

/** Member legs (from, hub, type, conditional) → rows by source; their order does not matter. */
function members(size: number, quads: readonly number[]) {
  return compress(size, quads, new Int32Array(size), () => 0);
}

/** The hub row a hop slot belongs to, or -1 for a node's own edge. */
export function hopHubOf(graph: HopGraph, slot: number): number {
  return hubOfSlot(graph, graph.hopOffsets, slot);
}

/** The hub row an ending-edge slot belongs to, or -1 for a node's own edge. */
export function accessHubOf(graph: HopGraph, slot: number): number {
  return hubOfSlot(graph, graph.accessOffsets, slot);
}

function hubOfSlot(graph: HopGraph, offsets: Int32Array, slot: number): number {
  if (slot < (offsets[graph.hubStart] as number)) return -1;
  let lo = graph.hubStart;
  let hi = graph.size - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] as number) <= slot) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A node's hop edges or ending edges, its own and those through its hubs, as one row in tie order
 * (target rank, value rank, conditional): each hub row is in that order and its member leg's flag
 * is the same for all of it, so a merge of the node's row and its hubs' rows is the row the node
 * would have with every pair edge stored. `conditional` is the pair edge's: the member leg's or the
 * target leg's. One cursor per search, reused: no allocation per node.
 */
export class RowCursor {
  slot = -1;
  conditional = 0;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly flags: number[] = [];
  private heads = 0;
  private single = true;
  private end = 0;

  constructor(
    private readonly graph: HopGraph,
    private readonly ending: boolean,
  ) {}

  open(x: number): void {
    const g = this.graph;
    const offsets = this.ending ? g.accessOffsets : g.hopOffsets;
    const memberOffsets = this.ending ? g.accessMemberOffsets : g.hopMemberOffsets;
    const mStart = memberOffsets[x] as number;
    const mEnd = memberOffsets[x + 1] as number;
    if (mStart === mEnd) {
      // No hubs: the node's own row, as stored.
      this.single = true;
      this.slot = (offsets[x] as number) - 1;
      this.end = offsets[x + 1] as number;
      return;
    }
    this.single = false;
    const hubs = this.ending ? g.accessMemberHubs : g.hopMemberHubs;
    const flags = this.ending ? g.accessMemberConditional : g.hopMemberConditional;
    this.starts[0] = offsets[x] as number;
    this.ends[0] = offsets[x + 1] as number;
    this.flags[0] = 0;
    let k = 1;
    for (let m = mStart; m < mEnd; m++) {
      const hub = hubs[m] as number;
      this.starts[k] = offsets[hub] as number;
      this.ends[k] = offsets[hub + 1] as number;
      this.flags[k] = flags[m] as number;
      k++;
    }
    this.heads = k;
  }

  next(): boolean {
    if (this.single) {
      this.slot++;
      if (this.slot >= this.end) return false;
      this.conditional = (this.ending ? this.graph.accessConditional : this.graph.hopConditional)[
        this.slot
      ] as number;
      return true;
    }
    let best = -1;
    let bestKey = 0;
    for (let k = 0; k < this.heads; k++) {
      const slot = this.starts[k] as number;
      if (slot >= (this.ends[k] as number)) continue;
      const key = this.keyOf(slot, this.flags[k] as number);
      if (best < 0 || key < bestKey) {
        best = k;
        bestKey = key;
      }
    }
    if (best < 0) return false;
    const slot = this.starts[best] as number;
    this.starts[best] = slot + 1;
    this.slot = slot;
    this.conditional = bestKey % 2;
    return true;
  }

  private keyOf(slot: number, memberFlag: number): number {
    const g = this.graph;
    if (this.ending)
      return (
        ((g.ranks[g.accessTargets[slot] as number] as number) * 256 + (g.accessLevels[slot] as number)) * 2 +
        ((g.accessConditional[slot] as number) | memberFlag)
      );
    return (
      ((g.ranks[g.hopTargets[slot] as number] as number) * 256 +
        hopTypeNameRank(g.hopTypes[slot] as number)) *
        2 +
      ((g.hopConditional[slot] as number) | memberFlag)
    );
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
