import { ReachgraphError } from '../errors.js';
import { ACTION_SET_LABEL, ActionSets } from '../model/action-sets.js';
import { nodeKind, propertiesOf } from '../model/node-kinds.js';
import { relationshipKind } from '../model/relationship-kinds.js';
import { newRunId, type RunStatus } from '../model/run.js';
import {
  InventoryError,
  type LoadNode,
  type LoadRelationship,
  type ValidInventory,
  writtenProperties,
} from '../model/validate.js';
import {
  finishRun,
  heartbeat,
  markActive,
  markInterruptedRuns,
  recordScopes,
  startRun,
} from '../records/collection-runs.js';
import { chunk, groupBy } from '../util/collections.js';
import { addCounts, cleanupOrphanActionSets, cleanupOrphanSharedNodes, cleanupScopes } from './cleanup.js';
import { cypherFile, render } from './cypher-files.js';
import { isUnreachable } from './errors.js';
import { BATCH_ACQUISITION_RETRIES, type GraphExecutor } from './executor.js';
import { ensureSchema } from './schema.js';
import { asIs, toDateTime, toNeo4jProperties } from './values.js';

export const DEFAULT_BATCH_SIZE = 5_000;
/** Relationship batches of one group written at once (each its own transaction). */
export const DEFAULT_CONCURRENCY = 1;

export interface LoadProgress {
  phase: 'nodes' | 'relationships' | 'cleanup';
  /** Rows written so far over all kinds, and in all. */
  done: number;
  total: number;
  /** The kind or type being written (cleanup: the relationship type, or `nodes`, being cleaned). */
  kind: string;
}

export interface LoadOptions {
  batchSize?: number;
  /** Relationship batches of one (type, source kind, target kind) written at once; default 1 (two showed no gain on 2 cores). */
  concurrency?: number;
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

/** Where a load's time went (ms), phase by phase. */
export interface LoadPhases {
  /** Constraints and indexes checked or created. */
  schema: number;
  /** Endpoints outside the inventory looked up in the graph. */
  references: number;
  /** Interrupted runs marked, the run recorded as running, the batches' rows built. */
  bookkeeping: number;
  nodes: number;
  relationships: number;
  /** Stale data of the complete scopes and orphaned shared nodes deleted. */
  cleanup: number;
  /** Scope records, the run closed as succeeded, the last transaction committed. */
  finish: number;
}

export interface LoadResult {
  runId: string;
  status: RunStatus;
  counts: Record<string, number>;
  deleted: Record<string, number>;
  cleanedScopes: string[];
  interruptedRuns: string[];
  durationMs: number;
  phases: LoadPhases;
}

/**
 * A failed load: the run is recorded as failed or interrupted and nothing was deleted (the cleanup
 * commits with the run's success). Batches written before the failure stay, stamped with this run.
 */
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
  /** What a re-run of the batch's transaction writes, when not `query` (created relationships merge). */
  retryQuery?: string;
  /** How many rows it writes. */
  size: number;
  /**
   * Its rows, built when the batch is written: a relationship's stored evidence is the bulk of its
   * row, so a load holds the rows of the batches in flight, not of the whole inventory.
   */
  rows(): Record<string, unknown>[];
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
 * transactions, every row stamped with firstSeen/lastSeen and the run id. References outside the
 * inventory are checked first, so an inventory linking to a node that exists nowhere writes
 * nothing. Only when every batch succeeded are complete scopes cleaned of what this run no longer
 * saw, in one transaction with the run's success.
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

  const phases: LoadPhases = {
    schema: 0,
    references: 0,
    bookkeeping: 0,
    nodes: 0,
    relationships: 0,
    cleanup: 0,
    finish: 0,
  };
  let mark = performance.now();
  const lap = (phase: keyof LoadPhases) => {
    const t = performance.now();
    phases[phase] += t - mark;
    mark = t;
  };
  await ensureSchema(executor);
  lap('schema');
  // A bad inventory loads nothing: references are checked before the first write. The element ids of
  // every endpoint (the outside ones from this check, the inventory's from their node batches) let
  // each relationship statement seek its endpoints directly, and name only its type.
  const elements = await checkReferences(executor, valid);
  lap('references');
  const interruptedRuns = await markInterruptedRuns(executor, options.staleRunAfterMs ?? 10 * 60_000);
  const counts: Record<string, number> = {};
  const now = toDateTime(new Date());
  const stamp = { now, runId };
  const nodes = nodeBatches(valid.nodes, batchSize, stamp);
  const actionSets = new ActionSets();
  const sets = actionSetBatches(valid.relationships, batchSize, stamp, actionSets);
  const total = valid.nodes.length + actionSets.size + valid.relationships.length;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  let done = 0;
  let lastBeat = Date.now();
  let beating = false;

