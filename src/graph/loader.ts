import { ReachgraphError } from '../errors.js';
import { nodeKind, propertiesOf } from '../model/node-kinds.js';
import { relationshipKind } from '../model/relationship-kinds.js';
import { newRunId, type RunStatus } from '../model/run.js';
import type { LoadNode, LoadRelationship, ValidInventory } from '../model/validate.js';
import {
  finishRun,
  heartbeat,
  markActive,
  markInterruptedRuns,
  recordScope,
  startRun,
} from '../records/collection-runs.js';
import { chunk, groupBy } from '../util/collections.js';
import { addCounts, cleanupOrphanSharedNodes, cleanupScope } from './cleanup.js';
import { cypherFile, render } from './cypher-files.js';
import type { GraphExecutor } from './executor.js';
import { ensureSchema } from './schema.js';
import { asIs, toDateTime, toNeo4jProperties } from './values.js';

export const DEFAULT_BATCH_SIZE = 5_000;

export interface LoadProgress {
  phase: 'nodes' | 'relationships' | 'cleanup';
  /** Rows written so far over all kinds, and in all. */
  done: number;
  total: number;
  /** The kind or type being written. */
  kind: string;
}

export interface LoadOptions {
  batchSize?: number;
  /** What the inventory came from (file names, collector names), recorded on the run. */
  sources?: string[];
  runId?: string;
  /** Aborting stops the load between batches; the run is recorded as interrupted. */
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  heartbeatMs?: number;
  /** A run still `running` without a heartbeat for this long is taken as interrupted. */
  staleRunAfterMs?: number;
  /** Called before every batch; tests use it to fail a load half-way. */
  beforeBatch?: (batch: {
    phase: 'nodes' | 'relationships';
    kind: string;
    index: number;
  }) => void | Promise<void>;
}

export interface LoadResult {
  runId: string;
  status: RunStatus;
  counts: Record<string, number>;
  deleted: Record<string, number>;
  cleanedScopes: string[];
  interruptedRuns: string[];
  durationMs: number;
}

/** A failed load: the run is recorded as failed or interrupted and nothing was deleted. */
export class LoadError extends ReachgraphError {
  constructor(
    message: string,
    readonly runId: string,
    readonly status: 'failed' | 'interrupted',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoadError';
  }
}

export interface Batch {
  phase: 'nodes' | 'relationships';
  kind: string;
  query: string;
  rows: Record<string, unknown>[];
  index: number;
  /** Relationship batches: endpoint kinds, to explain rows whose endpoint is missing. */
  endpoints?: { fromLabel: string; toLabel: string };
}

/** What every row written by one run carries besides its own properties. */
export interface RunStamp {
  now: unknown;
  runId: string;
}

/**
 * Writes a validated Inventory as one CollectionRun: schema first, then nodes per kind and
 * relationships per (type, source kind, target kind) in batched `UNWIND $rows … MERGE`
 * transactions, every row stamped with firstSeen/lastSeen and the run id. Only when every batch
 * succeeded are complete scopes cleaned of what this run no longer saw.
 */
