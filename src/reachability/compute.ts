import { DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT } from '../answers/bounds.js';
import { allRoutes, RouteSearch } from '../answers/route-search.js';
import { ReachgraphError } from '../errors.js';
import type { GraphExecutor } from '../graph/executor.js';
import { ensureSchema } from '../graph/schema.js';
import { toDateTime } from '../graph/values.js';
import { newRunId } from '../model/run.js';
import type { ValidInventory } from '../model/validate.js';
import { delegationDigest, SummaryPlanner, type SummaryRow } from './delegation.js';
import { RowDigest, RowMatcher } from './existing.js';
import { readReachGraph } from './read.js';
import { deleteReaches, ReachesWriter } from './write.js';

/**
 * The per-run reachability summary: which principal reaches which resource, in how many hops, at
 * which levels, through which first hop; stored as `(:Principal)-[:REACHES]->(:Resource)` so
 * global questions ("which bots reach production data") are an index-backed page read instead of
 * an all-pairs path search. See docs/architecture.md, "The reachability summary", and the REACHES
 * properties in docs/graph-model.md.
 *
 * All-pairs shortest paths in Cypher took 14–21 s on an 11k-node / 70k-edge graph where a
 * breadth-first search in Node over the same graph took 1.3–1.7 s, so the graph is read out once
 * (read.ts), searched in memory (search.ts) and the rows written back in batches (write.ts). After
 * a load in the same process, the edges are the inventory's and only the nodes are read.
 */

const DEFAULT_BATCH_SIZE = 10_000;
const DEFAULT_PAGE_SIZE = 10_000;
const DEFAULT_CONCURRENCY = 4;

export interface ReachabilityProgress {
  phase: 'reading' | 'searching' | 'cleanup';
  /** reading: pages of source principals; searching: principals searched (rows written so far in `rows`). */
  done: number;
  total: number;
  rows: number;
}

export interface ReachabilityOptions {
  /**
   * Names this computation in the transaction metadata and the stats, normally the CollectionRun
   * just loaded; a fresh run id when absent. Rows carry no run id: they are all the last successful
   * computation's, since it deletes every row it did not confirm.
   */
  runId?: string;
  /** Hop edges allowed before the final CAN_ACCESS (default 6). */
  maxHops?: number;
  /**
   * Only rows whose resource belongs to one of these scopes are written and cleaned; rows of other
   * scopes are left as they are. Paths still cross every scope. All rows when absent.
   */
  scopes?: string[];
  batchSize?: number;
  /** Source principals per edge read. */
  pageSize?: number;
  /** Write transactions in flight at once (default 4: Neo4j commits on every core while Node searches). */
  concurrency?: number;
  onProgress?: (progress: ReachabilityProgress) => void;
  /**
   * Store one REACHES_AS delegation instead of the rows a principal shares with a principal it hops
   * to, one hop longer, or with a principal holding the same right (the same rows), keeping only the
   * rows where it differs (delegation.ts); default true. Off, every row is written out and the
   * delegations of an earlier computation go.
   */
  delegation?: boolean;
  /**
   * The inventory this process has just loaded (a sync, `reachgraph load`): its edges are searched
   * instead of reading the graph's back when they are exactly the graph's (nothing of another scope
   * or left over); otherwise the graph is read as without it. The rows are the same either way.
   */
  loaded?: ValidInventory;
}

export interface ReachabilityStats {
  runId: string;
  maxHops: number;
  scopes: string[] | null;
  principals: number;
  resources: number;
  hopEdges: number;
  accessEdges: number;
  /** Where the searched edges came from: read from the graph, or the inventory just loaded. */
  edges: 'graph' | 'inventory';
  /** REACHES rows this computation found (created, updated or confirmed unchanged). */
  rows: number;
  /**
   * REACHES_AS delegations written or confirmed (delegation.ts): each stands for its source's rows
   * but those it keeps of its own, `delegatedRows` in all, which are not among `rows`.
   */
  delegations: number;
  delegatedRows: number;
  /** Of `rows`, those stored on CAN_ACCESS Grant hubs for the principals delegating to them. */
  hubRows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Stale REACHES rows and REACHES_AS delegations deleted. */
  deleted: number;
  durationMs: number;
  /**
   * Wall-clock phases; searchMs is the part of searchAndWriteMs spent in the search itself (the rest
   * is preparing batches and waiting for writes).
   */
  timings: { readMs: number; searchAndWriteMs: number; searchMs: number; cleanupMs: number };
}

/**
 * A failed computation. A failure before the cleanup deleted nothing: rows written before it were only
 * refreshed or added. A failure during the cleanup came after every row was written: some stale rows
 * went, the others go with the next computation; its message says how many.
 */
export class ReachabilityError extends ReachgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReachabilityError';
  }
}

/**
 * Recomputes the summary from the hop and CAN_ACCESS edges in the graph: read, search, write every
 * row, and only when all of that succeeded delete the rows this computation did not confirm. Run it
 * after a successful load (loadInventory's `summary` option does), never concurrently with a load
 * or with another computation: rows are matched by Neo4j's internal ids read moments before.
 */
