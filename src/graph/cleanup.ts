import neo4j from 'neo4j-driver';
import { NODE_KINDS } from '../model/node-kinds.js';
import { RELATIONSHIP_KINDS } from '../model/relationship-kinds.js';
import { type CypherFile, cypherFile, render } from './cypher-files.js';
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
  for (const { type } of RELATIONSHIP_KINDS) {
    const n = await deleteInBatches(
      executor,
      cypherFile('cleanup/stale-relationships'),
      { type },
      { scope, runId },
      batchSize,
    );
    if (n > 0) deleted[type] = n;
  }
  for (const { label } of NODE_KINDS) {
    const n = await deleteInBatches(
      executor,
      cypherFile('cleanup/stale-nodes'),
      { label },
      { scope, runId },
      batchSize,
    );
    if (n > 0) deleted[label] = n;
  }
  return deleted;
}

/** Shared nodes (no scope) are removed once nothing refers to them and this run did not see them. */
export async function cleanupOrphanSharedNodes(
  executor: GraphExecutor,
  runId: string,
  batchSize: number,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { label } of NODE_KINDS) {
    const n = await deleteInBatches(
      executor,
      cypherFile('cleanup/orphan-shared-nodes'),
      { label },
      { runId },
      batchSize,
    );
    if (n > 0) deleted[label] = n;
  }
  return deleted;
}

async function deleteInBatches(
  executor: GraphExecutor,
  file: CypherFile,
  identifiers: Record<string, string>,
  params: Record<string, unknown>,
  batchSize: number,
): Promise<number> {
  const query = render(file, identifiers);
  let total = 0;
  for (;;) {
    const [row] = await executor.write<{ deleted: number }>(
      query,
      { ...params, limit: neo4j.int(batchSize) },
      { action: `cleaning up stale ${Object.values(identifiers).join(' ')}` },
    );
    const deleted = row?.deleted ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

export function addCounts(
  into: Record<string, number>,
  more: Record<string, number>,
): Record<string, number> {
  for (const [key, n] of Object.entries(more)) into[key] = (into[key] ?? 0) + n;
  return into;
}
