import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { LoadError, loadInventory } from '../../src/graph/loader.js';
import type { InventoryInput } from '../../src/model/inventory.js';
import { validateInventory } from '../../src/model/validate.js';
import { listRuns } from '../../src/records/collection-runs.js';
import { A, arn, estate } from '../fixtures/inventories.js';
import { expectStillPublished, snapshot, testExecutor, wipe } from '../helpers/graph.js';

// The loader creates the relationships it knows are new (an end had no relationship when this run
// wrote it) and merges the others, writing batches of one group concurrently: the run-tag
// semantics must be exactly those of merging every row.

const executor: GraphExecutor = testExecutor();
const valid = (input: unknown) => validateInventory(input, 'test');

beforeEach(() => wipe(executor));
afterAll(() => executor.close());

const role = (name: string) => ({
  id: arn(A, `role/${name}`),
  kind: 'AwsRole',
  scope: `aws:${A}`,
  properties: { name, nonHuman: true, nhiType: 'role' },
});
const assume = (from: string, to: string) => ({
  type: 'CAN_ASSUME',
  from: arn(A, `role/${from}`),
  to: arn(A, `role/${to}`),
  evidence: [
    {
      source: 'trust-policy' as const,
      ref: arn(A, `role/${to}`),
      statement: '0',
      reason: `${to} trusts ${from}`,
    },
  ],
});

/** estate(1) plus a new role `newcomer` that ci may assume, and deployer → ci between known roles. */
function grown(): InventoryInput {
  const base = estate(1);
  return {
    ...base,
    nodes: [...(base.nodes ?? []), role('newcomer')],
    relationships: [...(base.relationships ?? []), assume('ci', 'newcomer'), assume('deployer', 'ci')],
  } as InventoryInput;
}

/** estate(2) plus `count` roles, each assumable by ci and each assuming deployer. */
function fanOut(count: number): InventoryInput {
  const base = estate(2);
  const names = Array.from({ length: count }, (_, i) => `fan-${String(i).padStart(3, '0')}`);
  return {
    ...base,
    nodes: [...(base.nodes ?? []), ...names.map(role)],
    relationships: [
      ...(base.relationships ?? []),
      ...names.flatMap((n) => [assume('ci', n), assume(n, 'deployer')]),
    ],
  } as InventoryInput;
}

const seen = (from: string, to: string) =>
  executor
    .read<{ firstSeen: string; lastSeen: string; runId: string; copies: number }>(
      `MATCH (:AwsRole {id: $from})-[r:CAN_ASSUME]->(:AwsRole {id: $to})
       RETURN min(r.firstSeen) AS firstSeen, max(r.lastSeen) AS lastSeen, max(r.lastRunId) AS runId, count(r) AS copies`,
      { from: arn(A, `role/${from}`), to: arn(A, `role/${to}`) },
    )
    .then(([row]) => row);

/** Relationships of one type between the same two nodes more than once: there must be none. */
const duplicates = () =>
  executor.read<{ pair: string }>(
    `MATCH (a:Entity)-[r]->(b) WITH a, b, type(r) AS type, count(r) AS n WHERE n > 1
     RETURN a.id + ' -' + type + '-> ' + b.id AS pair`,
  );

