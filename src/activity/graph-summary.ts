import { existsSync } from 'node:fs';
import { accessKeyNodeId } from '../collectors/aws/inventory.js';
import type { Config } from '../config/schema.js';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { chunk } from '../util/collections.js';
import { ActivityStore, activityDatabasePath } from './store.js';

export interface ActivitySummaryResult {
  identities: number;
  /** Aggregate rows of calls made with a key no event attributed, given to the key's user from the graph. */
  attributed: number;
  accessKeys: number;
  cleared: number;
  windowStart?: string;
}

const BATCH = 5_000;

/**
 * What the graph receives from the activity store (raw events never go to Neo4j), after the calls made
 * with a long-term key no logged event attributed are given to the key's user as the graph knows it: on every identity
 * the store names, `lastActivity` and the number of calls over the retained window; on every
 * long-term access key, its last use. Nodes the store no longer names lose theirs. A collection run
 * replaces node properties whole, so this runs again after each sync.
 */
export async function writeActivitySummary(
  executor: GraphExecutor,
  store: ActivityStore,
): Promise<ActivitySummaryResult> {
  // A call naming only a long-term key that no other logged call attributes: the graph knows its user.
  const orphanKeys = await store.unresolvedKeys();
  let attributed = 0;
  if (orphanKeys.length > 0) {
    const owners = await executor.read<{ accessKeyId: string; userArn: string }>(
      cypherFile('activity/access-key-owners').text,
      { ids: orphanKeys.map(accessKeyNodeId) },
      { action: 'reading access keys’ owners' },
    );
    attributed = await store.attributeKeys(owners);
  }
  const identities = await store.lastActivity();
  const keys = await store.accessKeyLastUse();
  const coverage = await store.coverage();
  const windowStart = coverage.map((c) => c.firstEvent).sort()[0];
  if (!windowStart) return { identities: 0, attributed, accessKeys: 0, cleared: 0 };
  let written = 0;
  for (const rows of chunk(identities, BATCH)) {
    const [row] = await executor.write<{ written: number }>(
      cypherFile('activity/last-activity').text,
      {
        rows: rows.map((r) => ({ id: r.identity, lastActivity: r.lastActivity, events: r.events })),
        windowStart,
      },
      { action: 'writing last activity' },
    );
    written += row?.written ?? 0;
  }
  let keysWritten = 0;
  for (const rows of chunk(keys, BATCH)) {
    const [row] = await executor.write<{ written: number }>(
      cypherFile('activity/access-key-last-use').text,
      {
        rows: rows.map((r) => ({
          id: accessKeyNodeId(r.accessKeyId),
          lastActivity: r.lastUsed,
          events: r.events,
        })),
        windowStart,
      },
      { action: 'writing access keys’ last use' },
    );
    keysWritten += row?.written ?? 0;
  }
  const [cleared] = await executor.write<{ cleared: number }>(
    cypherFile('activity/clear-activity').text,
    { ids: [...identities.map((r) => r.identity), ...keys.map((r) => accessKeyNodeId(r.accessKeyId))] },
    { action: 'clearing stale last activity' },
  );
  return {
    identities: written,
    attributed,
    accessKeys: keysWritten,
    cleared: cleared?.cleared ?? 0,
    windowStart,
  };
}

/**
 * After a sync: the summary from the activity store (the configured one, or the file `database`
 * names), when there is one.
 */
export async function refreshActivitySummary(
  executor: GraphExecutor,
  store: Config | string,
): Promise<ActivitySummaryResult | undefined> {
  const path = typeof store === 'string' ? store : activityDatabasePath(store);
  if (!existsSync(path)) return undefined;
  const opened = await ActivityStore.open(path);
  try {
    return await writeActivitySummary(executor, opened);
  } finally {
    opened.close();
  }
}
