import { existsSync } from 'node:fs';
import { accessKeyNodeId } from '../collectors/aws/inventory.js';
import type { Config } from '../config/schema.js';
import { cypherFile, render } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { chunk, groupBy } from '../util/collections.js';
import {
  compareGrantedUsed,
  coverageScope,
  type DelegatedCalls,
  delegationHops,
  type GrantedEdge,
  type UsedCall,
} from './granted-vs-used.js';
import { ActivityStore, activityDatabasePath, type Coverage } from './store.js';

/**
 * The edges activity marks used or not: access and every hop from the vocabulary but escalation, which
 * is a way to gain rights rather than a call the logs record.
 */
const USED_TYPES = ['CAN_ACCESS', ...HOP_TYPES.filter((type) => type !== 'CAN_ESCALATE')].join('|');

export interface ActivitySummaryResult {
  identities: number;
  /** Identities of covered scopes given the coverage window, and their edges marked used or not. */
  covered?: number;
  edges?: number;
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
  const edges = await writeEdgeUse(executor, store, coverage);
  return {
    identities: written,
    attributed,
    accessKeys: keysWritten,
    cleared: cleared?.cleared ?? 0,
    windowStart,
    ...edges,
  };
}

/** The window of each graph scope the logs cover, from the coverage of its accounts (all sources). */
export function coveredScopes(coverage: Coverage[]): { scope: string; from: string; to: string }[] {
  const scopes = new Map<string, { scope: string; from: string; to: string }>();
  for (const c of coverage) {
    const scope = coverageScope(c);
    if (!scope) continue;
    const known = scopes.get(scope);
    scopes.set(scope, {
      scope,
      from: known && known.from < c.firstEvent ? known.from : c.firstEvent,
      to: known && known.to > c.lastEvent ? known.to : c.lastEvent,
    });
  }
  return [...scopes.values()].sort((a, b) => a.scope.localeCompare(b.scope));
}

interface EdgeRow {
  from: string;
  type: GrantedEdge['type'] | 'RUNS_AS';
  to: string;
  /** The Grant hub the pair edge goes through (model/grants.ts), or null for a stored edge. */
  hub: string | null;
}

/** One pair edge's use over the covered window. */
export interface EdgeUseRow {
  from: string;
  type: string;
  to: string;
  hub: string | null;
  used: boolean;
  useCount: number;
  lastUsed: string | null;
}

/**
 * The use of each pair edge of the covered identities (pure): access, assume, federation and
 * impersonation edges as granted vs used decides it for their source (`compareGrantedUsed`); a
 * RUNS_AS edge (a workload running as an identity) when the identity it runs as made a successful
 * call, since the identity's calls come from its workloads.
 */
export function edgeUses(
  edges: readonly EdgeRow[],
  calls: ReadonlyMap<string, UsedCall[]>,
  delegated: ReadonlyMap<string, DelegatedCalls[]>,
): EdgeUseRow[] {
  const rows: EdgeUseRow[] = [];
  for (const [from, own] of groupBy(edges, (e) => e.from)) {
    const granted = own.filter((e) => e.type !== 'RUNS_AS');
    const answer = compareGrantedUsed(
      granted.map((e) => ({
        type: e.type as GrantedEdge['type'],
        target: e.to,
        levels: null,
        actions: null,
        environment: null,
      })),
      calls.get(from) ?? [],
      delegated.get(from) ?? [],
      from,
    );
    answer.granted.forEach((g, i) => {
      rows.push({
        from,
        type: g.type,
        to: g.target,
        hub: (granted[i] as EdgeRow).hub,
        used: g.used,
        useCount: g.useCount,
        lastUsed: g.lastUsed,
      });
    });
    for (const e of own.filter((x) => x.type === 'RUNS_AS')) {
      const successes = (calls.get(e.to) ?? []).filter((c) => c.outcome === 'success');
      rows.push({
        ...e,
        used: successes.length > 0,
        useCount: successes.reduce((sum, c) => sum + c.count, 0),
        lastUsed:
          successes
            .map((c) => c.lastTime)
            .sort()
            .at(-1) ?? null,
      });
    }
  }
  return rows;
}

/**
 * The member legs' use records of Grant hubs (pure), from the use of the pair edges through them:
 * per (member, type, hub), the targets used with their calls and last use, in target order.
 */
