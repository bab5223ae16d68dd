// Reachability summary benchmark: computeReachability on a synthetic estate (default 100,000
// identities and 1,000,000 hop and CAN_ACCESS edges, generated straight into Neo4j with batched
// UNWIND), first on an empty summary and then again as a refresh, next to the plain Cypher answer
// to the same question (bounded SHORTEST 1 from each principal to every resource it reaches) timed
// on a sample of principals and scaled to all of them.
//
//   npx tsx bench/reachability.ts [--identities 100000] [--edges 1000000] [--sample 200]
//                                 [--seed 7] [--max-hops 6] [--heap-mb 2048] [--page-cache-mb 1024]
//                                 [--concurrency 4] [--batch-size 10000] [--json] [--wipe-existing]
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_SAMPLE,
// BENCH_SEED, BENCH_HEAP_MB, BENCH_PAGE_CACHE_MB (the local Neo4j's memory), BENCH_CONCURRENCY and
// BENCH_BATCH_SIZE (write transactions in flight and rows per transaction; the defaults are
// computeReachability's). Besides wall-clock
// phases it prints the CPU seconds Node and the local Neo4j spent, which a busy machine distorts less. With NEO4J_URI that server is used and wiped (it must be empty, or --wipe-existing
// must say its data may go); otherwise a local Neo4j is started on a temporary store and removed.
import { computeReachability, type ReachabilityStats } from '../src/reachability/compute.js';
import {
  benchArgs,
  cpuSeconds,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  runBench,
  seconds,
} from './lib.js';
import { seedEstate, shortestFromSample } from './synthetic-reach.js';

const GOAL_SECONDS = 60;

const args = await benchArgs(import.meta.url, {
  identities: { type: 'string' },
  edges: { type: 'string' },
  sample: { type: 'string' },
  'max-hops': { type: 'string' },
  'heap-mb': { type: 'string' },
  'page-cache-mb': { type: 'string' },
  concurrency: { type: 'string' },
  'batch-size': { type: 'string' },
});
const options = {
  identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 100_000),
  edges: positive('edges', args.edges, 'BENCH_EDGES', 1_000_000),
  sample: positive('sample', args.sample, 'BENCH_SAMPLE', 200),
  seed: positive('seed', args.seed, 'BENCH_SEED', 7),
  maxHops: positive('max-hops', args['max-hops'], '', 6),
  heapMb: positive('heap-mb', args['heap-mb'], 'BENCH_HEAP_MB', 2048),
  pageCacheMb: positive('page-cache-mb', args['page-cache-mb'], 'BENCH_PAGE_CACHE_MB', 1024),
  concurrency: optionalPositive('concurrency', args.concurrency, 'BENCH_CONCURRENCY'),
  batchSize: optionalPositive('batch-size', args['batch-size'], 'BENCH_BATCH_SIZE'),
};

function optionalPositive(name: string, flag: string | undefined, env: string): number | undefined {
  return flag === undefined && !process.env[env] ? undefined : positive(name, flag, env, 1);
}

// ── Measure ───────────────────────────────────────────────────────────────────────────────────
async function measure() {
  const bench = await openBenchGraph({
    heapMb: options.heapMb,
    pageCacheMb: options.pageCacheMb,
    wipeExisting: args['wipe-existing'] ?? false,
  });
  const closing = () => bench.close();
  cleanupHook = closing;
  const { generateMs } = await seedEstate(bench.executor, options);

  const runs: { label: string; stats: ReachabilityStats; cpu: { nodeS: number; neo4jS?: number } }[] = [];
  for (const label of ['first (empty summary)', 'refresh (every row exists)']) {
    log(`Summary: ${label}…`);
    const t = now();
    const neo4jBefore = bench.server ? cpuSeconds(bench.server.pid) : undefined;
    const nodeBefore = process.cpuUsage();
    const stats = await computeReachability(bench.executor, {
      maxHops: options.maxHops,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onProgress: (p) => {
        if (p.phase === 'searching' && p.done === p.total) log(`  searched ${p.total} principals`);
      },
    });
    log(`  ${stats.rows} rows in ${seconds(now() - t).toFixed(1)} s`);
    const node = process.cpuUsage(nodeBefore);
    const neo4jAfter = bench.server ? cpuSeconds(bench.server.pid) : undefined;
    const cpu = {
      nodeS: (node.user + node.system) / 1e6,
      ...(neo4jBefore !== undefined && neo4jAfter !== undefined ? { neo4jS: neo4jAfter - neo4jBefore } : {}),
    };
    runs.push({ label, stats, cpu });
  }
  log(`Cypher baseline on ${options.sample} principals…`);
  const baseline = await shortestFromSample(bench.executor, {
    sample: options.sample,
    maxHops: options.maxHops,
    nonHumanOnly: false,
    productionData: false,
  });
  const rss = {
    nodeKb: await peakRssKb(process.pid),
    neo4jKb: bench.server ? await peakRssKb(bench.server.pid) : undefined,
  };
  await closing();
  return { options, generateMs, runs, baseline, rss };
}

let cleanupHook: () => Promise<void> = async () => {};

function report(result: Awaited<ReturnType<typeof measure>>): string {
  const { runs, baseline } = result;
  const first = runs[0]?.stats as ReachabilityStats;
  const lines = [
    `Reachability summary: ${first.principals} principals, ${first.resources} resources, ${first.hopEdges} hop edges, ${first.accessEdges} CAN_ACCESS edges, max ${first.maxHops} hops`,
    '',
    '| run | rows | created | updated | unchanged | read | search + write (search) | cleanup | total | CPU Node | CPU Neo4j |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      ({ label, stats: s, cpu }) =>
        `| ${label} | ${s.rows} | ${s.created} | ${s.updated} | ${s.unchanged} | ${seconds(s.timings.readMs).toFixed(1)} s | ${seconds(s.timings.searchAndWriteMs).toFixed(1)} s (${seconds(s.timings.searchMs).toFixed(1)} s) | ${seconds(s.timings.cleanupMs).toFixed(1)} s | ${seconds(s.durationMs).toFixed(1)} s | ${cpu.nodeS.toFixed(1)} s | ${cpu.neo4jS?.toFixed(1) ?? 'n/a'} s |`,
    ),
    '',
    `Neo4j: heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB (local server only); write concurrency ${options.concurrency ?? 'default'}, batch ${options.batchSize ?? 'default'}`,
    `Cypher SHORTEST 1 per principal, ${baseline.sample} principals: ${seconds(baseline.ms).toFixed(1)} s for ${baseline.pairs} pairs; scaled to all ${first.principals}: ${seconds(baseline.scaledMs).toFixed(0)} s`,
    `Summary vs Cypher (scaled): ${(baseline.scaledMs / first.durationMs).toFixed(1)}x faster`,
    `Goal: summary under ${GOAL_SECONDS} s: ${runs.every((r) => r.stats.durationMs < GOAL_SECONDS * 1000) ? 'met' : 'NOT met'}`,
    `Peak RSS: Node ${fmtMb(result.rss.nodeKb)}, Neo4j ${fmtMb(result.rss.neo4jKb)}`,
  ];
  return lines.join('\n');
}

const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

await runBench(
  async () => {
    const result = await measure();
    const table = report(result);
    if (args.json) {
      log(table);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else process.stdout.write(`${table}\n`);
    if (result.runs.some((r) => r.stats.durationMs >= GOAL_SECONDS * 1000)) process.exitCode = 2;
  },
  () => cleanupHook(),
);
