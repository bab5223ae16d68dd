import type { HopGraph as ReachGraph } from '../answers/hop-graph.js';
import type { RouteRow } from '../answers/route-search.js';
import { type CypherFile, cypherFile } from '../graph/cypher-files.js';
import { BATCH_ACQUISITION_RETRIES, type GraphExecutor } from '../graph/executor.js';
import { asIs } from '../graph/values.js';
import { encodeVia } from './codes.js';
import type { RowChange } from './existing.js';

/** What a summary row keeps of a route row. */
type ReachRow = Omit<RouteRow, 'slots' | 'access'>;

export interface WriteStamp {
  /** firstSeen of the rows this computation creates. */
  now: unknown;
  runId: string;
  maxHops: number;
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Rows of one kind, as columns (row i is element i of every list). Columns are sent `asIs`: numbers
 * travel as floats (no Integer object each; the Cypher converts them) and nothing is walked again.
 * A batch names each first-hop node once and rows refer to it by position.
 */
class Columns {
  principals: number[] = [];
  resources: number[] = [];
  relationships: number[] = [];
  hops: number[] = [];
  minHops: number[] = [];
  levelMasks: number[] = [];
  allLevelMasks: number[] = [];
  viaCodes: number[] = [];
  conditional: boolean[] = [];
  firstHops: number[] = [];
  firstHopIds: string[] = [];
  digests: number[] = [];
  private readonly firstHopSlot = new Map<number, number>();

  get size(): number {
    return this.hops.length;
  }

  push(graph: ReachGraph, row: Readonly<ReachRow>, digest: number): void {
    this.hops.push(row.hops);
    this.minHops.push(row.minHops);
    this.levelMasks.push(row.levels);
    this.allLevelMasks.push(row.allLevels);
    this.viaCodes.push(encodeVia(row.via));
    this.conditional.push(row.conditional);
    let slot = this.firstHopSlot.get(row.firstHop);
    if (slot === undefined) {
      slot = this.firstHopIds.length;
      this.firstHopSlot.set(row.firstHop, slot);
      this.firstHopIds.push(graph.ids[row.firstHop] as string);
    }
    this.firstHops.push(slot);
    this.digests.push(digest);
  }