  // Rows of a batch built ahead, while the server writes the batch before it: building a
  // relationship's row (its evidence as JSON above all) is the Node side's largest cost, and this
  // way it overlaps the server's instead of adding to it. At most one batch ahead per writer.
  const built = new Map<Batch, Record<string, unknown>[]>();
  const rowsOf = (batch: Batch) => {
    const rows = built.get(batch) ?? batch.rows();
    built.delete(batch);
    return rows;
  };
  const buildAhead = (batch: Batch | undefined) => {
    try {
      if (batch && !built.has(batch)) built.set(batch, batch.rows());
    } catch {
      // Built again when its turn comes, where the error fails the load as it should.
    }
  };

  /**
   * One batch in its own transaction; a node batch records its nodes' element ids and returns the
   * ids of the nodes it found without relationships. `upcoming`, the batch this writer takes next,
   * has its rows built while this one is written.
   */
  const write = async (batch: Batch, upcoming?: Batch): Promise<string[]> => {
    if (options.signal?.aborted) throw new Interrupted(String(options.signal.reason ?? 'aborted'));
    await options.beforeBatch?.({ phase: batch.phase, kind: batch.kind, index: batch.index });
    const rows = rowsOf(batch);
    const params = batchParams(rows, stamp);
    let attempts = 0;
    // A timer, not a microtask: it runs once the driver has sent the batch.
    const ahead = setTimeout(() => buildAhead(upcoming), 0);
    const [result] = await executor
      .transaction(
        'WRITE',
        // The driver re-runs a transaction after a transient error, even one whose commit went through
        // unseen: a re-run merges, so a batch of created relationships never writes them twice.
        (tx) =>
          tx.run<{ written: number; unlinked?: string[]; elements?: [string, string][] }>(
            attempts++ === 0 ? batch.query : (batch.retryQuery ?? batch.query),
            params,
          ),
        {
          action: `loading ${batch.kind} ${batch.phase} (batch ${batch.index + 1})`,
          metadata: { runId },
          acquisitionRetries: BATCH_ACQUISITION_RETRIES,
        },
      )
      .finally(() => clearTimeout(ahead));
    const written = result?.written ?? 0;
    if (batch.endpoints && written < rows.length) await explainMissingEndpoints(executor, batch, rows);
    counts[batch.kind] = (counts[batch.kind] ?? 0) + written;
    done += rows.length;
    options.onProgress?.({ phase: batch.phase, done, total, kind: batch.kind });
    lap(batch.phase);
    if (!beating && Date.now() - lastBeat > (options.heartbeatMs ?? 5_000)) {
      beating = true;
      try {
        await heartbeat(executor, runId, { ...counts });
      } finally {
        lastBeat = Date.now();
        beating = false;
      }
    }
    for (const [id, element] of result?.elements ?? []) elements.set(endpointKey(batch.kind, id), element);
    return result?.unlinked ?? [];
  };

