// Kubernetes sync benchmark: a seeded synthetic EKS-like cluster (bench/synthetic-kubernetes.ts;
// default 25,000 pods, ~5,000 service accounts, ~2,000 roles and ~2,000 bindings) written as a
// snapshot directory in kubectl's List shapes, then the phases of `sync kubernetes`, timed one by one:
//
//   collect   the snapshot read back and transformed (collectKubernetes)
//   analyze   every cluster's edges (analyzeKubernetes), with Grant hubs unless --per-pair
//   inventory the Inventory the loader takes, validated
//   load      into Neo4j as one collection run (NEO4J_URI, or a local server on a temporary store)
//   summary   the reachability summary (REACHES rows) over the loaded graph, its edges taken from the
//             inventory just loaded as a sync does (src/pipeline/publish.ts)
//   ceiling   the same inventory rows written by the bare driver, batched UNWIND CREATE, into the
//             emptied store (bench/bare-driver.ts)
//   aws       the baseline measured in the same run: the dense AWS account (bench/synthetic-aws-dense.ts,
//             --aws-roles, default 100) analyzed, validated and loaded into the emptied store, summary
//             included; the Kubernetes rows/s are printed as a ratio to its rows/s
//
//   npm run bench:kubernetes [-- --pods 25000 --seed 42 --aws-roles 100 --per-pair --no-load
//                                --no-summary --no-delegation --no-ceiling --no-aws --json
//                                --wipe-existing]
//
// `--per-pair` writes one edge per (principal, target) pair instead of Grant hubs: the same facts,
// the baseline the hubs are measured against. `--no-delegation` writes every summary row out instead
// of a REACHES_AS delegation for a principal whose rows are another's one hop longer
// (src/reachability/delegation.ts): the baseline the delegations are measured against.
//
// Every phase shows wall time, CPU seconds (Node, + the local Neo4j JVM for the writing phases) and
// its own peak RSS (the high-water mark is reset before each phase where Linux allows it). The
// machine may be shared: compare CPU seconds and same-run ratios rather than wall times.
//
// Targets on the 2-core machine: collect + analyze + inventory + load + summary under 60 s, and the
// Node process's peak RSS under 2 GiB. A missed target exits with 2.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { collectKubernetes } from '../src/collectors/kubernetes/collect.js';
import { writeKubernetesSnapshot } from '../src/collectors/kubernetes/snapshot.js';
import { ensureSchema } from '../src/graph/schema.js';
import { boundHeapGrowth } from '../src/heap-growth.js';
import { isGrantNode } from '../src/model/grants.js';
import type { InventoryNode } from '../src/model/inventory.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { computeReachability, type ReachabilityStats } from '../src/reachability/compute.js';
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
  loadPhase,
  log,
  maxRssKb,
  mb,
  now,
  openBenchGraph,
  type Phase,
  pct,
  peakRssKb,
  phase,
  phaseRow,
  positive,
  rowsOf,
  runMeasured,
  sec,
  seconds,
  syncFigures,
  targetLines,
  timedLoad,
  wipe,
} from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const TARGET_SYNC_MS = 60_000;
const TARGET_RSS_KB = 2 * 1024 * 1024;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const BATCH_SIZE = 5_000;

