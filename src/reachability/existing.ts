import type { HopGraph as ReachGraph } from '../answers/hop-graph.js';
import type { RouteRow } from '../answers/route-search.js';

/** What a summary row keeps of a route row. */
type ReachRow = Omit<RouteRow, 'slots' | 'access'>;

/**
 * The REACHES rows already in the graph, by source principal (compressed rows in typed arrays), and
 * the comparison of each new row with them: a row is created, updated (its properties changed), or
 * left as it is (unchanged); an old row no new row confirms is stale. Comparing through a digest
 * of the properties means a refresh reads one number per old row and rewrites only what changed.
 */

export class ExistingRowsBuilder {
  // source key, target key, rel id, digest; the keys are resolved by build(), once the graph numbers
  // every node (a Grant hub's row gets its index only then).
  private readonly raw: number[] = [];
  private readonly quads: number[] = []; // source index, target index (-1: not a resource now), rel id, digest
  dropped = 0;

  constructor(private readonly indexOf: (key: number) => number | undefined) {}

  add(sourceKey: number, targetKey: number, relationship: number, digest: number): void {
    this.raw.push(sourceKey, targetKey, relationship, digest);
  }

  get count(): number {
    return (this.raw.length + this.quads.length) / 4;
  }

  build(size: number): ExistingRows {
    for (let e = 0; e < this.raw.length; e += 4) {
      const source = this.indexOf(this.raw[e] as number);
      if (source === undefined) {
        this.dropped++;
        continue;
      }
      this.quads.push(
        source,
        this.indexOf(this.raw[e + 1] as number) ?? -1,
        this.raw[e + 2] as number,
        this.raw[e + 3] as number,
      );
    }
    this.raw.length = 0;
    const count = this.quads.length / 4;
    const offsets = new Int32Array(size + 1);
    for (let e = 0; e < count; e++) {
      const slot = (this.quads[4 * e] as number) + 1;
      offsets[slot] = (offsets[slot] as number) + 1;
    }
    for (let i = 0; i < size; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
    const next = offsets.slice(0, size);
    const targets = new Int32Array(count);
    const relationships = new Float64Array(count);
    const digests = new Int32Array(count);
    for (let e = 0; e < count; e++) {
      const source = this.quads[4 * e] as number;
      const slot = next[source] as number;
      next[source] = slot + 1;
      targets[slot] = this.quads[4 * e + 1] as number;
      relationships[slot] = this.quads[4 * e + 2] as number;
      digests[slot] = this.quads[4 * e + 3] as number;
    }
    return { offsets, targets, relationships, digests };
  }
}

export interface ExistingRows {
  offsets: Int32Array;
  targets: Int32Array;
  relationships: Float64Array;
  digests: Int32Array;
}

export type RowChange =
  | { kind: 'create' }
  | { kind: 'update'; relationship: number }
  | { kind: 'unchanged'; relationship: number };

/** Matches the rows of one principal at a time against the old rows; then names the stale ones. */
export class RowMatcher {
  private readonly slotOf: Int32Array;
  private readonly slotRound: Int32Array;
  private readonly confirmed: Uint8Array;
  private round = 0;
  private current = -1;

  constructor(
    private readonly existing: ExistingRows,
    size: number,
  ) {
    this.slotOf = new Int32Array(size);
    this.slotRound = new Int32Array(size);
    this.confirmed = new Uint8Array(existing.targets.length);
  }

  /** How a new row relates to the old ones; rows of one principal must come together. */
  match(row: Readonly<Pick<ReachRow, 'principal' | 'resource'>>, digest: number): RowChange {
    if (row.principal !== this.current) this.begin(row.principal);
    if (this.slotRound[row.resource] !== this.round) return { kind: 'create' };
    const slot = this.slotOf[row.resource] as number;
    this.confirmed[slot] = 1;
    const relationship = this.existing.relationships[slot] as number;
    return this.existing.digests[slot] === digest
      ? { kind: 'unchanged', relationship }
      : { kind: 'update', relationship };
  }

  /**
   * Old rows no new row confirmed. With a resource filter (some scopes only), rows into resources
   * outside it are kept; rows into a node that is no longer a resource are stale only without one.
   */
  stale(resourceFilter?: Uint8Array): number[] {
    const out: number[] = [];
    const { targets, relationships } = this.existing;
    for (let slot = 0; slot < targets.length; slot++) {
      if (this.confirmed[slot]) continue;
      const target = targets[slot] as number;
      if (resourceFilter && (target < 0 || !resourceFilter[target])) continue;
      out.push(relationships[slot] as number);
    }
    return out;
  }

  private begin(principal: number): void {
    this.current = principal;
    this.round++;
    const { offsets, targets } = this.existing;
    for (let slot = offsets[principal] as number; slot < (offsets[principal + 1] as number); slot++) {
      const target = targets[slot] as number;
      if (target < 0) continue;
      // A duplicate old row (two REACHES between one pair) keeps the first; the other goes as stale.
      if (this.slotRound[target] === this.round) continue;
      this.slotRound[target] = this.round;
      this.slotOf[target] = slot;
    }
  }
}

/**
 * The row shape the digest describes: a change of what a row stores changes every digest, so the
 * next computation rewrites the rows an older version wrote.
 */
const ROW_SHAPE = 3;

/** FNV-1a over the row's stored properties (ids hashed once per node), as a signed 32-bit integer. */
export class RowDigest {
  private readonly idHash: Int32Array;

  constructor(
    graph: ReachGraph,
    private readonly maxHops: number,
  ) {
    this.idHash = Int32Array.from(graph.ids, hashString);
  }

  of(row: Readonly<ReachRow>): number {
    let h = 0x811c9dc5 | 0;
    const mix = (n: number) => {
      h = Math.imul(h ^ (n | 0), 0x01000193);
    };
    mix(ROW_SHAPE);
    mix(row.hops);
    mix(row.minHops);
    mix(row.levels);
    mix(row.allLevels);
    mix(row.conditional ? 1 : 0);
    mix(this.idHash[row.firstHop] as number);
    mix(this.maxHops);
    mix(row.via.length);
    for (const code of row.via) mix(code);
    return h | 0;
  }
}

export function hashString(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
