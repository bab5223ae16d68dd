import neo4j from 'neo4j-driver';
import { ACCESS_LEVELS } from '../../model/properties.js';
import { type CypherFile, cypherFile } from '../cypher-files.js';
import type { GraphExecutor } from '../executor.js';
import type { RowChange } from './existing.js';
import { HOP_TYPE_CODES, levelList, type ReachGraph, type ReachRow } from './search.js';

/** Every level combination, indexed by its mask: rows send a mask, Cypher picks the list. */
const LEVEL_SETS = Array.from({ length: 1 << ACCESS_LEVELS.length }, (_, mask) => levelList(mask));
const LEVEL_INDEXES = LEVEL_SETS.map((_, mask) => neo4j.int(mask));

export interface WriteStamp {
  now: unknown;
  runId: string;
  maxHops: number;
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** Rows of one kind, as columns (row i is element i of every list); numbers travel as floats. */
class Columns {
  principals: number[] = [];
  resources: number[] = [];
  relationships: number[] = [];
  hops: number[] = [];
  levels: number[] = [];
  allLevels: number[] = [];
  firstHops: string[] = [];
  viaTypes: string[][] = [];
  conditional: boolean[] = [];
  scopes: (string | null)[] = [];
  digests: number[] = [];

  get size(): number {
    return this.hops.length;
  }

  push(graph: ReachGraph, row: Readonly<ReachRow>, digest: number): void {
    this.hops.push(row.hops);
    this.levels.push(row.levels);
    this.allLevels.push(row.allLevels);
    this.firstHops.push(graph.ids[row.firstHop] as string);
    this.viaTypes.push(row.via.map((code) => HOP_TYPE_CODES[code] as string));
    this.conditional.push(row.conditional);
    this.scopes.push(graph.scopes[row.resource] ?? null);
    this.digests.push(digest);
  }
}

/**
 * Sends batches while the search goes on: up to `concurrency` transactions are in flight, so Neo4j
 * writes on every core while Node computes the next batch. New rows are created, changed rows
 * rewritten, unchanged rows only stamped. Batches never share a row; two may lock the same resource
 * node, and a deadlock between them is a transient error the driver retries. The first failed write
 * is thrown by the next `drain` or by `flush`, and nothing is sent after it.
 */
export class ReachesWriter {
  private create = new Columns();
  private update = new Columns();
  private touch: number[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private batches = 0;
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
      this.touch.push(change.relationship);
    }
  }

  /** Sends whichever batches are full. */
  async drain(): Promise<void> {
    if (this.create.size >= this.batchSize) await this.sendCreate();
    if (this.update.size >= this.batchSize) await this.sendUpdate();
    if (this.touch.length >= this.batchSize) await this.sendTouch();
  }

  /** Sends the rest and waits for every write. */
  async flush(): Promise<void> {
    if (this.create.size > 0) await this.sendCreate();
    if (this.update.size > 0) await this.sendUpdate();
    if (this.touch.length > 0) await this.sendTouch();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
  }

  private sendCreate(): Promise<void> {
    const c = this.create;
    this.create = new Columns();
    return this.send(cypherFile('reachability/create-reaches'), 'created', {
      ...rowColumns(c),
      principals: c.principals,
      resources: c.resources,
    });
  }

  private sendUpdate(): Promise<void> {
    const c = this.update;
    this.update = new Columns();
    return this.send(cypherFile('reachability/update-reaches'), 'updated', {
      ...rowColumns(c),
      relationships: c.relationships,
    });
  }

  private sendTouch(): Promise<void> {
    const relationships = this.touch;
    this.touch = [];
    return this.send(cypherFile('reachability/touch-reaches'), 'unchanged', { relationships });
  }

  private async send(
    query: CypherFile,
    count: keyof WriteCounts,
    params: Record<string, unknown>,
  ): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
    const index = ++this.batches;
    const write: Promise<void> = this.executor
      .write<{ written: number }>(
        query,
        { ...params, now: this.stamp.now, runId: this.stamp.runId, maxHops: neo4j.int(this.stamp.maxHops) },
        {
          action: `writing reachability summary rows (batch ${index}, ${count})`,
          metadata: { runId: this.stamp.runId },
        },
      )
      .then(
        ([result]) => {
          this.counts[count] += result?.written ?? 0;
        },
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }
}

function rowColumns(c: Columns): Record<string, unknown> {
  return {
    hops: c.hops,
    levels: c.levels.map((m) => LEVEL_INDEXES[m]),
    allLevels: c.allLevels.map((m) => LEVEL_INDEXES[m]),
    levelSets: LEVEL_SETS,
    firstHops: c.firstHops,
    viaTypes: c.viaTypes,
    conditional: c.conditional,
    scopes: c.scopes,
    digests: c.digests,
  };
}

/** Deletes the stale rows by relationship internal id, in batches; returns how many went. */
export async function deleteReaches(
  executor: GraphExecutor,
  relationships: number[],
  options: { runId: string; batchSize: number },
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < relationships.length; i += options.batchSize) {
    const [row] = await executor.write<{ deleted: number }>(
      cypherFile('reachability/delete-reaches'),
      { relationships: relationships.slice(i, i + options.batchSize) },
      { action: 'deleting stale reachability summary rows', metadata: { runId: options.runId } },
    );
    deleted += row?.deleted ?? 0;
  }
  return deleted;
}
