// AWS analysis benchmark: a synthetic estate generated directly as an AwsEnvironment (default 10,000
// principals, 20,000 policies, 5,000 resources over 5 accounts, with wildcards, permissions
// boundaries, trust policies and undecidable conditions; seeded), then timed step by step:
//
//   collect   its IAM part written as a snapshot in the AWS CLI's shapes, read back and transformed
//   analyze   every edge family of the IAM analyzer over the full estate (per family, evaluations/s)
//   inventory the Inventory the loader takes: collector nodes + derived edges, validated
//   load      into Neo4j as one collection run (NEO4J_URI, or a local server on a temporary store)
//
//   npm run bench:aws [-- --principals 10000 --policies 20000 --resources 5000 --accounts 5 --seed 42
//                         --no-load --no-snapshot --per-pair --json --wipe-existing]
//
// `--per-pair` writes one edge per (caller, target) pair instead of Grant hubs (src/model/grants.ts):
// the same facts, the baseline the hubs are measured against.
//
// Targets on the 2-core machine: full analysis (collect + analyze) under 60 s and under 2 GiB peak
// RSS of the Node process, with no analysis error; a missed target exits with 2. The inventory and
// load steps (what `sync` adds) are reported beside them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { collectAws } from '../src/collectors/aws/collect.js';
import { writeAwsSnapshot } from '../src/collectors/aws/snapshot.js';
import { loadInventory } from '../src/graph/loader.js';
import { ensureSchema } from '../src/graph/schema.js';
import { isGrantNode } from '../src/model/grants.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import {
  type BenchGraph,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  printUsage,
  runBench,
  seconds,
} from './lib.js';
import { syntheticAwsEnvironment, toSnapshotRaw } from './synthetic-aws.js';

const TARGET_ANALYSIS_MS = 60_000;
const TARGET_RSS_KB = 2 * 1024 * 1024;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

