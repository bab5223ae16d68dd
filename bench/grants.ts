// Grant hubs benchmark: one synthetic estate with a large product of principals × targets, loaded
// and summarised twice in one run, back to back on the same Neo4j: once with the shared reasons
// stored as Grant hubs (src/model/grants.ts), once expanded into one edge per pair (expandGrants,
// the baseline). Prints relationships written, load time, summary time and REACHES rows, the
// single-pair query latency and the benchmark process's peak heap, for both, with ratios.
//
//   npm run bench:grants [-- --principals 2000 --targets 1000 --hubs 10 --pairs 20 --json]
//
// The estate: `principals` roles and `targets` buckets in one account. Principal i belongs to
// access hub i mod `hubs` and bucket j is a target of access hub j mod `hubs` (CAN_ACCESS, read and
// list), so the access hubs stand for principals × targets / hubs pairs; every principal may also
// assume each of 10 gateway roles through one CAN_ASSUME hub, and gateway g reads bucket g directly.
// Single-pair latency: `pairs` (principal, bucket) pairs through `GraphPathQueries.reach`, once as
// asked (the summary's row, then the route's edges) and once with `certain` (the pair search).
import { parseArgs } from 'node:util';
import { GraphPathQueries } from '../src/answers/questions.js';
import { loadInventory } from '../src/graph/loader.js';
import { expandGrants, GRANT_KIND } from '../src/model/grants.js';
import { type Inventory, InventorySchema } from '../src/model/inventory.js';
import { validateInventory } from '../src/model/validate.js';
import { computeReachability } from '../src/reachability/compute.js';
import {
  type BenchGraph,
  latencyStats,
  log,
  now,
  openBenchGraph,
  positive,
  printUsage,
  runBench,
  seconds,
  wipe,
} from './lib.js';

const ACCOUNT = '111111111111';
const GATEWAYS = 10;
const roleId = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const bucketId = (j: number) => `arn:aws:s3:::bucket-${j}`;
const evidence = (ref: string, reason: string) => [
  { source: 'identity-policy' as const, ref, statement: '0', reason },
];

function estate(principals: number, targets: number, hubs: number): Inventory {
  const scope = `aws:${ACCOUNT}`;
  const nodes: Inventory['nodes'] = [];
  const relationships: Inventory['relationships'] = [];
  const grant = (id: string, family: string, members: number, count: number) =>
    nodes.push({ id, kind: GRANT_KIND, scope, properties: { name: id, family, members, targets: count } });
  for (let i = 0; i < principals; i++)
    nodes.push({
      id: roleId(`p-${i}`),
      kind: 'AwsRole',
      scope,
      properties: { name: `p-${i}`, nonHuman: true, nhiType: 'role' },
    });
  for (let g = 0; g < GATEWAYS; g++)
    nodes.push({
      id: roleId(`gateway-${g}`),
      kind: 'AwsRole',
      scope,
      properties: { name: `gateway-${g}`, nonHuman: true, nhiType: 'role' },
    });
  for (let j = 0; j < targets; j++)
    nodes.push({
      id: bucketId(j),
      kind: 'AwsS3Bucket',
      scope,
      properties: { name: `bucket-${j}`, environment: 'production' },
    });
  for (let h = 0; h < hubs; h++) {
    const id = `grant:aws:${ACCOUNT}:access-buckets:${h}`;
    grant(id, 'access-buckets', Math.ceil((principals - h) / hubs), Math.ceil((targets - h) / hubs));
    for (let i = h; i < principals; i += hubs)
      relationships.push({
        type: 'CAN_ACCESS',
        from: roleId(`p-${i}`),
        to: id,
        properties: {},
        evidence: evidence(roleId(`p-${i}`), `policy of p-${i} allows s3:Get* on bucket-* (class ${h})`),
      });
    for (let j = h; j < targets; j += hubs)
      relationships.push({
        type: 'CAN_ACCESS',
        from: id,
        to: bucketId(j),
        properties: { levels: ['list', 'read'] },
        evidence: evidence(bucketId(j), `bucket-${j} is in class ${h}`),
      });
  }
  const assume = `grant:aws:${ACCOUNT}:assume-gateways:0`;
  grant(assume, 'assume-gateways', principals, GATEWAYS);
  for (let i = 0; i < principals; i++)
    relationships.push({
      type: 'CAN_ASSUME',
      from: roleId(`p-${i}`),
      to: assume,
      properties: {},
      evidence: evidence(roleId(`p-${i}`), `policy of p-${i} allows sts:AssumeRole on *`),
    });
  for (let g = 0; g < GATEWAYS; g++) {
    relationships.push({
      type: 'CAN_ASSUME',
      from: assume,
      to: roleId(`gateway-${g}`),
      properties: {},
      evidence: evidence(roleId(`gateway-${g}`), `gateway-${g} trusts the account`),
    });
    relationships.push({
      type: 'CAN_ACCESS',
      from: roleId(`gateway-${g}`),
      to: bucketId(g),
      properties: { levels: ['read'] },
      evidence: evidence(bucketId(g), `gateway-${g} reads bucket-${g}`),
    });
  }
  return InventorySchema.parse({
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'bench-grants' },
    scopes: [{ id: scope, provider: 'aws', complete: true }],
    nodes,
    relationships,
  });
}

