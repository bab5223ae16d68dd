/**
 * The can-access family's decided pairs as later families read them (`DerivedFacts.access`): per
 * principal, the levels and actions it holds on each resource ARN. A dense account holds some
 * thousand pairs a principal, so a pair is two numbers, not a map entry: the ARN's place in a table
 * of ARNs and the summary's place in a table of summaries (both shared by every principal; a
 * summary is one interned object per distinct levels/actions list, `Grant.sides`).
 */

/** Levels and actions of one CAN_ACCESS pair (interned arrays, never mutated). */
export interface AccessSummary {
  levels: string[];
  actions: string[];
}

/** Values numbered in the order first seen: a pair holds the numbers, the table the values. */
class IdTable<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<T, number>();

  /** The value's id, numbering it when new. */
  idOf(value: T): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The value's id, undefined when never numbered. */
  find(value: T): number | undefined {
    return this.ids.get(value);
  }
}

/** The ARNs and summaries the principals' pairs point into. */
class Tables {
  readonly arns = new IdTable<string>();
  readonly summaries = new IdTable<AccessSummary>();
}

type Ids = Uint16Array | Int32Array;

/**
 * One principal's pairs: ARN ids in ascending order, each with its summary's id. Read like a map
 * from ARN to summary (iterated in the order of the ids, not the order decided).
 */
export class PrincipalAccess implements ReadonlyMap<string, AccessSummary> {
  constructor(
    private readonly tables: Tables,
    private readonly arnIds: Int32Array,
    private readonly summaryIds: Ids,
  ) {}

  get size(): number {
    return this.arnIds.length;
  }

  get(arn: string): AccessSummary | undefined {
    const at = this.indexOf(arn);
    return at < 0 ? undefined : this.tables.summaries.values[this.summaryIds[at] as number];
  }

  has(arn: string): boolean {
    return this.indexOf(arn) >= 0;
  }

  *entries(): MapIterator<[string, AccessSummary]> {
    for (let i = 0; i < this.arnIds.length; i++)
      yield [
        this.tables.arns.values[this.arnIds[i] as number] as string,
        this.tables.summaries.values[this.summaryIds[i] as number] as AccessSummary,
      ];
  }

  *keys(): MapIterator<string> {
    for (const [arn] of this.entries()) yield arn;
  }

  *values(): MapIterator<AccessSummary> {
    for (const [, summary] of this.entries()) yield summary;
  }

  [Symbol.iterator](): MapIterator<[string, AccessSummary]> {
    return this.entries();
  }

  forEach(
    callback: (value: AccessSummary, key: string, map: ReadonlyMap<string, AccessSummary>) => void,
  ): void {
    for (const [arn, summary] of this.entries()) callback(summary, arn, this);
  }

  /** This principal's pairs with `pairs` added (a pair on an ARN already held replaces it). */
  with(pairs: Iterable<{ arn: string; summary: AccessSummary }>): PrincipalAccess {
    const added: [number, number][] = [];
    for (const { arn, summary } of pairs)
      added.push([this.tables.arns.idOf(arn), this.tables.summaries.idOf(summary)]);
    if (added.length === 0) return this;
    // The last pair on an ARN wins, as a map's set would.
    added.sort((a, b) => a[0] - b[0]);
    const arnIds: number[] = [];
    const summaryIds: number[] = [];
    let i = 0;
    let j = 0;
    const old = this.arnIds;
    while (i < old.length || j < added.length) {
      const next = added[j];
      const oldId = i < old.length ? (old[i] as number) : Number.POSITIVE_INFINITY;
      if (next && next[0] <= oldId) {
        // Every pair of `added` on this id: the last one stands.
        let last = next;
        while (j + 1 < added.length && (added[j + 1] as [number, number])[0] === next[0])
          last = added[++j] as [number, number];
        j++;
        if (next[0] === oldId) i++;
        arnIds.push(last[0]);
        summaryIds.push(last[1]);
      } else {
        arnIds.push(oldId);
        summaryIds.push(this.summaryIds[i] as number);
        i++;
      }
    }
    const ids =
      this.tables.summaries.values.length <= 0x10000
        ? Uint16Array.from(summaryIds)
        : Int32Array.from(summaryIds);
    return new PrincipalAccess(this.tables, Int32Array.from(arnIds), ids);
  }

  private indexOf(arn: string): number {
    const id = this.tables.arns.find(arn);
    if (id === undefined) return -1;
    let low = 0;
    let high = this.arnIds.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.arnIds[mid] as number;
      if (at === id) return mid;
      if (at < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
}

/** Every principal's pairs, by principal id; `record` adds a principal's pairs of one resource type. */
export class AccessFacts {
  private readonly tables = new Tables();
  private readonly empty = new PrincipalAccess(this.tables, new Int32Array(0), new Uint16Array(0));
  private readonly byPrincipal = new Map<string, PrincipalAccess>();

  get(principalId: string): PrincipalAccess | undefined {
    return this.byPrincipal.get(principalId);
  }

  /** The principal's pairs, none when nothing was recorded for it. */
  of(principalId: string): PrincipalAccess {
    return this.byPrincipal.get(principalId) ?? this.empty;
  }

  set(principalId: string, access: PrincipalAccess): void {
    this.byPrincipal.set(principalId, access);
  }

  record(principalId: string, pairs: Iterable<{ arn: string; summary: AccessSummary }>): void {
    this.byPrincipal.set(principalId, this.of(principalId).with(pairs));
  }

  get size(): number {
    return this.byPrincipal.size;
  }

  [Symbol.iterator](): MapIterator<[string, PrincipalAccess]> {
    return this.byPrincipal.entries();
  }
}
