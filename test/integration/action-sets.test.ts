import { afterAll, describe, expect, it } from 'vitest';
import { throughHub } from '../../src/answers/graph-reader.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { cypherFile, render } from '../../src/graph/cypher-files.js';
import { LoadError, loadInventory } from '../../src/graph/loader.js';
import { actionSetId } from '../../src/model/action-sets.js';
import { expandGrants } from '../../src/model/grants.js';
import type { InventoryInput } from '../../src/model/inventory.js';
import { validateInventory } from '../../src/model/validate.js';
import { analyzeProviders, providerJobs } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { testExecutor, wipe } from '../helpers/graph.js';

/**
 * Each distinct `CAN_ACCESS.actions` list is stored once, as an ActionSet node the edge names by
 * `actionSet` (src/model/action-sets.ts): every reader of an edge's actions must return the list the
 * inventory gave, for every provider, whether the graph holds the lists shared or (as loads before
 * them wrote it) on each edge; and a set lives exactly as long as some edge of any scope names it.
 */

const executor = testExecutor();
afterAll(() => executor.close());
const AS_OF = new Date('2026-12-01T00:00:00Z');

type Actions = Map<string, string>;
const pairKey = (from: unknown, to: unknown) => `${String(from)} > ${String(to)}`;
const listOf = (actions: unknown) => JSON.stringify(actions ?? null);

/** Every reader of access edges' actions, as (principal > resource) → the actions' JSON. */
async function readersOf(principals: { id: string; label: string }[]): Promise<Record<string, Actions>> {
  const ids = principals.map((p) => p.id);
  const out: Record<string, Actions> = {
    granted: new Map(),
    anomalies: new Map(),
    pairUse: new Map(),
    edgesOut: new Map(),
    edge: new Map(),
    routeEdges: new Map(),
  };
  for (const { id, label } of principals) {
    for (const row of await executor.read<{ type: string; target: string; actions: unknown }>(
      cypherFile('activity/granted').text,
      { id },
    ))
      if (row.type === 'CAN_ACCESS') out.granted?.set(pairKey(id, row.target), listOf(row.actions));
    const edges = await executor.read<{
      type: string;
      props: Record<string, unknown>;
      otherId: string;
      memberProps: Record<string, unknown> | null;
      grant: string | null;
      from: { props: Record<string, unknown>; labels: string[]; elementId: string };
      to: { props: Record<string, unknown>; labels: string[]; elementId: string };
    }>(render(cypherFile('api/edges-out'), { label }), {
      id,
      types: ['CAN_ACCESS'],
      afterType: null,
      afterId: null,
      limit: 100_000,
    });
    for (const row of edges) {
      out.edgesOut?.set(pairKey(id, row.otherId), listOf(row.props.actions));
      const [one] = await executor.read<{ props: Record<string, unknown> }>(
        render(cypherFile('api/edge'), {
          fromLabel: label,
          toLabel: row.to.labels.find((l) => !['Entity', 'Resource', 'Principal'].includes(l)) ?? 'Entity',
          type: 'CAN_ACCESS',
        }),
        { from: id, to: row.otherId },
      );
      out.edge?.set(pairKey(id, row.otherId), listOf(one?.props.actions));
    }
  }
  for (const row of await executor.read<{ identity: string; type: string; target: string; actions: unknown }>(
    cypherFile('anomalies/granted').text,
    { ids },
  ))
    if (row.type === 'CAN_ACCESS') out.anomalies?.set(pairKey(row.identity, row.target), listOf(row.actions));
  // The fragment the unused rules include (nhi-unused-high-privilege reports its `actions`).
  for (const row of await executor.read<{ p: string; t: string; actions: unknown }>(
    `UNWIND $ids AS id MATCH (p:Principal {id: id})
     ${cypherFile('activity/pair-use').text}
     WITH p, t, pair WHERE pair.type = 'CAN_ACCESS'
     RETURN p.id AS p, t.id AS t, pair.actions AS actions`,
    { ids },
  ))
    out.pairUse?.set(pairKey(row.p, row.t), listOf(row.actions));
  // The answers' route edges, direct and through a Grant hub, by internal ids as a route names them.
  const routes = await executor.read<{ from: number; to: number; hub: number | null }>(
    `MATCH (a:Principal)-[:CAN_ACCESS]->(b) WHERE NOT a:Grant AND NOT b:Grant
     RETURN toFloat(id(a)) AS from, toFloat(id(b)) AS to, null AS hub
     UNION ALL
     MATCH (a:Principal)-[m:CAN_ACCESS]->(g:Grant)-[:CAN_ACCESS]->(b)
     RETURN toFloat(id(a)) AS from, toFloat(id(b)) AS to, toFloat(id(g)) AS hub`,
  );
  const [route] = await executor.read<{
    edges: {
      type: string;
      props: Record<string, unknown>;
      memberProps: Record<string, unknown> | null;
      grant: string | null;
      from: { props: Record<string, unknown>; labels: string[]; elementId: string };
      to: { props: Record<string, unknown>; labels: string[]; elementId: string };
    }[];
  }>(cypherFile('answers/route-edges').text, {
    edges: routes.map((r) => ({ ...r, type: 'CAN_ACCESS' })),
  });
  for (const edge of route?.edges ?? []) {
    // As the answers read it: through a hub, the pair the two legs stand for.
    const pair = throughHub({ ...edge, grant: edge.grant ?? undefined });
    out.routeEdges?.set(pairKey(edge.from.props.id, edge.to.props.id), listOf(pair.props.actions));
  }
  return out;
}