describe('loader: created and merged relationships', () => {
  it('keeps firstSeen of a relationship seen before; a new one, to a new or a known node, gets this run’s time', async () => {
    await loadInventory(executor, valid(estate(1)));
    const before = await seen('ci', 'deployer');
    await new Promise((resolve) => setTimeout(resolve, 20));

    const second = await loadInventory(executor, valid(grown()));
    const kept = await seen('ci', 'deployer');
    expect(kept).toMatchObject({ firstSeen: before?.firstSeen, runId: second.runId, copies: 1 });
    expect(Date.parse(kept?.lastSeen ?? '')).toBeGreaterThan(Date.parse(before?.firstSeen ?? ''));

    // To a node new in this run (created) and between two known nodes (merged): first seen now.
    for (const [from, to] of [
      ['ci', 'newcomer'],
      ['deployer', 'ci'],
    ] as const) {
      const fresh = await seen(from, to);
      expect(fresh).toMatchObject({ runId: second.runId, copies: 1 });
      expect(fresh?.firstSeen).toBe(fresh?.lastSeen);
      expect(Date.parse(fresh?.firstSeen ?? '')).toBeGreaterThan(Date.parse(before?.firstSeen ?? ''));
    }
    expect(second.counts.CAN_ASSUME).toBe(6);

    // Loading the same again merges everything: nothing doubled, firstSeen of the new ones kept.
    const newcomer = await seen('ci', 'newcomer');
    await loadInventory(executor, valid(grown()));
    expect(await seen('ci', 'newcomer')).toMatchObject({ firstSeen: newcomer?.firstSeen, copies: 1 });
    expect(await duplicates()).toEqual([]);
  });

  it('a first load (relationships created) and a reload (all merged) leave the same graph, property by property', async () => {
    // Every relationship with all its properties but the run stamps that must move on.
    const properties = () =>
      executor.read<{ r: string; properties: Record<string, unknown> }>(
        `MATCH (a:Entity)-[r]->(b) RETURN a.id + ' -' + type(r) + '-> ' + b.id AS r, properties(r) AS properties ORDER BY r`,
      );
    const stamps = new Set(['lastSeen', 'lastRunId']);
    const withoutStamps = (rows: { r: string; properties: Record<string, unknown> }[]) =>
      rows.map(({ r, properties }) => ({
        r,
        properties: Object.fromEntries(Object.entries(properties).filter(([k]) => !stamps.has(k))),
      }));
    // Small batches: many of them, each one's rows built while the one before is written.
    const first = await loadInventory(executor, valid(fanOut(30)), { batchSize: 7 });
    const created = await properties();
    const reload = await loadInventory(executor, valid(fanOut(30)), { batchSize: 7 });
    const merged = await properties();

    expect(merged).toHaveLength(valid(fanOut(30)).relationships.length);
    expect(withoutStamps(merged)).toEqual(withoutStamps(created));
    for (const { properties } of merged) expect(properties.lastRunId).toBe(reload.runId);
    expect(created.every(({ properties }) => properties.lastRunId === first.runId)).toBe(true);
    expect(reload.counts).toEqual(first.counts);
    expect(reload.deleted).toEqual({});
    expect(await duplicates()).toEqual([]);
  });

  it('cleans stale relationships exactly as before, whichever way the others were written', async () => {
    await loadInventory(executor, valid(grown()));
    const next = await loadInventory(executor, valid(fanOut(12)));
    // legacy and old-app are gone with their CAN_ASSUME, and so are ci → newcomer, deployer → ci
    // and the newcomer itself; the 24 fan-out edges are new.
    expect(next.deleted).toEqual({ AwsRole: 3, CAN_ASSUME: 4 });
    expect(next.counts.CAN_ASSUME).toBe(2 + 24);
    const graph = await snapshot(executor);
    expect(graph.relationships).toHaveLength(valid(fanOut(12)).relationships.length);
    expect(await duplicates()).toEqual([]);
  });

  it('a failure among concurrent relationship batches leaves the published graph intact; the re-run writes nothing twice', async () => {
    await loadInventory(executor, valid(estate(1)));
    const published = await snapshot(executor);

    let relationshipBatches = 0;
    const failing = loadInventory(executor, valid(fanOut(60)), {
      batchSize: 10,
      concurrency: 2,
      beforeBatch: ({ phase }) => {
        if (phase === 'relationships' && ++relationshipBatches === 4)
          throw new Error('collector process killed');
      },
    });
    await expect(failing).rejects.toThrow(LoadError);
    await expect(failing).rejects.toThrow(/failed: collector process killed; nothing was deleted/);
    const after = await expectStillPublished(executor, published);
    const written = after.relationships.filter((r) => r.includes('fan-')).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(120);
    expect((await listRuns(executor, 1))[0]).toMatchObject({ status: 'failed', cleanedScopes: [] });

    // Some fan-out roles now have relationships (merged this time), others still none (created).
    const rerun = await loadInventory(executor, valid(fanOut(60)), { batchSize: 10, concurrency: 2 });
    expect(rerun.status).toBe('succeeded');
    const final = await snapshot(executor);
    expect(final.relationships).toHaveLength(valid(fanOut(60)).relationships.length);
    expect(await duplicates()).toEqual([]);
    expect(rerun.counts.CAN_ASSUME).toBe(2 + 120);
  });

  it('an endpoint replaced after its node batch (its element id gone) writes nothing and fails the load; nothing is deleted', async () => {
    await loadInventory(executor, valid(estate(1)));
    const published = await snapshot(executor);
    const newcomer = arn(A, 'role/newcomer');
    let replaced = false;
    const failing = loadInventory(executor, valid(grown()), {
      beforeBatch: async ({ phase }) => {
        if (phase !== 'relationships' || replaced) return;
        replaced = true;
        // Another node now carries the id: the element id the node batch returned names nothing.
        await executor.write('MATCH (n:AwsRole {id: $id}) DETACH DELETE n', { id: newcomer });
        await executor.write('CREATE (n:AwsRole:Principal:Entity {id: $id, scope: $scope})', {
          id: newcomer,
          scope: `aws:${A}`,
        });
      },
    });
    await expect(failing).rejects.toThrow(/replaced while the load ran/);
    await expect(failing).rejects.toThrow(/nothing was deleted/);
    const after = await expectStillPublished(executor, published);
    expect(after.relationships.filter((r) => r.includes('newcomer'))).toEqual([]);
  });

  it('a batch of created relationships whose transaction is run again merges the second time', async () => {
    // The driver re-runs a transaction after a transient error, even when its commit went through
    // unseen. Here every relationship batch runs twice in one transaction, the first run's writes
    // visible to the second, as after such a commit.
    const twice: GraphExecutor = Object.create(executor);
    twice.transaction = (mode, work, options) =>
      executor.transaction(
        mode,
        async (tx) => {
          if (options?.action?.includes('relationships')) await work(tx);
          return work(tx);
        },
        options,
      );
    const result = await loadInventory(twice, valid(fanOut(5)));
    expect(result.counts.CAN_ASSUME).toBe(2 + 10);
    expect((await snapshot(executor)).relationships).toHaveLength(valid(fanOut(5)).relationships.length);
    expect(await duplicates()).toEqual([]);
  });
});
