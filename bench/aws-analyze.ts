// AWS analysis benchmark, in two profiles, timed step by step:
//
//   estate  (default) a synthetic estate over several accounts (default 10,000 principals, 20,000
//           policies, 5,000 resources over 5 accounts, with wildcards, permissions boundaries,
//           trust policies and undecidable conditions; bench/synthetic-aws.ts)
//   dense   one account shaped like real ones, sized by its roles S (--roles, default 500): S/2
//           users with keys, S/10 groups, ~2S customer policies, S/5 buckets with policies
//           (bench/synthetic-aws-dense.ts); the same phases as `sync aws`, summary included
//
//   collect   its IAM and S3 part (dense: the whole account) written as a snapshot in the AWS CLI's
//             shapes, read back and transformed; dense analyzes the account read back
//   analyze   every edge family of the IAM analyzer over the full estate (per family, evaluations/s)
//   inventory the Inventory the loader takes: collector nodes + derived edges, validated
//   load      into Neo4j as one collection run (NEO4J_URI, or a local server on a temporary store)
//   summary   the reachability summary (REACHES rows), searched on the inventory just loaded as a sync
//             does; then, as the same run's baseline, read and searched again from the graph
//   ceiling   the same rows (the inventory's, then the summary's REACHES rows) written by the bare
//             driver, batched UNWIND CREATE, into the emptied store (bench/bare-driver.ts)
//
//   npm run bench:aws [-- --profile estate --principals 10000 --policies 20000 --resources 5000
//                         --accounts 5 --seed 42 --no-load --no-summary --no-ceiling --no-snapshot
//                         --per-pair --json --wipe-existing]
//   npm run bench:aws -- --profile dense --roles 2000
//
// `--per-pair` writes one edge per (caller, target) pair instead of Grant hubs (src/model/grants.ts):
// the same facts, the baseline the hubs are measured against.
//
// Peak RSS is the Node process's high-water mark after each phase (cumulative), beside the V8 heap
// limit it ran with (raise it with NODE_OPTIONS=--max-old-space-size=MB) and the heap growing factor
// `reachgraph` sets (src/heap-growth.ts; NODE_OPTIONS=--heap-growing-percent=N sets another).
//
// Targets on the 2-core machine. estate: full analysis (collect + analyze) under 60 s and under
// 2 GiB peak RSS of the Node process, with no analysis error. dense: peak RSS of the whole run under
// 1 GiB up to 500 roles and under 2 GiB above, with no analysis error. A missed target exits with 2.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { collectAws } from '../src/collectors/aws/collect.js';
import { writeAwsSnapshot } from '../src/collectors/aws/snapshot.js';
import { ensureSchema } from '../src/graph/schema.js';
import { boundHeapGrowth } from '../src/heap-growth.js';
import { isGrantNode } from '../src/model/grants.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { computeReachability } from '../src/reachability/compute.js';
import { relationshipQuery, writeBatches } from './bare-driver.js';
import { edgeFamilies } from './edge-families.js';
import {
  type BenchGraph,
  bareCeiling,
  benchArgs,
  type CeilingFigures,
  countBy,
  counts,
  cpuFigures,
  int,
  type LoadFigures,
  log,
  maxRssKb,
  mb,
  now,
  openBenchGraph,
  pct,
  peakRssKb,
  positive,
  processCpuMs,
  runMeasured,
  sec,
  seconds,
  type Timed,
  targetLines,
  timed,
  timedLoad,
} from './lib.js';
import { syntheticAwsEnvironment, toSnapshotRaw } from './synthetic-aws.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';

const TARGET_ANALYSIS_MS = 60_000;
const TARGET_RSS_KB = 2 * 1024 * 1024;
const TARGET_DENSE_SMALL_RSS_KB = 1024 * 1024;
const DENSE_SMALL_ROLES = 500;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const BATCH_SIZE = 5_000;
const PROFILES = ['estate', 'dense'] as const;
type Profile = (typeof PROFILES)[number];

const args = await benchArgs(import.meta.url, {
  profile: { type: 'string' },
  roles: { type: 'string' },
  principals: { type: 'string' },
  policies: { type: 'string' },
  resources: { type: 'string' },
  accounts: { type: 'string' },
  'no-snapshot': { type: 'boolean', default: false },
  // One edge per (caller, target) pair instead of Grant hubs: the same facts, the baseline.
  'per-pair': { type: 'boolean', default: false },
});

