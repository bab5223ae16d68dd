import { isLoadable, RELATIONSHIP_KINDS } from '../model/relationship-kinds.js';
import { cypherFile, render } from './cypher-files.js';
import type { GraphExecutor } from './executor.js';

/**
 * Scoped stale cleanup (Cartography's update-tag cleanup, made strict): only for a scope whose
 * collection and load fully succeeded, delete what that scope no longer reports, i.e. facts whose
 * lastRunId is not this run. Never across scopes; the caller never calls it after a failure.
 * Deletes go in bounded batches so a large scope does not build one huge transaction.
 */
export async function cleanupScope(
  executor: GraphExecutor,
  scope: string,
  runId: string,
  batchSize: number,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  // Summary rows (REACHES) are not loaded, so no run confirms them: their own computation cleans them.
  for (const { type } of RELATIONSHIP_KINDS.filter(isLoadable)) {
    const query = render(cypherFile('cleanup/stale-relationships'), { type });
    addCounts(deleted, await deleteInBatches(executor, query, { scope, runId }, batchSize));
  }
  const nodes = cypherFile('cleanup/stale-nodes').text;
  return addCounts(deleted, await deleteInBatches(executor, nodes, { scope, runId }, batchSize));
}

/** Shared nodes (no scope) are removed once nothing refers to them and this run did not see them. */
export function cleanupOrphanSharedNodes(
  executor: GraphExecutor,
  runId: string,
  batchSize: number,
): Promise<Record<string, number>> {
  return deleteInBatches(executor, cypherFile('cleanup/orphan-shared-nodes').text, { runId }, batchSize);
}

/** Repeats a bounded delete until a round deletes less than a full batch; counts per kind. */
async function deleteInBatches(
  executor: GraphExecutor,
  query: string,
  params: Record<string, unknown>,
  batchSize: number,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (;;) {
    const rows = await executor.write<{ kind: string; deleted: number }>(
      query,
      { ...params, limit: batchSize },
      { action: 'cleaning up stale data' },
    );
    let round = 0;
    for (const row of rows) {
      round += row.deleted;
      if (row.deleted > 0) deleted[row.kind] = (deleted[row.kind] ?? 0) + row.deleted;
    }
    if (round < batchSize) return deleted;
  }
}

export function addCounts(
  into: Record<string, number>,
  more: Record<string, number>,
): Record<string, number> {
  for (const [key, n] of Object.entries(more)) into[key] = (into[key] ?? 0) + n;
  return into;
}