  markActive(runId, true);
  try {
    await startRun(executor, {
      id: runId,
      sources: options.sources ?? [valid.inventory.source.name],
      scopes: scopes.map((s) => s.id),
      asOf: valid.inventory.asOf,
    });
    lap('bookkeeping');
    // A node the graph held without any relationship when its batch wrote it (new in this run, or
    // left bare) cannot be the end of an existing relationship: relationships from or to it are
    // created, not merged. Nothing else writes relationships while a load runs (one run at a time;
    // the summary is computed after it), so the set stays true until the relationship batches.
    const unlinked = new Set<string>();
    for (const batch of nodes) for (const id of await write(batch)) unlinked.add(id);
    // The action lists the relationships name by id, before any relationship names one.
    for (const batch of sets) await write(batch);
    const groups = relationshipBatchGroups(
      valid.relationships,
      batchSize,
      stamp,
      unlinked,
      elements,
      actionSets,
    );
    lap('bookkeeping');
    for (const group of groups)
      await inParallel(group, concurrency, (batch, i) => write(batch, group[i + concurrency]));
    built.clear();

    if (options.signal?.aborted) throw new Interrupted(String(options.signal.reason ?? 'aborted'));
    const errors = scopes.flatMap((s) =>
      s.complete ? [] : [`${s.id}: incomplete collection, stale data kept`, ...(s.errors ?? [])],
    );
    // The last step is one transaction: the stale data of every complete scope, orphaned shared
    // nodes, the scopes' records and the run's success commit together, or (killed, failed) not at
    // all, so a run that did not succeed has deleted nothing and the next one cleans instead.
    const { deleted, cleanedScopes } = await executor.transaction(
      'WRITE',
      async (tx) => {
        const cleanedScopes = scopes.filter((s) => s.complete).map((s) => s.id);
        const deleted = await cleanupScopes(tx, cleanedScopes, runId, batchSize, (kind) =>
          options.onProgress?.({ phase: 'cleanup', done, total, kind }),
        );
        addCounts(deleted, await cleanupOrphanSharedNodes(tx, runId, batchSize));
        addCounts(deleted, await cleanupOrphanActionSets(tx, runId, batchSize));
        lap('cleanup');
        await recordScopes(tx, scopes, runId);
        await finishRun(tx, runId, { status: 'succeeded', counts, deleted, cleanedScopes, errors });
        return { deleted, cleanedScopes };
      },
      { action: `cleaning up stale data and recording run ${runId}`, metadata: { runId } },
    );
    lap('finish');
    return {
      runId,
      status: 'succeeded',
      counts,
      deleted,
      cleanedScopes,
      interruptedRuns,
      durationMs: Date.now() - started,
      phases,
    };
  } catch (error) {
    const status = error instanceof Interrupted ? 'interrupted' : 'failed';
    const reason = error instanceof Error ? error.message : String(error);
    // An unreachable server is not asked again (each attempt would wait out the retry time): the
    // run stays `running` and the next load marks it interrupted.
    if (!isUnreachable(error))
      try {
        await finishRun(executor, runId, {
          status,
          counts,
          deleted: {},
          cleanedScopes: [],
          errors: [reason],
        });
      } catch {
        // As above: the next load marks it interrupted.
      }
    throw new LoadError(`run ${runId} ${status}: ${reason}; nothing was deleted`, runId, status, {
      cause: error,
    });
  } finally {
    markActive(runId, false);
  }
}

class Interrupted extends Error {}

/**
 * A batch's parameters: its rows inside a map (`$batch.rows`), not a list parameter of their own.
 * Neo4j 5 keys its plan cache by the statement text and its parameters' types, and a list
 * parameter's type carries the list's size rounded up to a power of ten (a hint for the planner's
 * estimates), so with `$rows` each new size class (1, 2–10, 11–100, … rows) planned the statement
 * again, to the same plan: 61 of the 97 batches of a 300-project GCP load. A map's type has no size,
 * so every batch of a statement finds the plan its first batch made. (Neo4j 5.26 source:
 * `QueryCache.CacheKey`, `ParameterValueTypeHelper.deriveCypherType`, `SizeBucket.computeBucket`;
 * https://neo4j.com/docs/cypher-manual/current/planning-and-tuning/caching/; docs/performance.md,
 * "After: each load statement planned once…".) The row builders converted every property by its
 * declared type: the rows are sent as they are.
 */
function batchParams(rows: Record<string, unknown>[], { now, runId }: RunStamp): Record<string, unknown> {
  return { batch: asIs({ rows }), now, runId };
}

/**
 * The batches a load writes, in order: nodes per kind, then relationships per (type, source kind,
 * target kind), all merged (the graph's state unknown). Each row's `properties` already holds id,
 * scope, lastSeen and lastRunId, so the Cypher replaces a record's properties in one `SET` and only
 * computes firstSeen itself.
 */