const sampleJobs = () =>
  providerJobs(
    PROVIDER_REGISTRY,
    [],
    { snapshotRoot: 'examples/sample-env', options: {} },
    ConfigSchema.parse({}),
  );

describe('action lists stored once (ActionSet)', () => {
  it('every reader returns the actions the inventory gave, for AWS, GCP and Kubernetes, shared or on each edge', {
    timeout: 600_000,
  }, async () => {
    await wipe(executor);
    const run = await analyzeProviders(sampleJobs(), { asOf: AS_OF });
    const load = await loadInventory(executor, run.valid);
    expect(load.status).toBe('succeeded');

    // What the readers must return: the pair edges of the inventory (through hubs as they stand for).
    const pairs = expandGrants({
      nodes: run.valid.inventory.nodes,
      relationships: run.valid.inventory.relationships,
    }).relationships.filter((r) => r.type === 'CAN_ACCESS');
    const expected: Actions = new Map(
      pairs.map((r) => [pairKey(r.from, r.to), listOf(r.properties?.actions)]),
    );
    const providers = new Set(
      run.valid.nodes
        .filter((n) => pairs.some((r) => r.from === n.id))
        .map((n) => String(n.properties.provider)),
    );
    expect([...providers]).toEqual(expect.arrayContaining(['aws', 'gcp', 'kubernetes']));

    // Stored: no access edge holds a list; one node per distinct list, named by its content address.
    const [stored] = await executor.read<{ inline: number; named: number; sets: number }>(
      `CALL () { MATCH ()-[r:CAN_ACCESS]->() WHERE r.actions IS NOT NULL RETURN count(r) AS inline }
       CALL () { MATCH ()-[r:CAN_ACCESS]->() WHERE r.actionSet IS NOT NULL RETURN count(r) AS named }
       CALL () { MATCH (s:ActionSet) RETURN count(s) AS sets }
       RETURN inline, named, sets`,
    );
    const lists = run.valid.relationships.flatMap((r) =>
      Array.isArray(r.properties.actions) ? [r.properties.actions as string[]] : [],
    );
    expect(stored).toEqual({ inline: 0, named: lists.length, sets: new Set(lists.map(listOf)).size });
    expect(stored?.sets).toBeLessThan(lists.length);

    const principals = await executor.read<{ id: string; label: string }>(
      `MATCH (p:Principal)-[:CAN_ACCESS]->() WHERE NOT p:Grant
       RETURN DISTINCT p.id AS id, [l IN labels(p) WHERE NOT l IN ['Entity', 'Principal', 'Resource', 'Workload', 'Credential']][0] AS label`,
    );
    const shared = await readersOf(principals);
    for (const [reader, actions] of Object.entries(shared)) {
      expect(actions.size, reader).toBeGreaterThan(0);
      for (const [pair, list] of actions) expect(list, `${reader}: ${pair}`).toBe(expected.get(pair));
    }
    expect(shared.routeEdges?.size).toBe(expected.size);
    expect(shared.anomalies?.size).toBe(expected.size);

    // The same graph as loads before shared lists wrote it: each edge its own list.
    await executor.write(
      `MATCH ()-[r:CAN_ACCESS]->() WHERE r.actionSet IS NOT NULL
       MATCH (s:ActionSet {id: r.actionSet})
       SET r.actions = s.actions REMOVE r.actionSet`,
    );
    await executor.write('MATCH (s:ActionSet) DELETE s');
    const inline = await readersOf(principals);
    for (const [reader, actions] of Object.entries(shared))
      expect(Object.fromEntries(inline[reader] ?? []), reader).toEqual(Object.fromEntries(actions));
  });

  it('keeps a set while an edge of any scope or provider names it, removes it once none does, and deletes nothing on a failed load', async () => {
    await wipe(executor);
    const common = ['s3:GetObject', 's3:ListBucket'];
    // A list and the same names in another order are two sets: a list is stored as given.
    const awsOnly = ['s3:PutObject', 's3:DeleteObject'];
    const gcpOnly = ['storage.objects.get'];
    const load = (input: InventoryInput, options = {}) =>
      loadInventory(executor, validateInventory(input, 'test'), options);
    const sets = async () =>
      (
        await executor.read<{ id: string; actions: string[] }>(
          'MATCH (s:ActionSet) RETURN s.id AS id, s.actions AS actions ORDER BY id',
        )
      )
        .map((s) => s.actions.join(','))
        .sort();
    const granted = async (id: string) =>
      (
        await executor.read<{ target: string; actions: string[] }>(cypherFile('activity/granted').text, {
          id,
        })
      ).map((r) => `${r.target}: ${r.actions.join(',')}`);

    await load(aws([common, awsOnly]));
    await load(gcp([common, gcpOnly]));
    expect(await sets()).toEqual([awsOnly, common, gcpOnly].map((l) => l.join(',')).sort());

    // AWS drops the shared list: GCP still names it, so it stays; AWS's edges read their new lists.
    const awsRun = await load(
      aws([awsOnly, [...awsOnly].reverse(), ['s3:GetObject', 's3:ListBucket', 's3:PutObject']]),
    );
    expect(awsRun.deleted.ActionSet).toBeUndefined();
    expect(await sets()).toContain(common.join(','));
    expect(await granted(GCP_SA)).toEqual([
      `${GCP_BUCKET}-0: ${common.join(',')}`,
      `${GCP_BUCKET}-1: ${gcpOnly.join(',')}`,
    ]);

    // A failed load whose scope is complete deletes nothing, sets included.
    const before = await sets();
    await expect(
      load(gcp([gcpOnly]), {
        beforeBatch: ({ phase }: { phase: string }) => {
          if (phase === 'relationships') throw new Error('killed');
        },
      }),
    ).rejects.toBeInstanceOf(LoadError);
    expect(await sets()).toEqual(before);
    expect(await granted(GCP_SA)).toEqual([
      `${GCP_BUCKET}-0: ${common.join(',')}`,
      `${GCP_BUCKET}-1: ${gcpOnly.join(',')}`,
    ]);

    // GCP drops it too: no edge names it any more, so it goes; the others stay.
    const gcpRun = await load(gcp([gcpOnly]));
    expect(gcpRun.deleted.ActionSet).toBe(1);
    expect(await sets()).toEqual(
      [awsOnly, [...awsOnly].reverse(), ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], gcpOnly]
        .map((l) => l.join(','))
        .sort(),
    );
    const [one] = await executor.read<{ id: string }>(
      'MATCH (s:ActionSet) WHERE s.actions = $actions RETURN s.id AS id',
      { actions: gcpOnly },
    );
    expect(one?.id).toBe(actionSetId(gcpOnly));
  });
});