  params(): Record<string, unknown> {
    return {
      hops: asIs(this.hops),
      minHops: asIs(this.minHops),
      levelMasks: asIs(this.levelMasks),
      allLevelMasks: asIs(this.allLevelMasks),
      viaCodes: asIs(this.viaCodes),
      conditional: asIs(this.conditional),
      firstHops: asIs(this.firstHops),
      firstHopIds: asIs(this.firstHopIds),
      digests: asIs(this.digests),
    };
  }
}

/**
 * Sends batches while the search goes on: up to `concurrency` transactions are in flight, so Neo4j
 * writes on every core while Node computes the next batch. New rows are created, changed rows
 * rewritten, unchanged rows left alone (nothing is sent for them). Batches never share a row; two may lock the same resource
 * node, and a deadlock between them is a transient error the driver retries. The first failed write
 * is thrown by the next `drain` or by `flush`, and nothing is sent after it.
 */
/**
 * With writes in flight, the search gives the event loop a turn at least this often (ms): a driver
 * opening a connection or reading a commit's answer needs the loop, and a search that never lets it
 * run makes the writes wait until their connection's acquisition times out.
 */
export const YIELD_EVERY_MS = 20;

/** Delegations (REACHES_AS, delegation.ts) of one kind, as columns. */
class DelegationColumns {
  principals: number[] = [];
  delegates: number[] = [];
  relationships: number[] = [];
  viaDigits: number[] = [];
  conditional: boolean[] = [];
  digests: number[] = [];
}

export class ReachesWriter {
  private create = new Columns();
  private update = new Columns();
  private createDelegations = new DelegationColumns();
  private updateDelegations = new DelegationColumns();
  readonly delegationCounts: WriteCounts = { created: 0, updated: 0, unchanged: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private batches = 0;
  private lastYield = Date.now();
  readonly counts: WriteCounts = { created: 0, updated: 0, unchanged: 0 };

  constructor(
    private readonly executor: GraphExecutor,
    private readonly graph: ReachGraph,
    private readonly stamp: WriteStamp,
    private readonly batchSize: number,
    private readonly concurrency: number,
  ) {}

  get written(): number {
    return this.counts.created + this.counts.updated + this.counts.unchanged;
  }

  push(row: Readonly<ReachRow>, digest: number, change: RowChange): void {
    if (change.kind === 'create') {
      this.create.principals.push(this.graph.keys[row.principal] as number);
      this.create.resources.push(this.graph.keys[row.resource] as number);
      this.create.push(this.graph, row, digest);
    } else if (change.kind === 'update') {
      this.update.relationships.push(change.relationship);
      this.update.push(this.graph, row, digest);
    } else {
      this.counts.unchanged++;
    }
  }

  /** One delegation: `principal`'s rows are `delegate`'s, one hop longer (delegation.ts). */
  pushDelegation(
    principal: number,
    delegate: number,
    viaDigit: number,
    conditional: boolean,
    digest: number,
    change: RowChange,
  ): void {
    if (change.kind === 'unchanged') {
      this.delegationCounts.unchanged++;
      return;
    }
    const c = change.kind === 'create' ? this.createDelegations : this.updateDelegations;
    if (change.kind === 'create') {
      c.principals.push(this.graph.keys[principal] as number);
      c.delegates.push(this.graph.keys[delegate] as number);
    } else c.relationships.push(change.relationship);
    c.viaDigits.push(viaDigit);
    c.conditional.push(conditional);
    c.digests.push(digest);
  }

  get delegationsWritten(): number {
    const d = this.delegationCounts;
    return d.created + d.updated + d.unchanged;
  }

  /**
   * Sends whichever batches are full; while writes are in flight, lets the event loop run every
   * YIELD_EVERY_MS, so their connections and answers go on while the caller computes.
   */
  async drain(): Promise<void> {
    if (this.create.size >= this.batchSize) await this.sendCreate();
    if (this.update.size >= this.batchSize) await this.sendUpdate();
    if (this.createDelegations.digests.length >= this.batchSize) await this.sendDelegations('created');
    if (this.updateDelegations.digests.length >= this.batchSize) await this.sendDelegations('updated');
    if (this.inFlight.size > 0 && Date.now() - this.lastYield >= YIELD_EVERY_MS) {
      // A macrotask, not a microtask: I/O callbacks run before it.
      await new Promise((resolve) => setImmediate(resolve));
      this.lastYield = Date.now();
    }
  }

  /** Sends the rest and waits for every write. */
  async flush(): Promise<void> {
    if (this.create.size > 0) await this.sendCreate();
    if (this.update.size > 0) await this.sendUpdate();
    if (this.createDelegations.digests.length > 0) await this.sendDelegations('created');
    if (this.updateDelegations.digests.length > 0) await this.sendDelegations('updated');
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
  }

  private sendCreate(): Promise<void> {
    const c = this.create;
    this.create = new Columns();
    return this.send(cypherFile('reachability/create-reaches'), 'created', {
      ...c.params(),
      principals: asIs(c.principals),
      resources: asIs(c.resources),
    });
  }

  private sendUpdate(): Promise<void> {
    const c = this.update;
    this.update = new Columns();
    return this.send(cypherFile('reachability/update-reaches'), 'updated', {
      ...c.params(),
      relationships: asIs(c.relationships),
    });
  }

  private sendDelegations(kind: 'created' | 'updated'): Promise<void> {
    const created = kind === 'created';
    const c = created ? this.createDelegations : this.updateDelegations;
    if (created) this.createDelegations = new DelegationColumns();
    else this.updateDelegations = new DelegationColumns();
    const columns = {
      viaDigits: asIs(c.viaDigits),
      conditional: asIs(c.conditional),
      digests: asIs(c.digests),
    };
    return created
      ? this.send(
          cypherFile('reachability/create-delegations'),
          'created',
          { ...columns, principals: asIs(c.principals), delegates: asIs(c.delegates) },
          this.delegationCounts,
        )
      : this.send(
          cypherFile('reachability/update-delegations'),
          'updated',
          { ...columns, relationships: asIs(c.relationships) },
          this.delegationCounts,
        );
  }

  private async send(
    query: CypherFile,
    count: keyof WriteCounts,
    params: Record<string, unknown>,
    counts: WriteCounts = this.counts,
  ): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
    const index = ++this.batches;
    const write: Promise<void> = this.executor
      .write<{ written: number }>(
        query,
        // The columns inside one map: see create-reaches.cypher.
        { batch: params, now: this.stamp.now, maxHops: this.stamp.maxHops },
        {
          action: `writing reachability summary rows (batch ${index}, ${count})`,
          metadata: { runId: this.stamp.runId },
          acquisitionRetries: BATCH_ACQUISITION_RETRIES,
        },
      )
      .then(
        ([result]) => {
          counts[count] += result?.written ?? 0;
        },
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }
}

/**
 * Deletes the stale rows by relationship internal id, in batches (one transaction each, so a large
 * cleanup holds no large transaction state); returns how many went, and reports each batch's count.
 */
export async function deleteReaches(
  executor: GraphExecutor,
  relationships: number[],
  options: { runId: string; batchSize: number; onBatch?: (deleted: number) => void },
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < relationships.length; i += options.batchSize) {
    const [row] = await executor.write<{ deleted: number }>(
      cypherFile('reachability/delete-reaches'),
      { batch: { relationships: asIs(relationships.slice(i, i + options.batchSize)) } },
      {
        action: 'deleting stale reachability summary rows',
        metadata: { runId: options.runId },
        acquisitionRetries: BATCH_ACQUISITION_RETRIES,
      },
    );
    deleted += row?.deleted ?? 0;
    options.onBatch?.(row?.deleted ?? 0);
  }
  return deleted;
}