export function loadBatches(valid: ValidInventory, batchSize: number, stamp: RunStamp): Batch[] {
  const actionSets = new ActionSets();
  return [
    ...nodeBatches(valid.nodes, batchSize, stamp),
    ...actionSetBatches(valid.relationships, batchSize, stamp, actionSets),
    ...relationshipBatchGroups(
      valid.relationships,
      batchSize,
      stamp,
      new Set(),
      new Map(),
      actionSets,
    ).flat(),
  ];
}

/** The key of a node's element id in the map the loader keeps: its kind and its id. */
export const endpointKey = (kind: string, id: string) => `${kind}\u0000${id}`;

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
      size: batchRows.length,
      rows: () => batchRows,
      index,
    }));
  });
}

/**
 * The distinct action lists of the relationships (src/model/action-sets.ts), registered in
 * `actionSets`, as batches of ActionSet nodes: merged by id (a list's content address, so an equal
 * list of an earlier run or another provider is the same node) and stamped with this run, which
 * keeps them from the cleanup of this run. Their relationship rows then carry only the id.
 */
function actionSetBatches(
  relationships: readonly LoadRelationship[],
  batchSize: number,
  stamp: RunStamp,
  actionSets: ActionSets,
): Batch[] {
  for (const r of relationships) {
    const { actions } = r.properties;
    if (Array.isArray(actions)) actionSets.idOf(actions as string[]);
  }
  const query = cypherFile('load/merge-action-sets').text;
  const rows = actionSets.entries().map(({ id, actions }) => ({
    id,
    properties: { id, actions, lastSeen: stamp.now, lastRunId: stamp.runId },
  }));
  return chunk(rows, batchSize).map((batchRows, index) => ({
    phase: 'nodes' as const,
    kind: ACTION_SET_LABEL,
    query,
    size: batchRows.length,
    rows: () => batchRows,
    index,
  }));
}

/**
 * Relationship batches in groups a load writes one after another; the batches of one group may be
 * written concurrently. A group is one (type, source kind, target kind) and one way of writing:
 * rows with an end in `unlinked` (nodes without any relationship: none of these rows can exist yet)
 * are created, the others merged. Rows are ordered by source and a batch holds all the rows of its
 * sources (unless one source has more than twice the batch size), so concurrent batches do not
 * write relationships of the same source node. Each row carries its endpoints' ids and element ids
 * (`elements`, by endpointKey; null where unknown, and the row then writes nothing), so the
 * statement of a type is one text for every pair of node kinds: planned once, not once per pair.
 * A row names its action list by the id `actionSets` gives it (its ActionSet node, written before).
 */