const { values: args } = parseArgs({
  options: {
    principals: { type: 'string' },
    policies: { type: 'string' },
    resources: { type: 'string' },
    accounts: { type: 'string' },
    seed: { type: 'string' },
    'no-load': { type: 'boolean', default: false },
    'no-snapshot': { type: 'boolean', default: false },
    // One edge per (caller, target) pair instead of Grant hubs: the same facts, the baseline.
    'per-pair': { type: 'boolean', default: false },
    'wipe-existing': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  await printUsage(import.meta.url);
  process.exit(0);
}

const options = {
  principals: positive('principals', args.principals, 'BENCH_PRINCIPALS', 10_000),
  policies: positive('policies', args.policies, 'BENCH_POLICIES', 20_000),
  resources: positive('resources', args.resources, 'BENCH_RESOURCES', 5_000),
  accounts: positive('accounts', args.accounts, 'BENCH_ACCOUNTS', 5),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
};

let graph: BenchGraph | undefined;
let snapshotDir: string | undefined;

await runBench(main, async () => {
  await graph?.close();
  if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
});

async function main(): Promise<void> {
  const result = await measure();
  const text = report(result);
  if (args.json) {
    log(text);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  if (result.targets.some((t) => !t.pass)) process.exitCode = 2;
}

async function measure() {
  log(
    `Generating ${options.principals} principals, ${options.policies} policies, ${options.resources} resources over ${options.accounts} accounts (seed ${options.seed})…`,
  );
  let t = now();
  const environment = syntheticAwsEnvironment(options);
  const generateMs = now() - t;

  let collect: { ms: number; principals: number } | undefined;
  if (!args['no-snapshot']) {
    snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-aws-'));
    await writeAwsSnapshot(toSnapshotRaw(environment), snapshotDir);
    log('collect: reading the IAM snapshot back…');
    t = now();
    const collected = await collectAws({ snapshotDir });
    collect = {
      ms: now() - t,
      principals: collected.accounts.reduce((n, a) => n + a.users.length + a.roles.length, 0),
    };
    await rm(snapshotDir, { recursive: true, force: true });
    snapshotDir = undefined;
  }

  log('analyze: every edge family…');
  t = now();
  const analysis = await analyzeAws(environment, { grantHubs: !args['per-pair'] });
  const analyzeMs = now() - t;
  const analysisRssKb = process.resourceUsage().maxRSS;

  log('inventory: merging and validating…');
  t = now();
  const inventory = buildAwsInventory(environment, analysis, { sourceName: 'bench synthetic aws' });
  const valid = validateInventory(inventory, 'bench synthetic aws');
  const inventoryMs = now() - t;
  const inventoryRssKb = process.resourceUsage().maxRSS;

  let load: { ms: number; rows: number; jvmPeakRssKb: number | undefined; version: string } | undefined;
  if (!args['no-load']) {
    graph = await openBenchGraph({
      heapMb: HEAP_MB,
      pageCacheMb: PAGE_CACHE_MB,
      wipeExisting: args['wipe-existing'],
    });
    await ensureSchema(graph.executor);
    log('load: one collection run…');
    t = now();
    await loadInventory(graph.executor, valid, { sources: ['bench synthetic aws'] });
    load = {
      ms: now() - t,
      rows: valid.nodes.length + valid.relationships.length,
      jvmPeakRssKb: graph.server ? await peakRssKb(graph.server.pid) : undefined,
      version: graph.info.version,
    };
  }

  const edges: Record<string, number> = {};
  for (const e of analysis.edges) edges[e.type] = (edges[e.type] ?? 0) + 1;
  // Grant hubs and the pair edges they stand for (members × targets each).
  const hubs = analysis.nodes.filter(isGrantNode);
  const grants = {
    hubs: hubs.length,
    pairs: hubs.reduce((n, h) => n + (h.properties.members as number) * (h.properties.targets as number), 0),
  };
  const analysisMs = (collect?.ms ?? 0) + analyzeMs;
  const targets = [
    {
      name: 'analysis errors',
      value: analysis.issues.filter((i) => i.severity === 'error').length,
      goal: 1,
      unit: '',
    },
    {
      name: 'full analysis (collect + analyze)',
      value: analysisMs,
      goal: TARGET_ANALYSIS_MS,
      unit: 'ms',
    },
    { name: 'peak RSS of the analysis (Node)', value: analysisRssKb, goal: TARGET_RSS_KB, unit: 'KB' },
  ].map((g) => ({ ...g, pass: g.value < g.goal }));
  return {
    options,
    generateMs,
    collect,
    analyze: {
      ms: analyzeMs,
      families: analysis.stats.durationMs,
      evaluations: analysis.stats.evaluations,
      evaluationsPerSecond: analyzeMs > 0 ? analysis.stats.evaluations / seconds(analyzeMs) : 0,
      edges,
      grants,
      findings: analysis.findings.length,
      issues: analysis.issues.length,
      /** Errors (a failed edge family, an engine failure) make the figures meaningless: shown first. */
      errors: analysis.issues.filter((i) => i.severity === 'error').map((i) => `${i.source}: ${i.message}`),
    },
    inventory: { ms: inventoryMs, nodes: valid.nodes.length, relationships: valid.relationships.length },
    load,
    memory: { analysisRssKb, inventoryRssKb, finalRssKb: process.resourceUsage().maxRSS },
    targets,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const sec = (ms: number) => `${seconds(ms).toFixed(1)} s`;
  const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${int(kb / 1024)} MB`);
  const row = (label: string, value: string, detail = '') =>
    `${label.padEnd(16)}${value.padStart(10)}  ${detail}`;
  const o = r.options;
  const lines = [
    `reachgraph AWS analysis benchmark: ${int(o.principals)} principals, ${int(o.policies)} policies, ${int(o.resources)} resources, ${o.accounts} accounts (seed ${o.seed})`,
    `generated in ${sec(r.generateMs)} (not part of the figures)`,
    '',
    ...(r.analyze.errors.length
      ? [
          `ANALYSIS ERRORS (${r.analyze.errors.length}):`,
          ...r.analyze.errors.slice(0, 5).map((e) => `  ${e.slice(0, 300)}`),
          '',
        ]
      : []),
    row('step', 'time', 'detail'),
    row(
      'collect',
      r.collect ? sec(r.collect.ms) : 'skipped',
      r.collect ? `IAM snapshot read and transformed, ${int(r.collect.principals)} principals` : '',
    ),
    row(
      'analyze',
      sec(r.analyze.ms),
      `${int(r.analyze.evaluations)} evaluations, ${int(r.analyze.evaluationsPerSecond)}/s; ${Object.entries(
        r.analyze.edges,
      )
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(', ')}`,
    ),
    row(
      '  grant hubs',
      int(r.analyze.grants.hubs),
      `standing for ${int(r.analyze.grants.pairs)} pair edges (legs counted in the edges above)`,
    ),
    ...Object.entries(r.analyze.families).map(([name, ms]) => row(`  ${name}`, sec(ms))),
    row(
      'inventory',
      sec(r.inventory.ms),
      `${int(r.inventory.nodes)} nodes, ${int(r.inventory.relationships)} relationships, validated`,
    ),
    row(
      'load',
      r.load ? sec(r.load.ms) : 'skipped',
      r.load ? `${int(r.load.rows / seconds(r.load.ms))} rows/s into Neo4j ${r.load.version}` : '(--no-load)',
    ),
    '',
    `peak RSS: Node ${mb(r.memory.analysisRssKb)} after the analysis, ${mb(r.memory.inventoryRssKb)} after the inventory, ${mb(r.memory.finalRssKb)} at the end; Neo4j JVM ${mb(r.load?.jvmPeakRssKb)}`,
    '',
  ];
  for (const t of r.targets) {
    const show = (n: number) => (t.unit === 'ms' ? sec(n) : t.unit === 'KB' ? mb(n) : int(n));
    const value = show(t.value);
    const goal = show(t.goal);
    lines.push(`${t.name.padEnd(48)} ${value.padStart(10)}  < ${goal.padEnd(9)} ${t.pass ? 'PASS' : 'FAIL'}`);
  }
  return lines.join('\n');
}
