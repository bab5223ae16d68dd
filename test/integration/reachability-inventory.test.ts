import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { denseAwsEnvironment } from '../../bench/synthetic-aws-dense.js';
import { analyzeAws } from '../../src/analyzers/aws-iam/analyze.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { loadInventory } from '../../src/graph/loader.js';
import { type ValidInventory, validateInventory } from '../../src/model/validate.js';
import { analyzeProviders, providerJobs } from '../../src/pipeline/sync.js';
import { buildAwsInventory } from '../../src/providers/aws/inventory.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { computeReachability, type ReachabilityStats } from '../../src/reachability/compute.js';
import { analyzeAws as analyzeAwsSnapshot } from '../helpers/aws-sync.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { hubbedEstate } from '../helpers/hubbed-estate.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';
import { K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The summary of a load in the same process searches the inventory it has just loaded instead of
// reading the edges back: the REACHES rows must be those a read of the graph gives, row for row,
// and a graph holding anything else (another scope, stale edges) must be read.

const executor: GraphExecutor = testExecutor();
beforeEach(() => wipe(executor));
afterAll(() => executor.close());

/** Every REACHES row and REACHES_AS delegation with every property but firstSeen, sorted. */
async function reachesRows(): Promise<string[]> {
  const rows = await executor.read<{ row: string }>(
    `MATCH (a)-[x:REACHES]->(b)
     RETURN a.id + ' > ' + b.id + ' ' + x.hops + '/' + x.minHops + ' ' + x.levelMask + '/' + x.allLevelMask + ' via '
       + x.viaCode + ' first ' + x.firstHop + ' ' + x.conditional + ' ' + x.maxHops + ' ' + x.digest AS row
     UNION ALL
     MATCH (a)-[d:REACHES_AS]->(b)
     RETURN a.id + ' as ' + b.id + ' ' + d.viaDigit + ' ' + d.conditional + ' ' + d.maxHops + ' ' + d.digest AS row`,
  );
  return rows.map((r) => r.row).sort();
}

/** The rows read from the graph, then, from empty, the rows searched on the inventory; both. */
async function bothWays(valid: ValidInventory) {
  const fromGraph = await computeReachability(executor);
  const graphRows = await reachesRows();
  await executor.write('MATCH ()-[x:REACHES|REACHES_AS]->() DELETE x');
  const fromInventory = await computeReachability(executor, { loaded: valid });
  return { fromGraph, graphRows, fromInventory, inventoryRows: await reachesRows() };
}

function expectSame(r: Awaited<ReturnType<typeof bothWays>>): void {
  expect(r.fromGraph.edges).toBe('graph');
  expect(r.fromInventory.edges).toBe('inventory');
  expect(r.graphRows.length).toBeGreaterThan(0);
  expect(r.inventoryRows).toEqual(r.graphRows);
  const counts = (s: ReachabilityStats) => [
    s.principals,
    s.resources,
    s.hopEdges,
    s.accessEdges,
    s.rows,
    s.delegations,
  ];
  expect(counts(r.fromInventory)).toEqual(counts(r.fromGraph));
}

const kubernetes = async () =>
  (
    await analyzeProviders(
      providerJobs(
        PROVIDER_REGISTRY,
        ['kubernetes'],
        { snapshotRoot: K8S_FIXTURE_ROOT, options: {} },
        ConfigSchema.parse({}),
      ),
    )
  ).valid;

const CASES: [string, () => Promise<ValidInventory>][] = [
  [
    'the multi-account AWS fixture',
    async () => (await analyzeAwsSnapshot({ snapshotDir: MULTI_ACCOUNT })).valid,
  ],
  ['the sample estate', async () => (await analyzeAwsSnapshot({ snapshotDir: 'examples/sample-env' })).valid],
  [
    'a seeded dense account (with Grant hubs)',
    async () => {
      const environment = denseAwsEnvironment({ roles: 40, seed: 7 });
      const inventory = buildAwsInventory(environment, await analyzeAws(environment), {
        sourceName: 'dense',
      });
      return validateInventory(inventory, 'dense');
    },
  ],
  ['a seeded estate with hubs of every type', async () => validateInventory(hubbedEstate(3), 'hubbed')],
  ['the Kubernetes fixture', kubernetes],
];

describe('the summary searched on the inventory just loaded', () => {
  for (const [name, build] of CASES)
    it(`gives the rows a read of the graph gives: ${name}`, async () => {
      const valid = await build();
      await loadInventory(executor, valid);
      expectSame(await bothWays(valid));
      // Searched again over its own rows: every row confirmed, none rewritten or deleted.
      const again = await computeReachability(executor, { loaded: valid });
      expect(again).toMatchObject({ edges: 'inventory', created: 0, updated: 0, deleted: 0 });
      expect(again.unchanged).toBe(again.rows);
    });

  it('reads the graph when it holds another scope’s edges, and gives the same rows', async () => {
    const aws = (await analyzeAwsSnapshot({ snapshotDir: MULTI_ACCOUNT })).valid;
    await loadInventory(executor, aws);
    const k8s = await kubernetes();
    await loadInventory(executor, k8s);
    const stats = await computeReachability(executor, { loaded: k8s });
    expect(stats.edges).toBe('graph');
    const rows = await reachesRows();
    await executor.write('MATCH ()-[x:REACHES|REACHES_AS]->() DELETE x');
    await computeReachability(executor);
    expect(await reachesRows()).toEqual(rows);
    expect(rows.some((r) => r.startsWith('arn:aws:'))).toBe(true);
  });

  it('reads the graph when an edge the inventory does not hold is left in it', async () => {
    const valid = await kubernetes();
    await loadInventory(executor, valid);
    // A copy of one CAN_ACCESS edge between other nodes: the same count of another type would not do.
    await executor.write(
      `MATCH (p:Principal)-[a:CAN_ACCESS]->(r:Resource) WITH p, a, r LIMIT 1
       MATCH (q:Principal) WHERE q <> p AND NOT (q)-[:CAN_ACCESS]->(r) WITH q, a, r LIMIT 1
       CREATE (q)-[c:CAN_ACCESS]->(r) SET c = properties(a)`,
    );
    expect((await computeReachability(executor, { loaded: valid })).edges).toBe('graph');
  });
});
