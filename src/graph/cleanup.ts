import { NODE_KINDS } from '../model/node-kinds.js';
import { isLoadable, RELATIONSHIP_KINDS } from '../model/relationship-kinds.js';
import { cypherFile, render } from './cypher-files.js';
import type { GraphWriter } from './executor.js';

/** Node kind labels: deleted nodes are counted by kind. */
const KINDS = NODE_KINDS.map((k) => k.label);

/**
 * Scoped stale cleanup (Cartography's update-tag cleanup, made strict): only for scopes whose
 * collection and load fully succeeded, delete what those scopes no longer report, i.e. facts whose
 * lastRunId is not this run. Never across scopes; the caller never calls it after a failure. The
 * loader runs it inside the run's last transaction, so it commits with the run's outcome or not at
 * all; deletes go in bounded statements so no one statement collects a whole scope. All the
 * complete scopes go in each statement (`scope IN $scopes`, one seek of each type's scope index):
 * a statement per (scope, type) was ~45 round trips per scope, 20,000 for a 440-project GCP
 * organization, most of a first load's time.
 */
export async function cleanupScopes(
  executor: GraphWriter,
  scopes: readonly string[],
  runId: string,
  batchSize: number,
  onStep?: (kind: string) => void,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  if (scopes.length === 0) return deleted;
  // Only the types the store has ever held (a statement each is planned and run, ~45 of them, most
  // of which a one-provider store never holds). Summary rows (REACHES) are not loaded, so no run
  // confirms them: their own computation cleans them.
  const [held] = await executor.write<{ types: string[] }>(
    cypherFile('cleanup/relationship-types'),
    {},
    {
      action: 'reading the relationship types',
    },
  );
  const present = new Set(held?.types ?? []);
  for (const { type } of RELATIONSHIP_KINDS.filter((k) => isLoadable(k) && present.has(k.type))) {
    onStep?.(type);
    const query = render(cypherFile('cleanup/stale-relationships'), { type });
    addCounts(deleted, await deleteInBatches(executor, query, { scopes, runId }, batchSize));
  }
  onStep?.('nodes');
  const nodes = cypherFile('cleanup/stale-nodes').text;
  return addCounts(
    deleted,
    await deleteInBatches(executor, nodes, { scopes, runId, kinds: KINDS }, batchSize),
  );
}

/**
 * Shared nodes (no scope) are removed once no loaded relationship refers to them and this run did
 * not see them. Summary rows (REACHES) do not keep a node: they go with it, and the summary is
 * recomputed from what is left.
 */
export function cleanupOrphanSharedNodes(
  executor: GraphWriter,
  runId: string,
  batchSize: number,
): Promise<Record<string, number>> {
  const loaded = RELATIONSHIP_KINDS.filter(isLoadable)
    .map((k) => k.type)
    .join('|');
  const query = render(cypherFile('cleanup/orphan-shared-nodes'), { loaded });
  return deleteInBatches(executor, query, { runId, kinds: KINDS }, batchSize);
}

/** Repeats a bounded delete until a round deletes less than a full batch; counts per kind. */
async function deleteInBatches(
  executor: GraphWriter,
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