/** Samples the heap while `work` runs: the peak is what the process held at its fullest. */
async function withPeakHeap<T>(work: () => Promise<T>): Promise<{ value: T; peakHeapMb: number }> {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, peakHeapMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(graph: BenchGraph, inventory: Inventory, name: string, pairs: number) {
  await wipe(graph.driver, graph.target.database);
  global.gc?.();
  const valid = validateInventory(inventory, name);
  log(`${name}: loading ${valid.relationships.length.toLocaleString('en-US')} relationships…`);
  const load = await withPeakHeap(async () => {
    const started = now();
    await loadInventory(graph.executor, valid);
    return now() - started;
  });
  const [counts] = await graph.executor.read<{ relationships: number }>(
    'MATCH ()-[r]->() RETURN count(r) AS relationships',
  );
  global.gc?.();
  log(`${name}: computing the summary…`);
  const summary = await withPeakHeap(async () => {
    const started = now();
    const stats = await computeReachability(graph.executor, {});
    return { ms: now() - started, rows: stats.rows };
  });
  const queries = new GraphPathQueries(graph.executor);
  const sample = Array.from({ length: pairs }, (_, k) => ({
    from: roleId(`p-${(k * 7919) % inventory.nodes.filter((n) => n.id.includes(':role/p-')).length}`),
    to: bucketId((k * 104_729) % inventory.nodes.filter((n) => n.kind === 'AwsS3Bucket').length),
  }));
  const times = { asked: [] as number[], certain: [] as number[] };
  let found = 0;
  for (const pair of sample)
    for (const mode of ['asked', 'certain'] as const) {
      const started = now();
      const answers = await queries.reach({ ...pair, ...(mode === 'certain' ? { certain: true } : {}) });
      times[mode].push(now() - started);
      found += answers.length;
    }
  return {
    name,
    relationshipsWritten: counts?.relationships ?? 0,
    reachesRows: summary.value.rows,
    loadSeconds: round(seconds(load.value)),
    summarySeconds: round(seconds(summary.value.ms)),
    pairP50Ms: round(latencyStats(times.asked).p50),
    pairCertainP50Ms: round(latencyStats(times.certain).p50),
    pairsAnswered: found,
    peakHeapMbLoad: load.peakHeapMb,
    peakHeapMbSummary: summary.peakHeapMb,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

let graph: BenchGraph | undefined;

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      principals: { type: 'string' },
      targets: { type: 'string' },
      hubs: { type: 'string' },
      pairs: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (flags.help) return printUsage(import.meta.url);
  const principals = positive('principals', flags.principals, 'BENCH_PRINCIPALS', 2000);
  const targets = positive('targets', flags.targets, 'BENCH_TARGETS', 1000);
  const hubs = positive('hubs', flags.hubs, 'BENCH_HUBS', 10);
  const pairs = positive('pairs', flags.pairs, 'BENCH_PAIRS', 20);
  const hubbed = estate(principals, targets, hubs);
  const expanded = expandGrants(hubbed);
  graph = await openBenchGraph({ heapMb: 2048, pageCacheMb: 1024, wipeExisting: false });
  // A small round first, so neither side pays for the schema, the query plans and the JIT.
  await measure(graph, estate(100, 50, hubs), 'warm-up', 2);
  const a = await measure(graph, hubbed, 'hubbed', pairs);
  const b = await measure(graph, expanded, 'expanded', pairs);
  const ratio = (x: number, y: number) => (y === 0 ? 0 : Math.round((x / y) * 100) / 100);
  const result = {
    principals,
    targets,
    hubs,
    pairsPerProduct: Math.ceil(principals / hubs) * Math.ceil(targets / hubs) * hubs,
    hubbed: a,
    expanded: b,
    hubbedOverExpanded: {
      relationshipsWritten: ratio(a.relationshipsWritten, b.relationshipsWritten),
      loadSeconds: ratio(a.loadSeconds, b.loadSeconds),
      summarySeconds: ratio(a.summarySeconds, b.summarySeconds),
      pairP50Ms: ratio(a.pairP50Ms, b.pairP50Ms),
      pairCertainP50Ms: ratio(a.pairCertainP50Ms, b.pairCertainP50Ms),
      peakHeapMbSummary: ratio(a.peakHeapMbSummary, b.peakHeapMbSummary),
    },
  };
  if (a.reachesRows !== b.reachesRows || a.pairsAnswered !== b.pairsAnswered)
    throw new Error(`the two estates answer differently: ${JSON.stringify(result)}`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const line = (label: string, x: number | string, y: number | string, r: number | string) =>
    log(`${label.padEnd(34)} ${String(x).padStart(12)} ${String(y).padStart(12)} ${String(r).padStart(8)}`);
  log(`\n${principals} principals × ${targets} buckets through ${hubs} access hubs (+1 assume hub)`);
  line('', 'hubbed', 'expanded', 'ratio');
  for (const key of Object.keys(result.hubbedOverExpanded) as (keyof typeof result.hubbedOverExpanded)[])
    line(key, a[key], b[key], result.hubbedOverExpanded[key]);
  line('REACHES rows', a.reachesRows, b.reachesRows, ratio(a.reachesRows, b.reachesRows));
  line('peakHeapMbLoad', a.peakHeapMbLoad, b.peakHeapMbLoad, ratio(a.peakHeapMbLoad, b.peakHeapMbLoad));
}

void runBench(main, async () => {
  await graph?.close();
});
