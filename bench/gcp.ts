// GCP sync benchmark: a seeded synthetic organization (bench/synthetic-gcp.ts; default 2,000
// projects, ~5,000 service accounts, ~20,000 bindings inherited from the organization, folders,
// projects and resources, ~200 custom roles, groups with nested members, deny policies, conditions,
// data resources) written as a snapshot directory in the gcloud layout, then the phases of
// `sync gcp`, timed one by one:
//
//   collect   the snapshot read back and transformed (collectGcp)
//   analyze   the organization's edges (analyzeGcp)
//   inventory the Inventory the loader takes, validated
//   load      into Neo4j as one collection run (NEO4J_URI, or a local server on a temporary store)
//   summary   the reachability summary (REACHES rows) over the loaded graph
//   ceiling   the same inventory rows written by the bare driver, batched UNWIND CREATE, into the
//             emptied store (bench/bare-driver.ts)
//
//   npm run bench:gcp [-- --projects 2000 --seed 42 --no-load --no-summary --no-ceiling --json
//                         --wipe-existing]
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
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../src/collectors/gcp/snapshot.js';
import { ensureSchema } from '../src/graph/schema.js';
import { boundHeapGrowth } from '../src/heap-growth.js';
import type { CollectionIssue } from '../src/model/collection-issue.js';
import { expandGrants } from '../src/model/grants.js';
import type { InventoryNode } from '../src/model/inventory.js';
import { validateInventory } from '../src/model/validate.js';
import type { DerivedRelationship } from '../src/providers/contract.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import { computeReachability } from '../src/reachability/compute.js';
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
} from './lib.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';

const TARGET_SYNC_MS = 60_000;
const TARGET_RSS_KB = 2 * 1024 * 1024;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const BATCH_SIZE = 5_000;
const SOURCE = 'bench synthetic gcp';
/** The analysis time: fixed, so a seed gives the same edges whenever it runs. */
const AS_OF = new Date('2026-12-01T00:00:00Z');