const profile = (args.profile ?? process.env.BENCH_PROFILE ?? 'estate') as Profile;
if (!PROFILES.includes(profile))
  throw new Error(`--profile: expected one of ${PROFILES.join(', ')}, got "${profile}"`);
const options = {
  profile,
  roles: positive('roles', args.roles, 'BENCH_ROLES', 500),
  principals: positive('principals', args.principals, 'BENCH_PRINCIPALS', 10_000),
  policies: positive('policies', args.policies, 'BENCH_POLICIES', 20_000),
  resources: positive('resources', args.resources, 'BENCH_RESOURCES', 5_000),
  accounts: positive('accounts', args.accounts, 'BENCH_ACCOUNTS', 5),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
};

const cpuMs = processCpuMs;
// The heap growth `reachgraph` runs with (src/main.ts), unless the flags given here set one.
const heapGrowingPercent = boundHeapGrowth();

let graph: BenchGraph | undefined;
let snapshotDir: string | undefined;

await runMeasured(measure, report, args.json, () => ({ graph, snapshotDir }));

/** A phase that writes to Neo4j: wall and CPU time (Node, and the JVM when local), rows, peak RSS so far. */
interface WritePhase extends Timed {
  rows: number;
  rowsPerSecond: number;
  rssKb: number;
}