export async function loadInventory(
  executor: GraphExecutor,
  valid: ValidInventory,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const runId = options.runId ?? newRunId();
  const scopes = valid.inventory.scopes;

  await ensureSchema(executor);
  const interruptedRuns = await markInterruptedRuns(executor, options.staleRunAfterMs ?? 10 * 60_000);
  const counts: Record<string, number> = {};
  const deleted: Record<string, number> = {};
  const cleanedScopes: string[] = [];
  const now = toDateTime(new Date());
  const batches = loadBatches(valid, batchSize, { now, runId });
  const total = valid.nodes.length + valid.relationships.length;
  let done = 0;
  let lastBeat = Date.now();

  markActive(runId, true);
  try {
    await startRun(executor, {
      id: runId,
      sources: options.sources ?? [valid.inventory.source.name],
      scopes: scopes.map((s) => s.id),
      asOf: valid.inventory.asOf,
    });
    for (const batch of batches) {
      if (options.signal?.aborted) throw new Interrupted(String(options.signal.reason ?? 'aborted'));
      await options.beforeBatch?.({ phase: batch.phase, kind: batch.kind, index: batch.index });
      const [result] = await executor.write<{ written: number }>(
        batch.query,
        // The row builders converted every property by its declared type: nothing to walk again.
        { rows: asIs(batch.rows), now, runId },
        { action: `loading ${batch.kind} ${batch.phase} (batch ${batch.index + 1})`, metadata: { runId } },
      );
      const written = result?.written ?? 0;
      if (batch.endpoints && written < batch.rows.length) await explainMissingEndpoints(executor, batch);
      counts[batch.kind] = (counts[batch.kind] ?? 0) + written;
      done += batch.rows.length;
      options.onProgress?.({ phase: batch.phase, done, total, kind: batch.kind });
      if (Date.now() - lastBeat > (options.heartbeatMs ?? 5_000)) {
        await heartbeat(executor, runId, counts);
        lastBeat = Date.now();
      }
    }

    for (const scope of scopes.filter((s) => s.complete)) {
      if (options.signal?.aborted) throw new Interrupted(String(options.signal.reason ?? 'aborted'));
      options.onProgress?.({ phase: 'cleanup', done, total, kind: scope.id });
      addCounts(deleted, await cleanupScope(executor, scope.id, runId, batchSize));
      cleanedScopes.push(scope.id);
    }
    addCounts(deleted, await cleanupOrphanSharedNodes(executor, runId, batchSize));
    for (const scope of scopes) await recordScope(executor, scope, runId);
    const errors = scopes.flatMap((s) =>
      s.complete ? [] : [`${s.id}: incomplete collection, stale data kept`, ...(s.errors ?? [])],
    );
    await finishRun(executor, runId, { status: 'succeeded', counts, deleted, cleanedScopes, errors });
    return {
      runId,
      status: 'succeeded',
      counts,
      deleted,
      cleanedScopes,
      interruptedRuns,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const status = error instanceof Interrupted ? 'interrupted' : 'failed';
    const reason = error instanceof Error ? error.message : String(error);
    const note = cleanedScopes.length
      ? `; scopes already cleaned: ${cleanedScopes.join(', ')}`
      : '; nothing was deleted';
    try {
      await finishRun(executor, runId, { status, counts, deleted, cleanedScopes, errors: [reason] });
    } catch {
      // The server may be the thing that failed; the run stays `running` and the next load marks it interrupted.
    }
    throw new LoadError(`run ${runId} ${status}: ${reason}${note}`, runId, status, { cause: error });
  } finally {
    markActive(runId, false);
  }
}

class Interrupted extends Error {}

/**
 * The batches a load writes, in order: nodes per kind, then relationships per (type, source kind,
 * target kind). Each row's `properties` already holds id, scope, lastSeen and lastRunId, so the
 * Cypher replaces a record's properties in one `SET` and only computes firstSeen itself.
 */
export function loadBatches(valid: ValidInventory, batchSize: number, stamp: RunStamp): Batch[] {
  return [
    ...nodeBatches(valid.nodes, batchSize, stamp),
    ...relationshipBatches(valid.relationships, batchSize, stamp),
  ];
}

function nodeBatches(nodes: LoadNode[], batchSize: number, stamp: RunStamp): Batch[] {
  const byKind = groupBy(nodes, (n) => n.kind);
  return [...byKind].flatMap(([kind, group]) => {
    const spec = nodeKind(kind);
    if (!spec) throw new Error(`unknown node kind ${kind}`);
    const specs = propertiesOf(spec);
    const [, ...extraLabels] = group[0]?.labels ?? [];
    const query = render(cypherFile('load/merge-nodes'), { label: kind, extraLabels: extraLabels.join(':') });
    const rows = group.map((n) => ({
      id: n.id,
      properties: stamped(toNeo4jProperties(n.properties, specs), n.scope, stamp, n.id),
    }));
    return chunk(rows, batchSize).map((batchRows, index) => ({
      phase: 'nodes' as const,
      kind,
      query,
      rows: batchRows,
      index,
    }));
  });
}

function relationshipBatches(relationships: LoadRelationship[], batchSize: number, stamp: RunStamp): Batch[] {
  const groups = groupBy(relationships, (r) => `${r.type}:${r.fromKind}:${r.toKind}`);
  return [...groups.values()].flatMap((group) => {
    const first = group[0] as LoadRelationship;
    const spec = relationshipKind(first.type);
    if (!spec) throw new Error(`unknown relationship type ${first.type}`);
    const endpoints = { fromLabel: first.fromKind, toLabel: first.toKind };
    const query = render(cypherFile('load/merge-relationships'), { ...endpoints, type: first.type });
    const rows = group.map((r) => ({
      from: r.from,
      to: r.to,
      properties: stamped(toNeo4jProperties(r.properties, spec.properties), r.scope, stamp),
    }));
    return chunk(rows, batchSize).map((batchRows, index) => ({
      phase: 'relationships' as const,
      kind: first.type,
      query,
      rows: batchRows,
      index,
      endpoints,
    }));
  });
}

function stamped(
  properties: Record<string, unknown>,
  scope: string | null,
  { now, runId }: RunStamp,
  id?: string,
): Record<string, unknown> {
  return { ...properties, ...(id === undefined ? {} : { id }), scope, lastSeen: now, lastRunId: runId };
}

/** Some rows wrote nothing: name the endpoint ids that are not in the graph. */
async function explainMissingEndpoints(executor: GraphExecutor, batch: Batch): Promise<never> {
  const { fromLabel, toLabel } = batch.endpoints as { fromLabel: string; toLabel: string };
  const missing: string[] = [];
  for (const [label, key] of [
    [fromLabel, 'from'],
    [toLabel, 'to'],
  ] as const) {
    const ids = [...new Set(batch.rows.map((r) => r[key] as string))];
    const rows = await executor.read<{ id: string }>(
      render(cypherFile('load/missing-endpoints'), { label }),
      { ids },
    );
    missing.push(...rows.map((r) => `${label} "${r.id}"`));
  }
  const shown = missing.slice(0, 10).join(', ');
  throw new Error(
    `${batch.kind} relationships (${fromLabel} -> ${toLabel}) point at nodes that are in neither this inventory nor the graph: ${shown}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
  );
}
