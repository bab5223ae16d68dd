import { hostname } from 'node:os';
import neo4j from 'neo4j-driver';
import { isProcessAlive } from '../local-neo4j/index.js';
import type { CollectionRun, RunStatus } from '../model/run.js';
import { cypherFile } from './cypher-files.js';
import type { GraphExecutor } from './executor.js';
import { toDateTime } from './values.js';

/** Run bookkeeping: every load is a CollectionRun node, from `running` to its outcome. */

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  counts: Record<string, number>;
  deleted: Record<string, number>;
  cleanedScopes: string[];
  errors: string[];
}

export async function startRun(
  executor: GraphExecutor,
  run: { id: string; sources: string[]; scopes: string[] },
): Promise<void> {
  await executor.write(
    cypherFile('runs/start-run'),
    { ...run, now: toDateTime(new Date()) },
    { action: `recording run ${run.id}` },
  );
  // Who is loading, so a later run on the same host can tell a dead loader at once.
  await executor.write(
    'MATCH (r:CollectionRun {id: $id}) SET r.host = $host, r.pid = $pid',
    { id: run.id, host: hostname(), pid: process.pid },
    { action: `recording run ${run.id}` },
  );
}

export async function heartbeat(
  executor: GraphExecutor,
  id: string,
  counts: Record<string, number>,
): Promise<void> {
  await executor.write(
    cypherFile('runs/heartbeat'),
    { id, now: toDateTime(new Date()), counts: JSON.stringify(counts) },
    { action: `recording progress of run ${id}` },
  );
}

export async function finishRun(executor: GraphExecutor, id: string, outcome: RunOutcome): Promise<void> {
  await executor.write(
    cypherFile('runs/finish-run'),
    {
      id,
      now: toDateTime(new Date()),
      status: outcome.status,
      counts: JSON.stringify(outcome.counts),
      deleted: JSON.stringify(outcome.deleted),
      cleanedScopes: outcome.cleanedScopes,
      errors: outcome.errors,
    },
    { action: `recording the outcome of run ${id}` },
  );
}

export async function recordScope(
  executor: GraphExecutor,
  scope: { id: string; provider: string; name?: string | undefined; complete: boolean },
  runId: string,
): Promise<void> {
  await executor.write(
    cypherFile('runs/record-scope'),
    {
      scope: scope.id,
      provider: scope.provider,
      name: scope.name ?? null,
      complete: scope.complete,
      runId,
      now: toDateTime(new Date()),
    },
    { action: `recording scope ${scope.id}` },
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
    "MATCH (r:CollectionRun) WHERE r.status = 'running' RETURN r.id AS id, r.host AS host, r.pid AS pid",
  );
  const deadIds = running
    .filter((r) => r.host === hostname() && r.pid !== null && !loaderAlive(r.id, r.pid))
    .map((r) => r.id);
  const rows = await executor.write<{ id: string }>(
    cypherFile('runs/mark-interrupted'),
    { deadIds, now: toDateTime(now), staleBefore: toDateTime(new Date(now.getTime() - staleAfterMs)) },
    { action: 'marking interrupted runs' },
  );
  return rows.map((r) => r.id);
}

function loaderAlive(runId: string, pid: number): boolean {
  return pid === process.pid ? activeRuns.has(runId) : isProcessAlive(pid);
}

export async function listRuns(executor: GraphExecutor, limit = 20): Promise<CollectionRun[]> {
  const rows = await executor.read<{ run: Record<string, unknown> }>(cypherFile('runs/list-runs'), {
    limit: neo4j.int(Math.max(1, Math.floor(limit))),
  });
  return rows.map(({ run }) => ({
    ...(run as unknown as CollectionRun),
    counts: JSON.parse((run.counts as string | null) ?? '{}'),
    deleted: JSON.parse((run.deleted as string | null) ?? '{}'),
  }));
}