export function hubUses(rows: readonly EdgeUseRow[]) {
  const through = rows.filter((r) => r.hub !== null);
  return [...groupBy(through, (r) => `${r.from}\u0000${r.type}\u0000${r.hub}`).values()].map((pairs) => {
    const used = pairs.filter((p) => p.used).sort((a, b) => a.to.localeCompare(b.to));
    const first = pairs[0] as EdgeUseRow;
    return {
      from: first.from,
      type: first.type,
      hub: first.hub as string,
      targets: used.map((p) => p.to),
      counts: used.map((p) => p.useCount),
      // As a stored datetime reads back (ISO 8601 with milliseconds), whatever the store printed.
      lastUsed: used.map((p) => (p.lastUsed ? new Date(p.lastUsed).toISOString() : '')),
    };
  });
}

/**
 * Marks every access, assume, federation, impersonation and runs-as edge of the identities of
 * covered scopes used or not, with its use count and last use; through a Grant hub (a hub's edges
 * stand for many pairs) the member leg records which of the hub's targets the member used
 * (model/grants.ts pairUse). Gives those identities the coverage window, and clears both where no
 * log covers the scope any longer.
 */
async function writeEdgeUse(
  executor: GraphExecutor,
  store: ActivityStore,
  coverage: Coverage[],
): Promise<{ covered: number; edges: number }> {
  const scopes = coveredScopes(coverage);
  let covered = 0;
  for (const rows of chunk(scopes, BATCH)) {
    const [row] = await executor.write<{ written: number }>(
      cypherFile('activity/covered-scopes').text,
      { scopes: rows },
      { action: 'writing the activity coverage' },
    );
    covered += row?.written ?? 0;
  }
  await executor.write(
    render(cypherFile('activity/clear-coverage'), { usedTypes: USED_TYPES }),
    { scopes: scopes.map((s) => s.scope) },
    { action: 'clearing coverage no longer held' },
  );
  const edges = await executor.read<EdgeRow>(
    render(cypherFile('activity/covered-edges'), { usedTypes: USED_TYPES }),
    { scopes: scopes.map((s) => s.scope) },
    { action: 'reading the edges of covered identities' },
  );
  const calls = new Map<string, UsedCall[]>();
  for (const c of await store.successfulCalls()) {
    const own = calls.get(c.identity) ?? [];
    own.push({ ...c, outcome: 'success' });
    calls.set(c.identity, own);
  }
  const delegated = new Map<string, DelegatedCalls[]>();
  for (const d of await store.delegations())
    for (const from of new Set(delegationHops(d.origin, d.identity).map(([f]) => f))) {
      const own = delegated.get(from) ?? [];
      own.push(d);
      delegated.set(from, own);
    }
  const rows = edgeUses(edges, calls, delegated);
  let written = 0;
  for (const batch of chunk(
    rows.filter((r) => r.hub === null),
    BATCH,
  )) {
    const [row] = await executor.write<{ written: number }>(
      cypherFile('activity/edge-use').text,
      { rows: batch },
      { action: 'marking edges used' },
    );
    written += row?.written ?? 0;
  }
  for (const batch of chunk(hubUses(rows), BATCH)) {
    await executor.write<{ written: number }>(
      cypherFile('activity/hub-use').text,
      { rows: batch },
      { action: 'marking Grant hub pairs used' },
    );
  }
  written += rows.filter((r) => r.hub !== null).length;
  return { covered, edges: written };
}

/** What a refresh after a load tells: why the summary was not written, and the write to wrap (a step's log). */
export interface RefreshReport {
  warn(reason: string): void;
  around?: (
    write: () => Promise<ActivitySummaryResult | undefined>,
  ) => Promise<ActivitySummaryResult | undefined>;
}

/**
 * After a successful load, which replaces node properties whole (docs/activity.md): the summary
 * written again from the activity store (the configured one, or the file `database` names), when
 * there is one. The load has succeeded whatever happens here: a store that cannot be opened (another
 * process holds the DuckDB file) or a write that fails goes to `report.warn`, and the next sync or
 * ingest writes the summary. `reachgraph sync`, the demo into NEO4J_URI and scheduled jobs call this.
 */
export async function refreshActivitySummary(
  executor: GraphExecutor,
  store: Config | string,
  report: RefreshReport,
): Promise<ActivitySummaryResult | undefined> {
  const path = typeof store === 'string' ? store : activityDatabasePath(store);
  const write = async () => {
    if (!existsSync(path)) return undefined;
    const opened = await ActivityStore.open(path);
    try {
      return await writeActivitySummary(executor, opened);
    } finally {
      opened.close();
    }
  };
  try {
    return await (report.around ? report.around(write) : write());
  } catch (error) {
    report.warn(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}
