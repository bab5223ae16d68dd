import { hostname } from 'node:os';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor, GraphWriter } from '../graph/executor.js';
import { isProcessAlive } from '../local-neo4j/index.js';
import type { CollectionRun, RunStatus } from '../model/run.js';
import { pageLimit } from './page-limit.js';

/** Collection run records: every load is a CollectionRun node, from `running` to its outcome. */

const cypher = (name: string) => cypherFile(`records/collection-runs/${name}`);

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  counts: Record<string, number>;
  deleted: Record<string, number>;
  cleanedScopes: string[];
  errors: string[];
}

export async function startRun(
  executor: GraphExecutor,
  run: { id: string; sources: string[]; scopes: string[]; asOf?: string | undefined },
): Promise<void> {
  await executor.write(
    cypher('start-run'),
    {
      ...run,
      asOf: run.asOf ? new Date(run.asOf) : null,
      now: new Date(),
      host: hostname(),
      pid: process.pid,
    },
    { action: `recording run ${run.id}` },
  );
}

export async function heartbeat(
  executor: GraphExecutor,
  id: string,
  counts: Record<string, number>,
): Promise<void> {
  // The counts' JSON inside a map: a string parameter's length, rounded up to a power of ten, is part
  // of Neo4j's plan-cache key, so as the counts grow each heartbeat would be planned again
  // (src/graph/loader.ts, batchParams).
  await executor.write(
    cypher('heartbeat'),
    { id, now: new Date(), progress: { counts: JSON.stringify(counts) } },
    { action: `recording progress of run ${id}` },
  );
}

export async function finishRun(executor: GraphWriter, id: string, outcome: RunOutcome): Promise<void> {
  await executor.write(
    cypher('finish-run'),
    {
      id,
      now: new Date(),
      status: outcome.status,
      counts: JSON.stringify(outcome.counts),
      deleted: JSON.stringify(outcome.deleted),
      cleanedScopes: outcome.cleanedScopes,
      errors: outcome.errors,
    },
    { action: `recording the outcome of run ${id}` },
  );
}

/** Every scope of a run in one statement (a round trip per scope was 440 for a GCP organization). */
export async function recordScopes(
  executor: GraphWriter,
  scopes: readonly { id: string; provider: string; name?: string | undefined; complete: boolean }[],
  runId: string,
): Promise<void> {
  if (scopes.length === 0) return;
  await executor.write(
    cypher('record-scopes'),
    {
      scopes: scopes.map((s) => ({
        id: s.id,
        provider: s.provider,
        name: s.name ?? null,
        complete: s.complete,
      })),
      runId,
      now: new Date(),
    },
    { action: `recording ${scopes.length} scopes of run ${runId}` },
  );
}

/** Runs this process is loading right now; any other run recorded under this pid is dead. */
const activeRuns = new Set<string>();

export function markActive(id: string, active: boolean): void {
  if (active) activeRuns.add(id);
  else activeRuns.delete(id);
}

/**
 * Runs left `running` by a loader that is gone become `interrupted`: on this host when their pid is
 * no longer alive (or is this process, which is not loading them any more, e.g. after the server
 * went away mid-load), anywhere when their heartbeat is older than `staleAfterMs`.
 */
export async function markInterruptedRuns(executor: GraphExecutor, staleAfterMs: number): Promise<string[]> {
  const now = new Date();
  const running = await executor.read<{ id: string; host: string | null; pid: number | null }>(
    cypher('running-runs'),
    {},
    { action: 'reading running collection runs' },
  );
  const deadIds = running
    .filter((r) => r.host === hostname() && r.pid !== null && !loaderAlive(r.id, r.pid))
    .map((r) => r.id);
  const rows = await executor.write<{ id: string }>(
    cypher('mark-interrupted'),
    { deadIds, now, staleBefore: new Date(now.getTime() - staleAfterMs) },
    { action: 'marking interrupted runs' },
  );
  return rows.map((r) => r.id);
}

function loaderAlive(runId: string, pid: number): boolean {
  return pid === process.pid ? activeRuns.has(runId) : isProcessAlive(pid);
}

export async function listRuns(executor: GraphExecutor, limit = 20): Promise<CollectionRun[]> {
  const rows = await executor.read<{ run: Record<string, unknown> }>(
    cypher('list-runs'),
    { limit: pageLimit(limit) },
    { action: 'listing collection runs' },
  );
  return rows.map(({ run }) => ({
    ...(run as unknown as CollectionRun),
    counts: JSON.parse((run.counts as string | null) ?? '{}'),
    deleted: JSON.parse((run.deleted as string | null) ?? '{}'),
    asOf: (run.asOf as string | null | undefined) ?? null,
  }));
}

/** The latest successful collection run (the graph a report describes); null before the first. */
export async function latestSucceededRun(
  executor: GraphExecutor,
): Promise<{ id: string; finishedAt: string | null; asOf: string | null } | null> {
  const [row] = await executor.read<{ id: string; finishedAt: string | null; asOf: string | null }>(
    cypher('latest-succeeded'),
    {},
    { action: 'reading the latest collection run' },
  );
  return row ? { id: row.id, finishedAt: row.finishedAt ?? null, asOf: row.asOf ?? null } : null;
}