const args = await benchArgs(import.meta.url, {
  pods: { type: 'string' },
  'aws-roles': { type: 'string' },
  'per-pair': { type: 'boolean', default: false },
  'no-aws': { type: 'boolean', default: false },
  'no-delegation': { type: 'boolean', default: false },
});
const options = {
  pods: positive('pods', args.pods, 'BENCH_PODS', 25_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
  awsRoles: positive('aws-roles', args['aws-roles'], 'BENCH_AWS_ROLES', 100),
  grantHubs: !args['per-pair'],
  delegation: !args['no-delegation'],
};

// The heap growth `reachgraph` runs with (src/main.ts), unless the flags given here set one.
const heapGrowingPercent = boundHeapGrowth();
let graph: BenchGraph | undefined;
let snapshotDir: string | undefined;

await runMeasured(measure, report, args.json, () => ({ graph, snapshotDir }));

function hubFigures(nodes: readonly Pick<InventoryNode, 'kind' | 'properties'>[]) {
  const hubs = nodes.filter(isGrantNode);
  return {
    hubs: hubs.length,
    pairs: hubs.reduce((n, h) => n + Number(h.properties.members) * Number(h.properties.targets), 0),
  };
}

async function measure() {
  log(`Generating a cluster of ${options.pods} pods (seed ${options.seed})…`);
  let t = now();
  const { raw, shape } = syntheticKubernetesRaw({ pods: options.pods, seed: options.seed });
  snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-k8s-'));
  await writeKubernetesSnapshot(raw, snapshotDir);
  const generateMs = now() - t;
  const dir = snapshotDir;

  const [environment, collect] = await phase('collect: reading the snapshot', () =>
    collectKubernetes({ snapshotDir: dir }),
  );
  const [analysis, analyze] = await phase('analyze: every cluster’s edges', () =>
    analyzeKubernetes(environment, { grantHubs: options.grantHubs }),
  );
  const [valid, inventory] = await phase('inventory: building and validating', () =>
    validateInventory(
      buildKubernetesInventory(environment, analysis, { sourceName: 'bench synthetic kubernetes' }),
      'bench synthetic kubernetes',
    ),
  );
  await rm(dir, { recursive: true, force: true });
  snapshotDir = undefined;
  const rows = rowsOf(valid);
  inventory.rows = rows;
  const errors = [...environment.issues, ...analysis.issues].filter((i) => i.severity === 'error');

  let load: (Phase & LoadFigures) | undefined;
  let summary:
    | (Phase & {
        rowsPerSecond: number;
        hopEdges: number;
        accessEdges: number;
        delegations: number;
        delegatedRows: number;
        edgesFrom: ReachabilityStats['edges'];
        timings: ReachabilityStats['timings'];
      })
    | undefined;
  let ceiling: CeilingFigures | undefined;
  let aws:
    | {
        roles: number;
        rows: number;
        analyzeMs: number;
        loadMs: number;
        summaryMs: number;
        loadRowsPerSecond: number;
        pipelineRowsPerSecond: number;
      }
    | undefined;
  let jvmPeakRssKb: number | undefined;
  if (!args['no-load']) {
    graph = await openBenchGraph({
      heapMb: HEAP_MB,
      pageCacheMb: PAGE_CACHE_MB,
      wipeExisting: args['wipe-existing'],
    });
    const { executor, driver, target } = graph;
    const pid = graph.server?.pid;
    await ensureSchema(executor);
    const [loaded, loadFigures] = await loadPhase(graph, valid, 'bench synthetic kubernetes');
    load = loadFigures;
    if (!args['no-summary']) {
      const [stats, summaryPhase] = await phase(
        'summary: the reachability summary',
        // As a sync does it (src/pipeline/publish.ts): the edges are the inventory just loaded.
        () =>
          computeReachability(executor, {
            runId: loaded.runId,
            delegation: options.delegation,
            loaded: valid,
          }),
        pid,
      );
      summary = {
        ...summaryPhase,
        rows: stats.rows,
        rowsPerSecond: stats.rows / seconds(summaryPhase.ms),
        hopEdges: stats.hopEdges,
        accessEdges: stats.accessEdges,
        delegations: stats.delegations,
        delegatedRows: stats.delegatedRows,
        edgesFrom: stats.edges,
        timings: stats.timings,
      };
    }
    if (!args['no-ceiling']) ceiling = await bareCeiling(graph, valid, BATCH_SIZE, load);
    if (!args['no-aws']) {
      log(`aws baseline: the dense account with ${options.awsRoles} roles…`);
      await wipe(driver, target.database);
      t = now();
      const awsEnvironment = denseAwsEnvironment({ roles: options.awsRoles, seed: options.seed });
      const a = now();
      const awsAnalysis = await analyzeAws(awsEnvironment, { grantHubs: options.grantHubs });
      const awsValid = validateInventory(
        buildAwsInventory(awsEnvironment, awsAnalysis, { sourceName: 'bench synthetic aws' }),
        'bench synthetic aws',
      );
      const analyzeMs = now() - a;
      const [awsLoaded, { ms: loadMs }] = await timedLoad(graph, awsValid, 'bench synthetic aws');
      const s = now();
      await computeReachability(executor, { runId: awsLoaded.runId });
      const summaryMs = now() - s;
      const awsRows = rowsOf(awsValid);
      aws = {
        roles: options.awsRoles,
        rows: awsRows,
        analyzeMs,
        loadMs,
        summaryMs,
        loadRowsPerSecond: awsRows / seconds(loadMs),
        pipelineRowsPerSecond: awsRows / seconds(analyzeMs + loadMs + summaryMs),
      };
    }
    jvmPeakRssKb = graph.server ? await peakRssKb(graph.server.pid) : undefined;
  }

  const {
    ms: syncMs,
    cpuMs: syncCpuMs,
    peakKb,
    targets,
  } = syncFigures([collect, analyze, inventory, load, summary], errors.length, {
    ms: TARGET_SYNC_MS,
    rssKb: TARGET_RSS_KB,
  });
  const pipelineRowsPerSecond = rows / seconds(syncMs);
  return {
    options,
    shape,
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    heapGrowingPercent: heapGrowingPercent ?? 'as given',
    generateMs,
    errors: errors.slice(0, 5).map((i) => `${i.source}: ${i.message}`),
    collect,
    analyze: { ...analyze, edges: analysis.edges.length, stats: analysis.stats },
    inventory: {
      ...inventory,
      nodes: valid.nodes.length,
      relationships: valid.relationships.length,
      relationshipsByType: countBy(valid.relationships, (r) => r.type),
      grants: hubFigures(valid.nodes),
    },
    load,
    summary,
    ceiling,
    aws,
    sync: {
      ms: syncMs,
      cpuMs: syncCpuMs,
      pipelineRowsPerSecond,
      loadRatioToAws: aws && load ? load.rowsPerSecond / aws.loadRowsPerSecond : undefined,
      pipelineRatioToAws: aws && load ? pipelineRowsPerSecond / aws.pipelineRowsPerSecond : undefined,
    },
    memory: { peakKb, finalKb: maxRssKb(), jvmPeakRssKb },
    targets,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const s = r.shape;
  const lines = [
    `reachgraph Kubernetes benchmark (${r.options.grantHubs ? 'Grant hubs' : 'per-pair edges'}): ${int(s.pods)} pods, ${int(s.serviceAccounts)} service accounts, ${int(s.roles + s.clusterRoles)} roles (${int(s.clusterRoles)} cluster-wide), ${int(s.roleBindings + s.clusterRoleBindings)} bindings, ${int(s.namespaces)} namespaces, ${int(s.nodes)} nodes, ${int(s.workloads)} workloads, ${int(s.secrets)} secrets (${int(s.legacyTokenSecrets)} legacy tokens); seed ${r.options.seed}`,
    `generated and written in ${sec(r.generateMs)} (not part of the figures); Node heap limit ${int(r.heapLimitMb)} MB, heap growing percent ${r.heapGrowingPercent}`,
    '',
    ...(r.errors.length ? ['ERRORS:', ...r.errors.map((e) => `  ${e.slice(0, 300)}`), ''] : []),
    `${'phase'.padEnd(11)}${'wall'.padStart(9)}${'CPU s Node+JVM'.padStart(16)}${'peak RSS'.padStart(10)}  detail`,
    phaseRow('collect', r.collect, 'snapshot read and transformed'),
    phaseRow('analyze', r.analyze, `${int(r.analyze.edges)} derived edges and legs`),
    phaseRow(
      'inventory',
      r.inventory,
      `${int(r.inventory.nodes)} nodes, ${int(r.inventory.relationships)} relationships; ${int(r.inventory.grants.hubs)} Grant hubs standing for ${int(r.inventory.grants.pairs)} pair edges`,
    ),
    phaseRow(
      'load',
      r.load,
      r.load
        ? `${int(r.load.rows ?? 0)} rows, ${int(r.load.rowsPerSecond)} rows/s into Neo4j ${r.load.version}`
        : '(--no-load)',
    ),
    phaseRow(
      'summary',
      r.summary,
      r.summary
        ? `${int(r.summary.rows ?? 0)} REACHES rows, ${int(r.summary.rowsPerSecond)} rows/s; ${int(r.summary.delegations)} REACHES_AS standing for ${int(r.summary.delegatedRows)} rows; ${int(r.summary.hopEdges)} hop edges, ${int(r.summary.accessEdges)} access edges (from the ${r.summary.edgesFrom}); wall: read ${sec(r.summary.timings.readMs)}, search ${sec(r.summary.timings.searchMs)} of search + write ${sec(r.summary.timings.searchAndWriteMs)}, cleanup ${sec(r.summary.timings.cleanupMs)}`
        : '',
    ),
    `${'sync'.padEnd(11)}${sec(r.sync.ms).padStart(9)}${seconds(r.sync.cpuMs).toFixed(1).padStart(16)}${mb(r.memory.peakKb).padStart(10)}  ${int(r.sync.pipelineRowsPerSecond)} inventory rows/s over the whole sync`,
    '',
    `relationships by type: ${counts(r.inventory.relationshipsByType)}${r.summary ? `, REACHES ${int(r.summary.rows ?? 0)}` : ''}`,
    ...(r.ceiling && r.load
      ? [
          `bare-driver ceiling (UNWIND CREATE, empty store): ${sec(r.ceiling.totalMs)}, CPU s ${cpuFigures(r.ceiling)} (rows built included), ${int(r.ceiling.rowsPerSecond)} rows/s; the loader at ${pct(r.ceiling.loadRatio)} of it`,
        ]
      : []),
    ...(r.aws && r.load
      ? [
          `AWS baseline (dense, ${r.aws.roles} roles, same run, same store): ${int(r.aws.rows)} rows; analyze ${sec(r.aws.analyzeMs)}, load ${sec(r.aws.loadMs)} (${int(r.aws.loadRowsPerSecond)} rows/s), summary ${sec(r.aws.summaryMs)}; ${int(r.aws.pipelineRowsPerSecond)} rows/s over analyze + load + summary`,
          `Kubernetes / AWS rows/s: load ${(r.sync.loadRatioToAws ?? 0).toFixed(2)}×, whole sync ${(r.sync.pipelineRatioToAws ?? 0).toFixed(2)}×`,
        ]
      : []),
    '',
    `peak RSS: Node ${mb(r.memory.peakKb)} (largest phase), Neo4j JVM ${mb(r.memory.jvmPeakRssKb)}`,
    '',
  ];
  lines.push(...targetLines(r.targets, 40));
  return lines.join('\n');
}
