import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { LoadError, loadInventory } from '../../src/graph/loader.js';
import {
  InventoryError,
  parseInventoryText,
  storedEvidenceReason,
  validateInventory,
} from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { listRuns } from '../../src/records/collection-runs.js';
import { A, arn, B, bigEstate, estate } from '../fixtures/inventories.js';
import { expectStillPublished, snapshot, testExecutor, wipe } from '../helpers/graph.js';

const executor: GraphExecutor = testExecutor();
const valid = (input: unknown) => validateInventory(input, 'test');

beforeEach(() => wipe(executor));
afterAll(() => executor.close());

describe('loader against a real Neo4j', () => {
  it('writes every node and relationship with labels, typed properties, stamps and a run record', async () => {
    const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
    const inventory = parseInventoryText(text, 'sample');
    const result = await loadInventory(executor, inventory, { batchSize: 4 });

    expect(result.status).toBe('succeeded');
    const graph = await snapshot(executor);
    expect(graph.nodes).toHaveLength(inventory.nodes.length);
    expect(graph.relationships).toHaveLength(inventory.relationships.length);

    const [key] = await executor.read<Record<string, unknown>>(
      `MATCH (k:AwsAccessKey:Credential) RETURN valueType(k.ageDays) AS ageType, valueType(k.createdAt) AS createdType,
         valueType(k.firstSeen) AS seenType, k.lastRunId AS runId, k.scope AS scope`,
    );
    expect(key).toEqual({
      ageType: 'INTEGER NOT NULL',
      createdType: 'ZONED DATETIME NOT NULL',
      seenType: 'ZONED DATETIME NOT NULL',
      runId: result.runId,
      scope: 'aws:111111111111',
    });
    const [edge] = await executor.read<Record<string, unknown>>(
      `MATCH (:OidcSubject)-[r:FEDERATES_TO]->(:AwsRole) RETURN r.reason AS reason, r.evidenceRefs AS refs, r.conditional AS conditional,
         r.evidence AS evidence, r.scope AS scope`,
    );
    // The reason and the documents' ids are not stored: readers derive them from the evidence.
    expect(edge).toMatchObject({ reason: null, refs: null, conditional: false, scope: 'aws:222222222222' });
    expect(storedEvidenceReason(edge?.evidence)).toContain('repo:acme/payments');
    expect(JSON.parse(edge?.evidence as string)[0].ref).toBe(
      'arn:aws:iam::222222222222:role/github-actions-deploy',
    );
    expect(edge).toMatchObject({
      conditional: false,
      scope: 'aws:222222222222',
    });
    expect(JSON.parse(edge?.evidence as string)[0].statement).toBe('GithubMain');

    const [run] = await listRuns(executor, 1);
    expect(run).toMatchObject({ id: result.runId, status: 'succeeded', errors: [] });
    expect(run?.counts.AwsRole).toBe(5);
    expect(run?.counts.CAN_ACCESS).toBe(6);
    expect(run?.cleanedScopes.sort()).toEqual(['aws:111111111111', 'aws:222222222222', 'custom:jenkins']);
  });

  it('re-loading is idempotent: no duplicates, firstSeen kept, lastSeen and lastRunId moved on', async () => {
    const first = await loadInventory(executor, valid(estate(1)));
    const before = await snapshot(executor);
    const [{ seen: firstSeen } = { seen: '' }] = await executor.read<{ seen: string }>(
      `MATCH (n:AwsRole {id: $id}) RETURN n.firstSeen AS seen`,
      { id: arn(A, 'role/ci') },
    );
    const second = await loadInventory(executor, valid(estate(1)));
    expect(await snapshot(executor)).toEqual(before);
    const [row] = await executor.read<{ firstSeen: string; lastSeen: string; runId: string }>(
      `MATCH (n:AwsRole {id: $id}) RETURN n.firstSeen AS firstSeen, n.lastSeen AS lastSeen, n.lastRunId AS runId`,
      { id: arn(A, 'role/ci') },
    );
    expect(row?.firstSeen).toBe(firstSeen);
    expect(row?.runId).toBe(second.runId);
    expect(second.runId).not.toBe(first.runId);
    expect(Date.parse(row?.lastSeen ?? '')).toBeGreaterThanOrEqual(Date.parse(firstSeen));
  });

  it('plans each statement once, whatever the sizes of its batches', async () => {
    // Neo4j keys its plan cache by the parameters' types, a list's size class among them: batches of
    // one row must find the plan a batch of seven made (src/graph/loader.ts, batchParams). Seven
    // AwsRole nodes: a statement run more than ten times is compiled again, faster (expression code
    // generation), which would add an entry here whatever the parameters.
    const inventory = valid(bigEstate(4));
    const load = (batchSize: number) =>
      loadInventory(executor, inventory, { batchSize, heartbeatMs: 3_600_000 });
    const clearPlans = async () => {
      const [row] = await executor.write<{ value: string }>('CALL db.clearQueryCaches()');
      return Number(/(\d+) quer/.exec(row?.value ?? '')?.[1]);
    };
    // Runs recorded first, so that the two more the loads below record do not change the statistics
    // enough for a statement to be planned again as stale.
    for (let i = 0; i < 4; i++) await load(1_000);
    await clearPlans();
    await load(1_000);
    const plans = await clearPlans();
    await load(1_000);
    await load(1);
    expect(plans).toBeGreaterThan(10);
    expect(await clearPlans()).toBe(plans);
  });

  it('replaces node properties with the latest observation', async () => {
    await loadInventory(executor, valid(estate(1)));
    await loadInventory(executor, valid(estate(2)));
    const [bucket] = await executor.read<{ tags: string[] }>(`MATCH (b:AwsS3Bucket) RETURN b.tags AS tags`);
    expect(bucket?.tags).toEqual(['env=prod']);
  });

  it('deletes what a complete scope no longer reports, and nothing in an incomplete scope', async () => {
    await loadInventory(executor, valid(estate(1)));
    const result = await loadInventory(executor, valid(estate(2, { completeB: false })));

    expect(result.cleanedScopes).toEqual([`aws:${A}`]);
    const graph = await snapshot(executor);
    // Scope A is complete: its missing role and trust edge are gone.
    expect(graph.nodes).not.toContain(`AwsRole ${arn(A, 'role/legacy')}`);
    expect(graph.relationships).not.toContain(`${arn(A, 'role/ci')} -CAN_ASSUME-> ${arn(A, 'role/legacy')}`);
    // Scope B is incomplete: what it did not report this time stays.
    expect(graph.nodes).toContain(`AwsRole ${arn(B, 'role/old-app')}`);
    expect(graph.relationships).toContain(
      `aws:service:lambda.amazonaws.com -CAN_ASSUME-> ${arn(B, 'role/old-app')}`,
    );
    expect(result.deleted).toEqual({ AwsRole: 1, CAN_ASSUME: 1 });
    const [run] = await listRuns(executor, 1);
    expect(run?.errors).toEqual([`aws:${B}: incomplete collection, stale data kept`]);
    // Every scope is recorded as loaded by the run (all of them in one statement), only A as completed.
    const scopes = await executor.read<Record<string, unknown>>(
      `MATCH (r:CollectionRun {id: $runId})-[:COLLECTED]->(s:Scope)
       RETURN s.id AS id, s.lastRunId = r.id AS loaded, s.lastCompleteRunId = r.id AS completed ORDER BY id`,
      { runId: result.runId },
    );
    expect(scopes).toEqual([
      { id: `aws:${A}`, loaded: true, completed: true },
      { id: `aws:${B}`, loaded: true, completed: false },
    ]);

    // Once B is collected completely, its stale role and that role's trust edge go too.
    const complete = await loadInventory(executor, valid(estate(2)));
    expect(complete.deleted).toEqual({ AwsRole: 1, CAN_ASSUME: 1 });
  });

  it('counts deleted nodes by their kind, whatever order Neo4j keeps their labels in', async () => {
    // A category label whose token exists before the kind's would come first in labels(n).
    await executor.write('CREATE (p:Resource:Principal:Entity {id: "label-order-probe"}) DELETE p');
    await loadInventory(executor, valid(estate(1)));
    const withoutBucket = estate(1);
    withoutBucket.nodes = (withoutBucket.nodes ?? []).filter((n) => n.kind !== 'AwsS3Bucket');
    withoutBucket.relationships = (withoutBucket.relationships ?? []).filter((r) => r.type !== 'CAN_ACCESS');
    const result = await loadInventory(executor, valid(withoutBucket));
    // The access edge's action list goes with the last edge that named it.
    expect(result.deleted).toEqual({ AwsS3Bucket: 1, CAN_ACCESS: 1, ActionSet: 1 });
  });

  it('keeps shared nodes while any relationship uses them, and removes them once orphaned', async () => {
    await loadInventory(executor, valid(estate(1)));
    const result = await loadInventory(executor, valid(estate(2)));
    const graph = await snapshot(executor);
    // estate(2) still lists the service principal, so it was confirmed by the run and stays.
    expect(graph.nodes).toContain('AwsServicePrincipal aws:service:lambda.amazonaws.com');
    expect(result.deleted.AwsRole).toBe(2);

    const withoutPrincipal = estate(2);
    withoutPrincipal.nodes = (withoutPrincipal.nodes ?? []).filter((n) => n.kind !== 'AwsServicePrincipal');
    const third = await loadInventory(executor, valid(withoutPrincipal));
    expect(third.deleted).toEqual({ AwsServicePrincipal: 1 });
  });

  it('a load that fails half-way deletes nothing, records why, and a re-run completes it', async () => {
    await loadInventory(executor, valid(estate(1)));
    const published = await snapshot(executor);

    let batches = 0;
    const failing = loadInventory(executor, valid(bigEstate(50)), {
      batchSize: 10,
      beforeBatch: () => {
        batches += 1;
        if (batches === 3) throw new Error('collector process killed');
      },
    });
    await expect(failing).rejects.toThrow(LoadError);
    await expect(failing).rejects.toThrow(
      /run run-\S+ failed: collector process killed; nothing was deleted/,
    );

    // Everything published before is still there (the failed run only added or refreshed facts).
    const after = await expectStillPublished(executor, published);
    const written = after.nodes.filter((n) => n.includes('bulk-')).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(50);
    const [failed] = await listRuns(executor, 1);
    expect(failed).toMatchObject({
      status: 'failed',
      errors: ['collector process killed'],
      cleanedScopes: [],
    });

    // Re-running completes it: the graph is exactly the new inventory.
    await loadInventory(executor, valid(bigEstate(50)));
    const expected = valid(bigEstate(50));
    const final = await snapshot(executor);
    expect(final.nodes).toHaveLength(expected.nodes.length);
    expect(final.relationships).toHaveLength(expected.relationships.length);
    expect(final.nodes).not.toContain(`AwsRole ${arn(A, 'role/legacy')}`);
  });

  it('an aborted load is recorded as interrupted and deletes nothing', async () => {
    await loadInventory(executor, valid(estate(1)));
    const abort = new AbortController();
    const load = loadInventory(executor, valid(bigEstate(30)), {
      batchSize: 10,
      signal: abort.signal,
      beforeBatch: ({ index }) => {
        if (index === 1) abort.abort('interrupted by SIGINT');
      },
    });
    await expect(load).rejects.toMatchObject({ status: 'interrupted' });
    const [run] = await listRuns(executor, 1);
    expect(run).toMatchObject({ status: 'interrupted', errors: ['interrupted by SIGINT'] });
    expect((await snapshot(executor)).nodes).toContain(`AwsRole ${arn(A, 'role/legacy')}`);
  });

  it('a run left running by a dead loader is marked interrupted by the next load', async () => {
    await executor.write(
      `CREATE (:CollectionRun {id: 'run-old', status: 'running', startedAt: datetime() - duration('PT1H'),
         heartbeatAt: datetime() - duration('PT1H'), errors: [], scopes: [], sources: [], cleanedScopes: [], counts: '{}', deleted: '{}'})`,
    );
    const result = await loadInventory(executor, valid(estate(1)));
    expect(result.interruptedRuns).toEqual(['run-old']);
    const runs = await listRuns(executor, 5);
    expect(runs.find((r) => r.id === 'run-old')?.status).toBe('interrupted');
  });

  it('refuses an inventory whose edge points at a node in neither it nor the graph, before writing anything', async () => {
    await loadInventory(executor, valid(estate(1)));
    const before = await snapshot(executor);
    const properties = () =>
      executor.read<{ id: string; props: Record<string, unknown> }>(
        'MATCH (n:Entity) RETURN n.id AS id, properties(n) AS props ORDER BY id',
      );
    const stored = await properties();
    // A renamed role and a changed bucket (both written first, before the fix) and a dangling edge.
    const input = estate(2);
    const ci = input.nodes?.find((n) => n.id === arn(A, 'role/ci'));
    if (ci) ci.properties = { ...ci.properties, name: 'renamed-ci' };
    input.relationships?.push({
      type: 'CAN_ASSUME',
      from: arn(A, 'role/ci'),
      to: arn('333333333333', 'role/ghost'),
      toKind: 'AwsRole',
      scope: `aws:${A}`,
      evidence: [{ source: 'trust-policy', ref: 'x', reason: 'ghost' }],
    });
    const load = loadInventory(executor, valid(input));
    await expect(load).rejects.toThrow(InventoryError);
    await expect(load).rejects.toThrow(
      /estate-v2: invalid inventory \(1 problem; nothing was loaded\)\n {2}CAN_ASSUME "arn:aws:iam::111111111111:role\/ci" -> "arn:aws:iam::333333333333:role\/ghost": to AwsRole "arn:aws:iam::333333333333:role\/ghost" is in neither this inventory nor the graph/,
    );
    expect(await snapshot(executor)).toEqual(before);
    expect(await properties()).toEqual(stored);
    expect(await listRuns(executor, 5)).toHaveLength(1);

    // A reference to a node of another scope that is in the graph is fine.
    const linked = estate(2, { completeB: false });
    linked.relationships?.push({
      type: 'CAN_ASSUME',
      from: arn(A, 'role/ci'),
      to: arn(B, 'role/old-app'),
      toKind: 'AwsRole',
      scope: `aws:${A}`,
      evidence: [{ source: 'trust-policy', ref: 'x', reason: 'old-app' }],
    });
    await expect(loadInventory(executor, valid(linked))).resolves.toMatchObject({
      status: 'succeeded',
    });
  });

  it('fails clearly when a node it links to is deleted by another writer during the load', async () => {
    await loadInventory(executor, valid(estate(1)));
    const input = estate(2, { completeB: false });
    input.relationships?.push({
      type: 'CAN_ASSUME',
      from: arn(A, 'role/ci'),
      to: arn(B, 'role/old-app'),
      toKind: 'AwsRole',
      scope: `aws:${A}`,
      evidence: [{ source: 'trust-policy', ref: 'x', reason: 'old-app' }],
    });
    const load = loadInventory(executor, valid(input), {
      beforeBatch: async ({ phase }) => {
        if (phase === 'relationships')
          await executor.write('MATCH (n:AwsRole {id: $id}) DETACH DELETE n', { id: arn(B, 'role/old-app') });
      },
    });
    await expect(load).rejects.toThrow(
      /CAN_ASSUME relationships \(AwsRole -> AwsRole\) point at nodes that are in neither this inventory nor the graph: AwsRole "arn:aws:iam::222222222222:role\/old-app"/,
    );
    const [run] = await listRuns(executor, 1);
    expect(run?.status).toBe('failed');
  });

  it('cleans up in one transaction with the run’s success: a failure during cleanup deletes nothing', async () => {
    await loadInventory(executor, valid(estate(1)));
    const published = await snapshot(executor);
    let scopesCleaned = 0;
    const load = loadInventory(executor, valid(estate(2)), {
      onProgress: ({ phase }) => {
        // The cleanup's second statement is where the process dies; the first one's deletes are done.
        if (phase === 'cleanup' && ++scopesCleaned === 2) throw new Error('killed during cleanup');
      },
    });
    await expect(load).rejects.toThrow(/failed: killed during cleanup; nothing was deleted/);
    await expectStillPublished(executor, published);
    const [failed] = await listRuns(executor, 1);
    expect(failed).toMatchObject({ status: 'failed', cleanedScopes: [], deleted: {} });

    // The next run cleans what this one could not.
    const next = await loadInventory(executor, valid(estate(2)));
    expect(next.deleted).toEqual({ AwsRole: 2, CAN_ASSUME: 2 });
  });

  it('removes an orphaned shared node in the run that orphans it, even with summary rows attached', async () => {
    const withExternal = estate(1);
    const external = `external:${arn('999999999999', 'root')}`;
    withExternal.nodes?.push({
      id: external,
      kind: 'ExternalPrincipal',
      properties: {
        name: 'account 999999999999 (not collected)',
        accountId: '999999999999',
        nonHuman: false,
      },
    });
    withExternal.relationships?.push({
      type: 'CAN_ASSUME',
      from: external,
      to: arn(A, 'role/ci'),
      evidence: [
        { source: 'trust-policy', ref: arn(A, 'role/ci'), statement: '1', reason: 'trusts 999999999999' },
      ],
    });
    await publishInventory(executor, valid(withExternal), { summary: true });
    const [{ reaches } = { reaches: 0 }] = await executor.read<{ reaches: number }>(
      'MATCH (:ExternalPrincipal)-[r:REACHES]->() RETURN count(r) AS reaches',
    );
    expect(reaches).toBeGreaterThan(0);

    const second = await publishInventory(executor, valid(estate(1)), { summary: true });
    expect(second.deleted.ExternalPrincipal).toBe(1);
    expect((await snapshot(executor)).nodes).not.toContain(`ExternalPrincipal ${external}`);
  });
});