export async function computeReachability(
  executor: GraphExecutor,
  options: ReachabilityOptions = {},
): Promise<ReachabilityStats> {
  const started = Date.now();
  const maxHops = options.maxHops ?? DEFAULT_MAX_HOPS;
  if (!Number.isSafeInteger(maxHops) || maxHops < 0 || maxHops > MAX_HOPS_LIMIT)
    throw new ReachabilityError(
      `maxHops must be an integer from 0 to ${MAX_HOPS_LIMIT}, got ${options.maxHops}`,
    );
  const batchSize = positive('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
  const pageSize = positive('pageSize', options.pageSize ?? DEFAULT_PAGE_SIZE);
  const concurrency = positive('concurrency', options.concurrency ?? DEFAULT_CONCURRENCY);
  const runId = options.runId ?? newRunId();
  let scopes = options.scopes ? [...new Set(options.scopes)] : undefined;
  // The firstSeen of every row this computation creates.
  const now = toDateTime(new Date());
  const progress = options.onProgress;
  // Stale rows deleted so far: only the cleanup, after every row is written, deletes.
  const cleanup = { started: false, deleted: 0 };

  try {
    // The API reads the rows through the Principal id index, which must exist wherever rows do.
    await ensureSchema(executor);
    const read = await readReachGraph(executor, {
      pageSize,
      ...(options.loaded ? { loaded: options.loaded } : {}),
      onPage: ({ done, total }) => progress?.({ phase: 'reading', done, total, rows: 0 }),
    });
    const readMs = Date.now() - started;
    const { graph } = read;
    // A delegation stands for rows of every scope: with any in the graph, the computation runs in full.
    if (scopes && read.existingDelegations.targets.length > 0) scopes = undefined;

    let resourceFilter: Uint8Array | undefined;
    if (scopes) {
      const wanted = new Set(scopes);
      resourceFilter = Uint8Array.from(graph.scopes, (s, i) =>
        graph.isResource[i] && s !== null && wanted.has(s) ? 1 : 0,
      );
    }
    const search = new RouteSearch(graph, allRoutes(maxHops), { resourceFilter, routes: false });
    const matcher = new RowMatcher(read.existing, graph.size);
    const delegationMatcher = new RowMatcher(read.existingDelegations, graph.size);
    const digest = new RowDigest(graph, maxHops);
    const writer = new ReachesWriter(executor, graph, { now, runId, maxHops }, batchSize, concurrency);
    const searchStarted = Date.now();
    // A computation for some scopes writes rows only: a delegation would stand for other scopes' too.
    const shorter =
      maxHops > 0
        ? new RouteSearch(graph, allRoutes(maxHops - 1), { resourceFilter, routes: false })
        : undefined;
    const planner = new SummaryPlanner(graph, search, !scopes && options.delegation !== false, shorter);
    const emit = (row: Readonly<SummaryRow>) => {
      const d = digest.of(row);
      writer.push(row, d, matcher.match(row, d));
    };
    let searched = 0;
    let found = 0;
    let lastReport = 0;
    for (let p = 0; p < graph.size; p++) {
      if (!graph.isPrincipal[p]) continue;
      found += planner.principal(p, emit);
      searched++;
      await writer.drain();
      if (progress && Date.now() - lastReport > 250) {
        lastReport = Date.now();
        progress({ phase: 'searching', done: searched, total: read.principals, rows: found });
      }
    }
    const delegations = planner.finish(emit);
    for (let p = 0; p < graph.size; p++) {
      const delegate = delegations.delegate[p] as number;
      if (delegate < 0) continue;
      const viaDigit = delegations.viaDigit[p] as number;
      const conditional = delegations.conditional[p] as number;
      const d = delegationDigest(graph.ids[delegate] as string, viaDigit, conditional, maxHops);
      const change = delegationMatcher.match({ principal: p, resource: delegate }, d);
      writer.pushDelegation(p, delegate, viaDigit, conditional === 1, d, change);
      // Its delegations to other CAN_ACCESS hubs (the same rows), right after: one principal's come together.
      const more = delegations.more.get(p) ?? [];
      for (let e = 0; e < more.length; e += 3) {
        const hub = more[e] as number;
        const flag = more[e + 1] as number;
        const digest = delegationDigest(graph.ids[hub] as string, 0, flag, maxHops);
        const moved = delegationMatcher.match({ principal: p, resource: hub }, digest);
        writer.pushDelegation(p, hub, 0, flag === 1, digest, moved);
      }
      await writer.drain();
    }
    const searchMs = planner.timings.searchMs + planner.timings.chooseMs + planner.timings.composeMs;
    await writer.flush();
    progress?.({ phase: 'searching', done: searched, total: read.principals, rows: found });
    const searchAndWriteMs = Date.now() - searchStarted;

    // Only now that every row is written: the old rows nothing confirmed go.
    const cleanupStarted = Date.now();
    progress?.({ phase: 'cleanup', done: 0, total: 1, rows: found });
    const stale = [...matcher.stale(resourceFilter), ...delegationMatcher.stale(), ...read.staleHubRows];
    cleanup.started = true;
    const deleted = await deleteReaches(executor, stale, {
      runId,
      batchSize,
      onBatch: (count) => {
        cleanup.deleted += count;
      },
    });
    progress?.({ phase: 'cleanup', done: 1, total: 1, rows: found });

    return {
      runId,
      maxHops,
      scopes: scopes ?? null,
      principals: read.principals,
      resources: read.resources,
      hopEdges: read.hopEdges,
      accessEdges: read.accessEdges,
      edges: read.edges,
      rows: writer.written,
      ...writer.counts,
      delegations: writer.delegationsWritten,
      delegatedRows: delegations.delegatedRows,
      hubRows: delegations.hubRows,
      deleted,
      durationMs: Date.now() - started,
      timings: {
        readMs,
        searchAndWriteMs,
        searchMs: Math.round(searchMs),
        cleanupMs: Date.now() - cleanupStarted,
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const outcome = cleanup.started
      ? `every row was written; ${cleanup.deleted} stale summary rows were deleted, the others go with the next computation`
      : 'no summary row was deleted';
    throw new ReachabilityError(`reachability summary failed, ${outcome}: ${reason}`, { cause: error });
  }
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ReachabilityError(`${name} must be a positive integer, got ${value}`);
  return value;
}