export function relationshipBatchGroups(
  relationships: LoadRelationship[],
  batchSize: number,
  stamp: RunStamp,
  unlinked: ReadonlySet<string>,
  elements: ReadonlyMap<string, string>,
  actionSets: ActionSets = new ActionSets(),
): Batch[][] {
  const groups = groupBy(relationships, (r) => `${r.type}:${r.fromKind}:${r.toKind}`);
  return [...groups.values()].flatMap((group) => {
    const first = group[0] as LoadRelationship;
    const spec = relationshipKind(first.type);
    if (!spec) throw new Error(`unknown relationship type ${first.type}`);
    const endpoints = { fromLabel: first.fromKind, toLabel: first.toKind };
    const isNew = (r: LoadRelationship) => unlinked.has(r.from) || unlinked.has(r.to);
    return (['create', 'merge'] as const).flatMap((how) => {
      const relationships = group
        .filter((r) => isNew(r) === (how === 'create'))
        .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
      if (relationships.length === 0) return [];
      const row = (r: LoadRelationship) => ({
        from: r.from,
        to: r.to,
        fromElement: elements.get(endpointKey(r.fromKind, r.from)) ?? null,
        toElement: elements.get(endpointKey(r.toKind, r.to)) ?? null,
        properties: stamped(
          toNeo4jProperties(writtenProperties(r, actionSets), spec.properties),
          r.scope,
          stamp,
        ),
      });
      const merge = render(cypherFile('load/merge-relationships'), { type: first.type });
      const query =
        how === 'merge' ? merge : render(cypherFile('load/create-relationships'), { type: first.type });
      return [
        chunkBy(relationships, batchSize, (r) => r.from).map((batch, index) => ({
          phase: 'relationships' as const,
          kind: first.type,
          query,
          ...(how === 'create' ? { retryQuery: merge } : {}),
          size: batch.length,
          rows: () => batch.map(row),
          index,
          endpoints,
        })),
      ];
    });
  });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Consecutive slices of about `size` items, cut only where `key` changes, so one key's items share
 * a slice; a key with more than `size` items is cut anyway once its slice holds twice the size.
 */
export function chunkBy<T>(items: readonly T[], size: number, key: (item: T) => string): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    const last = current.at(-1);
    const full = current.length >= size && (last === undefined || key(last) !== key(item));
    if (full || current.length >= 2 * size) {
      chunks.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Runs `work` on every item with at most `concurrency` running at once; the first failure stops
 * new starts, waits for the running ones, and is thrown.
 */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
}

function stamped(
  properties: Record<string, unknown>,
  scope: string | null,
  { now, runId }: RunStamp,
  id?: string,
): Record<string, unknown> {
  return { ...properties, ...(id === undefined ? {} : { id }), scope, lastSeen: now, lastRunId: runId };
}

/**
 * Every relationship endpoint outside the inventory must already be in the graph (a node of
 * another scope); otherwise the inventory is refused, naming the relationships, before anything
 * is written. Returns the element ids of those endpoints, by endpointKey.
 */
async function checkReferences(executor: GraphExecutor, valid: ValidInventory): Promise<Map<string, string>> {
  const own = new Set(valid.nodes.map((n) => n.id));
  const outside = new Map<string, Set<string>>();
  for (const r of valid.relationships)
    for (const [id, kind] of [
      [r.from, r.fromKind],
      [r.to, r.toKind],
    ] as const)
      if (!own.has(id)) outside.set(kind, (outside.get(kind) ?? new Set()).add(id));
  const missing = new Set<string>();
  const elements = new Map<string, string>();
  for (const [label, ids] of outside)
    for (const { id, element } of await endpointElements(executor, label, [...ids]))
      if (element === null) missing.add(endpointKey(label, id));
      else elements.set(endpointKey(label, id), element);
  if (missing.size === 0) return elements;
  const problems = valid.relationships.flatMap((r) =>
    [
      [r.from, r.fromKind, 'from'],
      [r.to, r.toKind, 'to'],
    ]
      .filter(([id, kind]) => missing.has(endpointKey(kind as string, id as string)))
      .map(
        ([id, kind, side]) =>
          `${r.type} "${r.from}" -> "${r.to}": ${side} ${kind} "${id}" is in neither this inventory nor the graph`,
      ),
  );
  throw new InventoryError(valid.inventory.source.name, problems);
}

/** Each id's element id in the graph as a node of `label`, null where there is none. */
function endpointElements(
  executor: GraphExecutor,
  label: string,
  ids: string[],
): Promise<{ id: string; element: string | null }[]> {
  return executor.read<{ id: string; element: string | null }>(
    render(cypherFile('load/endpoint-elements'), { label }),
    { ids },
    { action: `checking that ${label} nodes the inventory links to exist` },
  );
}

function missingIds(executor: GraphExecutor, label: string, ids: string[]): Promise<string[]> {
  return endpointElements(executor, label, ids).then((rows) =>
    rows.filter((r) => r.element === null).map((r) => r.id),
  );
}

/** Some rows wrote nothing: name the endpoint ids that are not in the graph. */
async function explainMissingEndpoints(
  executor: GraphExecutor,
  batch: Batch,
  rows: Record<string, unknown>[],
): Promise<never> {
  const { fromLabel, toLabel } = batch.endpoints as { fromLabel: string; toLabel: string };
  const missing: string[] = [];
  for (const [label, key] of [
    [fromLabel, 'from'],
    [toLabel, 'to'],
  ] as const) {
    const ids = [...new Set(rows.map((r) => r[key] as string))];
    missing.push(...(await missingIds(executor, label, ids)).map((id) => `${label} "${id}"`));
  }
  if (missing.length === 0)
    throw new Error(
      `${batch.kind} relationships (${fromLabel} -> ${toLabel}): some endpoints were replaced while the load ran (their element ids no longer name them); run the load again`,
    );
  const shown = missing.slice(0, 10).join(', ');
  throw new Error(
    `${batch.kind} relationships (${fromLabel} -> ${toLabel}) point at nodes that are in neither this inventory nor the graph: ${shown}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
  );
}