const ACCOUNT = '333333333333';
const AWS_ROLE = `arn:aws:iam::${ACCOUNT}:role/reader`;
const GCP_SA = 'gcp:sa:reader@shop-prod.iam.gserviceaccount.com';
const GCP_BUCKET = 'gcp:storage:projects/_/buckets/shop-data';

/** One AWS account: a role with one access edge per list, to a bucket each. */
function aws(lists: string[][]): InventoryInput {
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'aws' },
    scopes: [{ id: `aws:${ACCOUNT}`, provider: 'aws', complete: true }],
    nodes: [
      {
        id: AWS_ROLE,
        kind: 'AwsRole',
        scope: `aws:${ACCOUNT}`,
        properties: { name: 'reader', nonHuman: true, nhiType: 'role', accountId: ACCOUNT },
      },
      ...lists.map((_, i) => ({
        id: `arn:aws:s3:::data-${i}`,
        kind: 'AwsS3Bucket',
        scope: `aws:${ACCOUNT}`,
        properties: { name: `data-${i}` },
      })),
    ],
    relationships: lists.map((actions, i) => ({
      type: 'CAN_ACCESS',
      from: AWS_ROLE,
      to: `arn:aws:s3:::data-${i}`,
      properties: { levels: ['read'], actions },
      evidence: [
        { source: 'identity-policy', ref: `${AWS_ROLE}/policy`, statement: '0', reason: 'policy allows it' },
      ],
    })),
  } as InventoryInput;
}

/** One GCP project: a service account with one access edge per list, to a bucket each. */
function gcp(lists: string[][]): InventoryInput {
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'gcp' },
    scopes: [{ id: 'gcp:projects/shop-prod', provider: 'gcp', complete: true }],
    nodes: [
      {
        id: GCP_SA,
        kind: 'GcpServiceAccount',
        scope: 'gcp:projects/shop-prod',
        properties: { name: 'reader', nonHuman: true, nhiType: 'service-account' },
      },
      ...lists.map((_, i) => ({
        id: `${GCP_BUCKET}-${i}`,
        kind: 'GcpStorageBucket',
        scope: 'gcp:projects/shop-prod',
        properties: { name: `shop-data-${i}` },
      })),
    ],
    relationships: lists.map((actions, i) => ({
      type: 'CAN_ACCESS',
      from: GCP_SA,
      to: `${GCP_BUCKET}-${i}`,
      properties: { levels: ['read'], actions },
      evidence: [
        { source: 'iam-binding', ref: 'projects/shop-prod', statement: '0', reason: 'binding grants it' },
      ],
    })),
  } as InventoryInput;
}