async function measure() {
  log(
    options.profile === 'dense'
      ? `Generating the dense account: ${options.roles} roles (seed ${options.seed})…`
      : `Generating ${options.principals} principals, ${options.policies} policies, ${options.resources} resources over ${options.accounts} accounts (seed ${options.seed})…`,
  );
  let t = now();
  const environment =
    options.profile === 'dense'
      ? denseAwsEnvironment({ roles: options.roles, seed: options.seed })
      : syntheticAwsEnvironment(options);
  const generateMs = now() - t;
  const shape = environment.accounts.reduce(
    (n, a) => ({
      roles: n.roles + a.roles.length,
      users: n.users + a.users.length,
      groups: n.groups + a.groups.length,
      managedPolicies: n.managedPolicies + a.managedPolicies.length,
      buckets: n.buckets + a.resources.filter((r) => r.type === 's3-bucket').length,
      resources: n.resources + a.resources.length,
    }),
    { roles: 0, users: 0, groups: 0, managedPolicies: 0, buckets: 0, resources: 0 },
  );

  let collect: { ms: number; cpuMs: number; principals: number; rssKb: number } | undefined;
  // dense: the snapshot holds the whole account, so the account analyzed is the one read back, as
  // `sync aws` analyzes it (and as bench/sync-dense.ts reads it live from moto). estate: the
  // snapshot holds the IAM and S3 part only, so the generated estate itself is analyzed.
  let analyzed = environment;
  if (!args['no-snapshot']) {
    snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-aws-'));
    await writeAwsSnapshot(toSnapshotRaw(environment), snapshotDir);
    log('collect: reading the snapshot back…');
    t = now();
    const c = cpuMs();
    const collected = await collectAws({ snapshotDir });
    if (options.profile === 'dense') analyzed = collected;
    collect = {
      ms: now() - t,
      cpuMs: cpuMs() - c,
      principals: collected.accounts.reduce((n, a) => n + a.users.length + a.roles.length, 0),
      rssKb: maxRssKb(),
    };
    await rm(snapshotDir, { recursive: true, force: true });
    snapshotDir = undefined;
  }

  log('analyze: every edge family…');
  t = now();
  let c = cpuMs();
  const analysis = await analyzeAws(analyzed, { grantHubs: !args['per-pair'] });
  const analyzeMs = now() - t;
  const analyzeCpuMs = cpuMs() - c;
  const analysisRssKb = maxRssKb();

  log('inventory: merging and validating…');
  t = now();
  c = cpuMs();
  const inventory = buildAwsInventory(analyzed, analysis, { sourceName: 'bench synthetic aws' });
  const valid = validateInventory(inventory, 'bench synthetic aws');
  const inventoryMs = now() - t;
  const inventoryCpuMs = cpuMs() - c;
  const inventoryRssKb = maxRssKb();

  let load: (LoadFigures & { counts: Record<string, number>; rssKb: number }) | undefined;
  let summary:
    | (WritePhase & {
        timings: Record<string, number>;
        /** REACHES_AS delegations written, and the rows they stand for. */
        delegations: number;
        delegatedRows: number;
        principals: number;
        resources: number;
        hopEdges: number;
        accessEdges: number;
        /** Where the summary's edges came from (the inventory just loaded, or the graph). */
        edges: 'graph' | 'inventory';
        /** The read and search of the same summary with the edges read back from the graph. */
        graphReadMs: number;
        graphSearchMs: number;
      })
    | undefined;
  let ceiling:
    | (CeilingFigures & {
        reachesMs: number;
        reachesRowsPerSecond: number;
        /** bare write time of the REACHES rows ÷ the whole summary's time. */
        summaryRatio: number;
      })
    | undefined;
  let jvmPeakRssKb: number | undefined;
  /** Node's peak through the phases a sync runs (the ceiling's rows, built after, are not the sync's). */
  let syncRssKb: number | undefined;
  if (!args['no-load']) {
    graph = await openBenchGraph({
      heapMb: HEAP_MB,
      pageCacheMb: PAGE_CACHE_MB,
      wipeExisting: args['wipe-existing'],
      // The server `sync` starts for one load (src/graph/connection.ts).
      shortRun: true,
    });
    const { executor, driver, target } = graph;
    const pid = graph.server?.pid;
    await ensureSchema(executor);
    log('load: one collection run…');
    const [loaded, loadFigures] = await timedLoad(graph, valid, 'bench synthetic aws');
    load = { ...loadFigures, counts: loaded.counts, rssKb: maxRssKb() };

    if (!args['no-summary']) {
      log('summary: the reachability summary…');
      // As a sync does: the edges of the inventory just loaded, when they are all the graph holds.
      const [stats, summaryFigures] = await timed(
        () => computeReachability(executor, { runId: loaded.runId, loaded: valid }),
        pid,
      );
      // Baseline, same run: the same computation reading the edges back from the graph (every row
      // is then confirmed unchanged, so only its read and search compare).
      const reread = await computeReachability(executor, { runId: loaded.runId });
      summary = {
        ...summaryFigures,
        rows: stats.rows,
        rowsPerSecond: stats.rows / seconds(summaryFigures.ms),
        timings: stats.timings,
        delegations: stats.delegations,
        delegatedRows: stats.delegatedRows,
        principals: stats.principals,
        resources: stats.resources,
        hopEdges: stats.hopEdges,
        accessEdges: stats.accessEdges,
        edges: stats.edges,
        graphReadMs: reread.timings.readMs,
        graphSearchMs: reread.timings.searchMs,
        rssKb: maxRssKb(),
      };
    }

    syncRssKb = maxRssKb();
    if (!args['no-ceiling']) {
      // The summary's rows as written, so the driver alone writes exactly those too.
      const reaches = summary ? await readReaches(graph) : [];
      const bare = await bareCeiling(graph, valid, BATCH_SIZE, load);
      t = now();
      const reachesQuery = relationshipQuery('Principal', 'REACHES', 'Resource', 'create');
      const reachesBatches = [];
      for (let i = 0; i < reaches.length; i += BATCH_SIZE)
        reachesBatches.push({ kind: 'REACHES', query: reachesQuery, rows: reaches.slice(i, i + BATCH_SIZE) });
      await writeBatches(driver, target.database, reachesBatches);
      const reachesMs = now() - t;
      ceiling = {
        ...bare,
        reachesMs,
        reachesRowsPerSecond: reaches.length / seconds(reachesMs),
        summaryRatio: summary ? reachesMs / summary.ms : 0,
      };
    }
    jvmPeakRssKb = graph.server ? await peakRssKb(graph.server.pid) : undefined;
  }

  // Grant hubs and the pair edges they stand for (members × targets each).
  const hubs = analysis.nodes.filter(isGrantNode);
  const grants = {
    hubs: hubs.length,
    pairs: hubs.reduce((n, h) => n + (h.properties.members as number) * (h.properties.targets as number), 0),
  };
  const analysisMs = (collect?.ms ?? 0) + analyzeMs;
  const finalRssKb = maxRssKb();
  const errors = analysis.issues.filter((i) => i.severity === 'error').length;
  const targets = (
    options.profile === 'dense'
      ? [
          { name: 'analysis errors', value: errors, goal: 1, unit: '' },
          {
            name: 'peak RSS of the sync (Node)',
            value: syncRssKb ?? finalRssKb,
            goal: options.roles <= DENSE_SMALL_ROLES ? TARGET_DENSE_SMALL_RSS_KB : TARGET_RSS_KB,
            unit: 'KB',
          },
        ]
      : [
          { name: 'analysis errors', value: errors, goal: 1, unit: '' },
          {
            name: 'full analysis (collect + analyze)',
            value: analysisMs,
            goal: TARGET_ANALYSIS_MS,
            unit: 'ms',
          },
          { name: 'peak RSS of the analysis (Node)', value: analysisRssKb, goal: TARGET_RSS_KB, unit: 'KB' },
        ]
  ).map((g) => ({ ...g, pass: g.value < g.goal }));
  return {
    options,
    shape,
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    heapGrowingPercent: heapGrowingPercent ?? 'as given',
    generateMs,
    collect,
    analyze: {
      ms: analyzeMs,
      cpuMs: analyzeCpuMs,
      families: analysis.stats.durationMs,
      evaluations: analysis.stats.evaluations,
      evaluationsPerSecond: analyzeMs > 0 ? analysis.stats.evaluations / seconds(analyzeMs) : 0,
      edges: countBy(analysis.edges, (e) => e.type),
      /** The derived edges by what made them: which are products of principals × targets. */
      edgeFamilies: edgeFamilies(analyzed, analysis.edges),
      grants,
      findings: analysis.findings.length,
      issues: analysis.issues.length,
      /** Errors (a failed edge family, an engine failure) make the figures meaningless: shown first. */
      errors: analysis.issues.filter((i) => i.severity === 'error').map((i) => `${i.source}: ${i.message}`),
      rssKb: analysisRssKb,
    },
    inventory: {
      ms: inventoryMs,
      cpuMs: inventoryCpuMs,
      nodes: valid.nodes.length,
      relationships: valid.relationships.length,
      relationshipsByType: countBy(valid.relationships, (r) => r.type),
      rssKb: inventoryRssKb,
    },
    load,
    summary,
    ceiling,
    memory: { analysisRssKb, inventoryRssKb, syncRssKb, finalRssKb, jvmPeakRssKb },
    targets,
  };
}