const args = await benchArgs(import.meta.url, {
  projects: { type: 'string' },
});
const options = {
  projects: positive('projects', args.projects, 'BENCH_PROJECTS', 2_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
};

// The heap growth `reachgraph` runs with (src/main.ts), unless the flags given here set one.
const heapGrowingPercent = boundHeapGrowth();
let graph: BenchGraph | undefined;
let snapshotDir: string | undefined;

await runMeasured(measure, report, args.json, () => ({ graph, snapshotDir }));

async function measure() {
  log(`Generating an organization of ${options.projects} projects (seed ${options.seed})…`);
  const t = now();
  const { raw, shape } = syntheticGcpRaw({ projects: options.projects, seed: options.seed });
  snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-gcp-'));
  await writeGcpSnapshot(raw, snapshotDir);
  const generateMs = now() - t;
  const dir = snapshotDir;

  const [environment, collect] = await phase('collect: reading the snapshot', () =>
    collectGcp({ snapshotDir: dir }),
  );
  const [analysis, analyze] = await phase('analyze: the organization’s edges', () =>
    analyzeGcp(environment, { asOf: AS_OF }),
  );
  const inventoryIssues: CollectionIssue[] = [];
  const [valid, inventory] = await phase('inventory: building and validating', () =>
    validateInventory(
      buildGcpInventory(
        environment,
        analysis,
        { sourceName: SOURCE, onIssue: (issue) => inventoryIssues.push(issue) },
        { projectEnvironments: {}, generatedAt: AS_OF.toISOString() },
      ),
      SOURCE,
    ),
  );
  await rm(dir, { recursive: true, force: true });
  snapshotDir = undefined;
  const rows = rowsOf(valid);
  inventory.rows = rows;
  const errors = [...environment.issues, ...analysis.issues, ...inventoryIssues].filter(
    (i) => i.severity === 'error' || i.severity === 'warning',
  );

  let load: (Phase & LoadFigures) | undefined;
  let summary:
    | (Phase & {
        rowsPerSecond: number;
        hopEdges: number;
        accessEdges: number;
        delegations: number;
        delegatedRows: number;
      })
    | undefined;
  let ceiling: CeilingFigures | undefined;
  let jvmPeakRssKb: number | undefined;
  if (!args['no-load']) {
    graph = await openBenchGraph({
      heapMb: HEAP_MB,
      pageCacheMb: PAGE_CACHE_MB,
      wipeExisting: args['wipe-existing'],
      // The server `sync` starts for one load (src/graph/connection.ts).
      shortRun: true,
    });
    const { executor } = graph;
    const pid = graph.server?.pid;
    await ensureSchema(executor);
    const [loaded, loadFigures] = await loadPhase(graph, valid, SOURCE);
    load = loadFigures;
    log(
      `  load phases (ms): ${JSON.stringify(Object.fromEntries(Object.entries(loaded.phases).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    if (!args['no-summary']) {
      const [stats, summaryPhase] = await phase(
        'summary: the reachability summary',
        // As a sync does it (src/pipeline/publish.ts): the edges are the inventory just loaded.
        () => computeReachability(executor, { runId: loaded.runId, loaded: valid }),
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
      };
    }
    if (!args['no-ceiling']) ceiling = await bareCeiling(graph, valid, BATCH_SIZE, load);
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
  // Counted after every phase, so the expanded pairs weigh on none of them.
  const edgeCounts = countEdges(analysis);
  return {
    options,
    shape,
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    heapGrowingPercent: heapGrowingPercent ?? 'as given',
    generateMs,
    errors: errors.slice(0, 5).map((i) => `${i.source}: ${i.object ?? ''} ${i.message}`),
    collect,
    analyze: {
      ...analyze,
      ...edgeCounts,
      findings: analysis.findings.length,
    },
    inventory: {
      ...inventory,
      nodes: valid.nodes.length,
      relationships: valid.relationships.length,
      nodesByKind: countBy(valid.nodes, (n) => n.kind),
      relationshipsByType: countBy(valid.relationships, (r) => r.type),
    },
    load,
    summary,
    ceiling,
    sync: { ms: syncMs, cpuMs: syncCpuMs, pipelineRowsPerSecond: rows / seconds(syncMs) },
    memory: { peakKb, finalKb: maxRssKb(), jvmPeakRssKb },
    targets,
  };
}

/**
 * The pair edges (Grant hubs, src/model/grants.ts, expanded) by type, and the hubs' legs as stored:
 * counted, the expanded list dropped at once so that it weighs on no phase's memory.
 */
function countEdges(analysis: { nodes: InventoryNode[]; edges: DerivedRelationship[] }) {
  const pairs = expandGrants({ nodes: analysis.nodes, relationships: analysis.edges }).relationships;
  const hubIds = new Set(analysis.nodes.map((n) => n.id));
  const legs = analysis.edges.filter((e) => hubIds.has(e.from) || hubIds.has(e.to)).length;
  return {
    edges: pairs.length,
    edgesByType: countBy(pairs, (e) => e.type),
    inherited: inheritedOnly(pairs),
    stored: analysis.edges.length,
    grantHubs: analysis.nodes.length,
    legs,
    hubPairs: pairs.length - (analysis.edges.length - legs),
  };
}

/**
 * The derived edges every grant of which is a binding on a folder or the organization, by type: the
 * pairs (principal, thing below the level) a binding above the project materializes one by one. A
 * pair of one such binding names the target's place under the level in its last record
 * (analyzers/gcp-iam/grant-hubs.ts).
 */
function inheritedOnly(
  edges: readonly { type: string; evidence?: readonly { ref?: string; statement?: string }[] }[],
) {
  const above = (x: { ref?: string; statement?: string }) =>
    x.statement?.startsWith('inherited from ') === true ||
    (x.ref !== undefined && (x.ref.startsWith('folders/') || x.ref.startsWith('organizations/')));
  return countBy(
    edges.filter((e) => (e.evidence ?? []).length > 0 && (e.evidence ?? []).every(above)),
    (e) => e.type,
  );
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const s = r.shape;
  const at = s.bindingsAt;
  const lines = [
    `reachgraph GCP benchmark: ${int(s.projects)} projects under ${int(s.folders)} folders, ${int(s.serviceAccounts)} service accounts (${int(s.keys)} user-managed keys), ${int(s.bindings)} bindings (organization ${int(at.organization)}, folders ${int(at.folder)}, projects ${int(at.project)}, service accounts ${int(at.serviceAccount)}, resources ${int(at.resource)}; ${int(s.conditionalBindings)} with conditions), ${int(s.customRoles)} custom roles, ${int(s.groups)} groups of ${int(s.users)} users, ${int(s.denyPolicies)} deny policies, ${int(s.dataResources)} data resources, ${int(s.pools)} workload identity pools; seed ${r.options.seed}`,
    `generated and written in ${sec(r.generateMs)} (not part of the figures); Node heap limit ${int(r.heapLimitMb)} MB, heap growing percent ${r.heapGrowingPercent}`,
    '',
    ...(r.errors.length ? ['ERRORS:', ...r.errors.map((e) => `  ${e.slice(0, 300)}`), ''] : []),
    `${'phase'.padEnd(11)}${'wall'.padStart(9)}${'CPU s Node+JVM'.padStart(16)}${'peak RSS'.padStart(10)}  detail`,
    phaseRow('collect', r.collect, 'snapshot read and transformed'),
    phaseRow(
      'analyze',
      r.analyze,
      `${int(r.analyze.edges)} derived edges (${counts(r.analyze.edgesByType)}), ${int(r.analyze.findings)} findings`,
    ),
    `${''.padEnd(46)}  of which from folder and organization bindings alone: ${counts(r.analyze.inherited)}`,
    `${''.padEnd(46)}  stored as ${int(r.analyze.stored)}: ${int(r.analyze.grantHubs)} Grant hubs with ${int(r.analyze.legs)} legs standing for ${int(r.analyze.hubPairs)} pair edges`,
    phaseRow(
      'inventory',
      r.inventory,
      `${int(r.inventory.nodes)} nodes, ${int(r.inventory.relationships)} relationships`,
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
        ? `${int(r.summary.rows ?? 0)} REACHES rows, ${int(r.summary.rowsPerSecond)} rows/s; ${int(r.summary.delegations)} REACHES_AS standing for ${int(r.summary.delegatedRows)} rows; ${int(r.summary.hopEdges)} hop edges, ${int(r.summary.accessEdges)} access edges`
        : '',
    ),
    `${'sync'.padEnd(11)}${sec(r.sync.ms).padStart(9)}${seconds(r.sync.cpuMs).toFixed(1).padStart(16)}${mb(r.memory.peakKb).padStart(10)}  ${int(r.sync.pipelineRowsPerSecond)} inventory rows/s over the whole sync`,
    '',
    `nodes by kind: ${counts(r.inventory.nodesByKind)}`,
    `relationships by type: ${counts(r.inventory.relationshipsByType)}${r.summary ? `, REACHES ${int(r.summary.rows ?? 0)}` : ''}`,
    ...(r.ceiling && r.load
      ? [
          `bare-driver ceiling (UNWIND CREATE, empty store): ${sec(r.ceiling.totalMs)}, CPU s ${cpuFigures(r.ceiling)} (rows built included), ${int(r.ceiling.rowsPerSecond)} rows/s; the loader at ${pct(r.ceiling.loadRatio)} of it`,
        ]
      : []),
    '',
    `peak RSS: Node ${mb(r.memory.peakKb)} (largest phase), Neo4j JVM ${mb(r.memory.jvmPeakRssKb)}`,
    '',
  ];
  lines.push(...targetLines(r.targets, 40));
  return lines.join('\n');
}