/** Every REACHES row as the bare driver would write it: endpoints and properties. */
async function readReaches(g: BenchGraph): Promise<Record<string, unknown>[]> {
  const { records } = await g.driver.executeQuery(
    'MATCH (a:Principal)-[r:REACHES]->(b:Resource) RETURN a.id AS from, b.id AS to, properties(r) AS properties',
    {},
    { database: g.target.database },
  );
  return records.map((r) => ({ from: r.get('from'), to: r.get('to'), properties: r.get('properties') }));
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const row = (label: string, value: string, cpu = '', rss = '', detail = '') =>
    `${label.padEnd(16)}${value.padStart(10)}${cpu.padStart(16)}${rss.padStart(10)}  ${detail}`;
  const cpu = (node: number | undefined, jvm?: number) =>
    node === undefined
      ? ''
      : `${seconds(node).toFixed(1)}${jvm === undefined ? '' : ` + ${seconds(jvm).toFixed(1)}`}`;
  const o = r.options;
  const s = r.shape;
  const lines = [
    o.profile === 'dense'
      ? `reachgraph AWS benchmark, dense profile: ${int(s.roles)} roles, ${int(s.users)} users, ${int(s.groups)} groups, ${int(s.managedPolicies)} managed policies, ${int(s.buckets)} buckets (seed ${o.seed})`
      : `reachgraph AWS analysis benchmark: ${int(o.principals)} principals, ${int(o.policies)} policies, ${int(o.resources)} resources, ${o.accounts} accounts (seed ${o.seed})`,
    `generated in ${sec(r.generateMs)} (not part of the figures); Node heap limit ${int(r.heapLimitMb)} MB, heap growing percent ${r.heapGrowingPercent}`,
    '',
    ...(r.analyze.errors.length
      ? [
          `ANALYSIS ERRORS (${r.analyze.errors.length}):`,
          ...r.analyze.errors.slice(0, 5).map((e) => `  ${e.slice(0, 300)}`),
          '',
        ]
      : []),
    row('phase', 'time', 'CPU s Node+JVM', 'peak RSS', 'detail'),
    row(
      'collect',
      r.collect ? sec(r.collect.ms) : 'skipped',
      cpu(r.collect?.cpuMs),
      mb(r.collect?.rssKb),
      r.collect ? `snapshot read and transformed, ${int(r.collect.principals)} principals` : '',
    ),
    row(
      'analyze',
      sec(r.analyze.ms),
      cpu(r.analyze.cpuMs),
      mb(r.analyze.rssKb),
      `${int(r.analyze.evaluations)} evaluations, ${int(r.analyze.evaluationsPerSecond)}/s; ${counts(r.analyze.edges)}`,
    ),
    row(
      '  grant hubs',
      '',
      '',
      '',
      `${int(r.analyze.grants.hubs)} hubs standing for ${int(r.analyze.grants.pairs)} pair edges (legs counted in the edges above)`,
    ),
    ...Object.entries(r.analyze.families).map(([name, ms]) => row(`  ${name}`, sec(ms))),
    row(
      'inventory',
      sec(r.inventory.ms),
      cpu(r.inventory.cpuMs),
      mb(r.inventory.rssKb),
      `${int(r.inventory.nodes)} nodes, ${int(r.inventory.relationships)} relationships, validated`,
    ),
    row(
      'load',
      r.load ? sec(r.load.ms) : 'skipped',
      cpu(r.load?.cpuMs, r.load?.jvmCpuMs),
      mb(r.load?.rssKb),
      r.load
        ? `${int(r.load.rows)} rows, ${int(r.load.rowsPerSecond)} rows/s into Neo4j ${r.load.version}`
        : '(--no-load)',
    ),
    row(
      'summary',
      r.summary ? sec(r.summary.ms) : 'skipped',
      cpu(r.summary?.cpuMs, r.summary?.jvmCpuMs),
      mb(r.summary?.rssKb),
      r.summary
        ? `${int(r.summary.rows)} REACHES rows and ${int(r.summary.delegations)} REACHES_AS (standing for ${int(r.summary.delegatedRows)} rows), ${int(r.summary.rowsPerSecond)} rows/s (read ${sec(r.summary.timings.readMs ?? 0)}, search+write ${sec(r.summary.timings.searchAndWriteMs ?? 0)} of which search ${sec(r.summary.timings.searchMs ?? 0)}, cleanup ${sec(r.summary.timings.cleanupMs ?? 0)}); edges from the ${r.summary.edges}: ${int(r.summary.hopEdges)} hop edges, ${int(r.summary.accessEdges)} access edges; read back from the graph instead: read ${sec(r.summary.graphReadMs)}, search ${sec(r.summary.graphSearchMs)}`
        : '',
    ),
    '',
    'derived edges by family (what in the policy text made them), with their evidence size:',
    ...r.analyze.edgeFamilies.map(
      (f) =>
        `  ${f.type.padEnd(14)}${f.family.padEnd(52)}${int(f.edges).padStart(10)}  ${int(f.evidenceBytes / 1024 / 1024)} MB evidence, ${int(f.evidenceBytes / Math.max(f.edges, 1))} B/edge`,
    ),
    '',
    `relationships written by type: ${counts({ ...r.inventory.relationshipsByType, ...(r.summary ? { REACHES: r.summary.rows } : {}) })}`,
    ...(r.load && r.ceiling
      ? [
          '',
          `bare-driver ceiling (UNWIND CREATE, empty store, batches of ${int(BATCH_SIZE)}):`,
          `  inventory rows: ${sec(r.ceiling.totalMs)} (nodes ${sec(r.ceiling.nodesMs)}, relationships ${sec(r.ceiling.relationshipsMs)}), CPU s ${cpuFigures(r.ceiling)} (rows built included), ${int(r.ceiling.rowsPerSecond)} rows/s; loader at ${pct(r.ceiling.loadRatio)} of it (${sec(r.load.ms)}, CPU s ${cpuFigures(r.load)})`,
          ...(r.summary
            ? [
                `  REACHES rows: ${sec(r.ceiling.reachesMs)}, ${int(r.ceiling.reachesRowsPerSecond)} rows/s; the whole summary takes ${(r.summary.ms / Math.max(r.ceiling.reachesMs, 1)).toFixed(1)}× that (${sec(r.summary.ms)})`,
              ]
            : []),
        ]
      : []),
    '',
    `peak RSS: Node ${mb(r.memory.analysisRssKb)} after the analysis, ${mb(r.memory.inventoryRssKb)} after the inventory, ${r.memory.syncRssKb === undefined ? '' : `${mb(r.memory.syncRssKb)} through the summary (the sync), `}${mb(r.memory.finalRssKb)} at the end; Neo4j JVM ${mb(r.memory.jvmPeakRssKb)}`,
    '',
  ];
  lines.push(...targetLines(r.targets, 48));
  return lines.join('\n');
}
