// Load benchmark: the project's loader against the driver alone (the practical ceiling) and against
// one MERGE per transaction (the naive path), on the same inventory and the same Neo4j.
//
//   npx tsx bench/load.ts [--nodes 100000] [--relationships 300000] [--batch-size 5000]
//                         [--naive-sample 2000] [--seed 42] [--sweep 1000,2000,5000,10000]
//                         [--repeat 1] [--no-warmup] [--json] [--wipe-existing]
//   npx tsx bench/load.ts --source aws [--principals 2000 --policies 4000 --resources 1000 --accounts 3]
//                         [--concurrency 2] [--what-if-compact-evidence]
//   npx tsx bench/load.ts --source dense [--roles 500]      (bench/synthetic-aws-dense.ts)
//   npx tsx bench/load.ts --source kubernetes [--pods 5000] (bench/synthetic-kubernetes.ts)
//   npx tsx bench/load.ts --source gcp [--projects 400]    (bench/synthetic-gcp.ts)
//   … [--verb merge|create]
//
// --what-if-compact-evidence also runs the baseline on the same rows with each evidence record cut
// to its references (source, policy id, statement), the reasons dropped: what storing evidence as
// compact references would gain at most.
//
// --source synthetic (default) loads generated rows of every kind with small properties;
// --source aws loads the real derived rows of a synthetic AWS estate (bench/synthetic-aws.ts →
// the AWS analyzer → buildAwsInventory), whose edges carry their evidence and action lists.
// --source dense and kubernetes load the real derived rows of the dense AWS account and of a
// synthetic cluster. All print rows/s per kind and relationship type, bytes per row (and the
// evidence's share), the loader's time per phase, and per kind its transactions and the CPU
// seconds of this process and of the local Neo4j JVM.
//
// The loader runs twice on the same rows: a first load into the empty store, then a reload into
// the graph it left (every relationship exists and is merged). The baseline is the driver alone on
// the same batches, `--verb merge` (default: MERGE … SET +=) or `create` (CREATE … SET =, the
// ceiling for a first load).
//
// --repeat R alternates loader and baseline R times and keeps each one's fastest run.
// --no-warmup skips the untimed warm-up (small loader and naive runs, a full baseline run, wipes).
//
// Every option also reads from the environment: BENCH_NODES, BENCH_RELATIONSHIPS, BENCH_BATCH_SIZE,
// BENCH_NAIVE_SAMPLE, BENCH_SEED, BENCH_REPEAT, BENCH_SWEEP. With NEO4J_URI (plus NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_DATABASE) that server is used, and it is wiped between methods: it must be
// empty, or --wipe-existing must say its data may go. Otherwise a local Neo4j is started on a
// temporary store and removed at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { collectGcp } from '../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../src/collectors/gcp/snapshot.js';
import { transformKubernetes } from '../src/collectors/kubernetes/transform.js';
import type { GraphExecutor } from '../src/graph/executor.js';
import type { LoadPhases } from '../src/graph/loader.js';
import { DEFAULT_CONCURRENCY, loadInventory } from '../src/graph/loader.js';
import { ensureSchema } from '../src/graph/schema.js';
import { toNeo4jProperties } from '../src/graph/values.js';
import { nodeKind, propertiesOf } from '../src/model/node-kinds.js';
import { relationshipKind } from '../src/model/relationship-kinds.js';
import type { LoadNode, ValidInventory } from '../src/model/validate.js';
import { storedProperties, validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { type BareVerb, plainBatches, writeBatches } from './bare-driver.js';
import {
  type BenchGraph,
  benchArgs,
  cpuSeconds,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  processCpuMs,
  runBench,
  seconds,
  wipe,
} from './lib.js';
import { syntheticAwsEnvironment } from './synthetic-aws.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';
import { syntheticInventory } from './synthetic-inventory.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const GOAL_OF_BASELINE = 0.8;
const GOAL_OVER_NAIVE = 30;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

// ── Options ───────────────────────────────────────────────────────────────────────────────────
const args = await benchArgs(import.meta.url, {
  source: { type: 'string' },
  nodes: { type: 'string' },
  relationships: { type: 'string' },
  principals: { type: 'string' },
  policies: { type: 'string' },
  resources: { type: 'string' },
  accounts: { type: 'string' },
  roles: { type: 'string' },
  pods: { type: 'string' },
  projects: { type: 'string' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  'naive-sample': { type: 'string' },
  sweep: { type: 'string' },
  repeat: { type: 'string' },
  'no-warmup': { type: 'boolean', default: false },
  'what-if-compact-evidence': { type: 'boolean', default: false },
  verb: { type: 'string' },
});

const SOURCES = ['synthetic', 'aws', 'dense', 'kubernetes', 'gcp'] as const;
type Source = (typeof SOURCES)[number];
const source = (args.source ?? process.env.BENCH_SOURCE ?? 'synthetic') as Source;
if (!SOURCES.includes(source)) throw new Error(`--source: expected ${SOURCES.join(', ')}, got "${source}"`);
const options = {
  source,
  aws: {
    principals: positive('principals', args.principals, 'BENCH_PRINCIPALS', 2_000),
    policies: positive('policies', args.policies, 'BENCH_POLICIES', 4_000),
    resources: positive('resources', args.resources, 'BENCH_RESOURCES', 1_000),
    accounts: positive('accounts', args.accounts, 'BENCH_ACCOUNTS', 3),
  },
  roles: positive('roles', args.roles, 'BENCH_ROLES', 500),
  pods: positive('pods', args.pods, 'BENCH_PODS', 5_000),
  projects: positive('projects', args.projects, 'BENCH_PROJECTS', 400),
  nodes: positive('nodes', args.nodes, 'BENCH_NODES', 100_000),
  relationships: positive('relationships', args.relationships, 'BENCH_RELATIONSHIPS', 300_000),
  batchSize: positive('batch-size', args['batch-size'], 'BENCH_BATCH_SIZE', 5_000),
  concurrency: positive('concurrency', args.concurrency, 'BENCH_CONCURRENCY', DEFAULT_CONCURRENCY),
  naiveSample: positive('naive-sample', args['naive-sample'], 'BENCH_NAIVE_SAMPLE', 2_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
  repeat: positive('repeat', args.repeat, 'BENCH_REPEAT', 1),
  sweep: (args.sweep ?? process.env.BENCH_SWEEP ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => positive('sweep', s, '', 0)),
  warmup: !args['no-warmup'],
  verb: verbOf(args.verb ?? 'merge'),
  json: args.json,
};

function verbOf(verb: string): BareVerb {
  if (verb !== 'merge' && verb !== 'create')
    throw new Error(`--verb: expected merge or create, got "${verb}"`);
  return verb;
}

// ── The three ways to load ────────────────────────────────────────────────────────────────────

interface Phases {
  /** Everything before the first node batch: schema check, run bookkeeping, row building. */
  prepareMs: number;
  nodesMs: number;
  relationshipsMs: number;
  /** Scoped stale cleanup, scope records, finishing the run. */
  finishMs: number;
  totalMs: number;
  /** CPU ms of this process and of the local Neo4j JVM over the whole load. */
  cpuMs: number;
  jvmCpuMs?: number;
  /** Per node kind or relationship type: rows, transactions, wall and CPU ms of its batches. */
  perKind: Record<string, KindFigures>;
  /** The loader's own account of its phases. */
  loader?: LoadPhases;
}

interface KindFigures {
  rows: number;
  transactions: number;
  ms: number;
  cpuMs: number;
  jvmCpuMs: number;
}

/**
 * Charges wall and CPU time (this process, the JVM) to kinds: each `mark` charges what passed since
 * the previous one. Batches run one at a time unless --concurrency, so the attribution is exact then.
 */
function kindClock(jvmPid: number | undefined) {
  const perKind: Record<string, KindFigures> = {};
  const read = () => ({ t: now(), cpu: processCpuMs(), jvm: (jvmPid && cpuSeconds(jvmPid)) || 0 });
  let last = read();
  return {
    perKind,
    reset: () => {
      last = read();
    },
    mark: (kind: string, rows: number) => {
      const next = read();
      const entry = perKind[kind] ?? { rows: 0, transactions: 0, ms: 0, cpuMs: 0, jvmCpuMs: 0 };
      perKind[kind] = entry;
      entry.rows += rows;
      entry.transactions++;
      entry.ms += next.t - last.t;
      entry.cpuMs += next.cpu - last.cpu;
      entry.jvmCpuMs += (next.jvm - last.jvm) * 1000;
      last = next;
    },
  };
}

/** Node and JVM CPU ms since `start` was called. */
function cpuSince(jvmPid: number | undefined) {
  const c = processCpuMs();
  const j = jvmPid === undefined ? undefined : cpuSeconds(jvmPid);
  return () => {
    const jAfter = jvmPid === undefined ? undefined : cpuSeconds(jvmPid);
    return {
      cpuMs: processCpuMs() - c,
      ...(j !== undefined && jAfter !== undefined ? { jvmCpuMs: (jAfter - j) * 1000 } : {}),
    };
  };
}

/**
 * (a) loadInventory, with phase boundaries taken from its beforeBatch/onProgress hooks. Batches may
 * overlap (concurrency), so a kind is charged the time from the previous batch's end (or the start
 * of a busy period) to its batch's end. The cleanup, scope records and the run's success are
 * charged to "(cleanup and finish)".
 */
async function runLoader(
  executor: GraphExecutor,
  valid: ValidInventory,
  batchSize: number,
  jvmPid?: number,
): Promise<Phases> {
  const marks: { nodes?: number; relationships?: number; cleanup?: number } = {};
  const clock = kindClock(jvmPid);
  let inFlight = 0;
  let doneBefore = 0;
  const start = now();
  const cpu = cpuSince(jvmPid);
  const result = await loadInventory(executor, valid, {
    batchSize,
    concurrency: options.concurrency,
    sources: ['bench'],
    beforeBatch: ({ phase }) => {
      marks[phase] ??= now();
      if (inFlight++ === 0) clock.reset();
    },
    onProgress: ({ phase, kind, done }) => {
      if (phase === 'cleanup') {
        if (marks.cleanup === undefined) clock.reset();
        marks.cleanup ??= now();
      } else {
        inFlight--;
        clock.mark(kind, done - doneBefore);
        doneBefore = done;
      }
    },
  });
  const end = now();
  if (marks.cleanup !== undefined) clock.mark('(cleanup and finish)', 0);
  const nodesStart = marks.nodes ?? start;
  const relsStart = marks.relationships ?? nodesStart;
  const relsEnd = marks.cleanup ?? end;
  return {
    prepareMs: nodesStart - start,
    nodesMs: relsStart - nodesStart,
    relationshipsMs: relsEnd - relsStart,
    finishMs: end - relsEnd,
    totalMs: end - start,
    ...cpu(),
    perKind: clock.perKind,
    loader: result.phases,
  };
}

/** (b) The driver alone: the same rows, plain UNWIND … MERGE … SET += (or CREATE), nothing else. */
async function runBaseline(
  driver: Driver,
  database: string,
  valid: ValidInventory,
  batchSize: number,
  jvmPid?: number,
): Promise<Phases> {
  const batches = plainBatches(valid, batchSize, options.verb); // before timing: equal payloads
  const clock = kindClock(jvmPid);
  const cpu = cpuSince(jvmPid);
  const start = now();
  await writeBatches(driver, database, batches.nodes, (kind, rows) => clock.mark(kind, rows));
  const mid = now();
  await writeBatches(driver, database, batches.relationships, (kind, rows) => clock.mark(kind, rows));
  const end = now();
  return {
    prepareMs: 0,
    nodesMs: mid - start,
    relationshipsMs: end - mid,
    finishMs: 0,
    totalMs: end - start,
    ...cpu(),
    perKind: clock.perKind,
  };
}

/** (c) One MERGE per row, one transaction each, on an evenly spread sample. */
async function runNaive(driver: Driver, database: string, valid: ValidInventory, sample: number) {
  const nodes = spread(valid.nodes, sample).map((n: LoadNode) => ({
    query: `MERGE (n:${n.kind} {id: $id}) SET n += $properties`,
    params: {
      id: n.id,
      properties: toNeo4jProperties(n.properties, propertiesOf(nodeKind(n.kind) ?? fail(n.kind))),
    },
  }));
  const rels = spread(valid.relationships, sample);
  const relationships = rels.map((r) => ({
    query: `MATCH (a:${r.fromKind} {id: $from}) MATCH (b:${r.toKind} {id: $to}) MERGE (a)-[r:${r.type}]->(b) SET r += $properties`,
    params: {
      from: r.from,
      to: r.to,
      properties: toNeo4jProperties(r.properties, relationshipKind(r.type)?.properties ?? {}),
    },
  }));
  // The relationships' endpoints, loaded in batches before their timing starts.
  const byId = new Map(valid.nodes.map((n) => [n.id, n]));
  const endpointIds = new Set(rels.flatMap((r) => [r.from, r.to]));
  const endpoints = {
    ...valid,
    nodes: [...endpointIds].map((id) => byId.get(id) as LoadNode),
    relationships: [],
  };

  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    const t0 = now();
    for (const { query, params } of nodes) await session.executeWrite((tx) => tx.run(query, params));
    const nodesMs = now() - t0;
    await writeBatches(driver, database, plainBatches(endpoints, 5_000).nodes);
    const t1 = now();
    for (const { query, params } of relationships) await session.executeWrite((tx) => tx.run(query, params));
    const relationshipsMs = now() - t1;
    return { nodes: nodes.length, relationships: relationships.length, nodesMs, relationshipsMs };
  } finally {
    await session.close();
  }
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────

/** The same inventory with every evidence record cut to [source, ref, statement] (the what-if). */
function withCompactEvidence(valid: ValidInventory): ValidInventory {
  return {
    ...valid,
    relationships: valid.relationships.map(({ evidence, ...r }) =>
      evidence === undefined
        ? r
        : {
            ...r,
            properties: {
              ...r.properties,
              evidence: JSON.stringify(evidence.map((e) => [e.source, e.ref, e.statement ?? null])),
            },
          },
    ),
  };
}

/**
 * The inventory to load: generated rows, or the real derived rows of a synthetic AWS estate; with
 * `shrink`, one that many times smaller from another seed (the warm-up's).
 */
async function generate(shrink = 1): Promise<unknown> {
  const size = (n: number) => Math.max(1, Math.round(n / shrink));
  const seed = shrink === 1 ? options.seed : options.seed + 1;
  if (options.source === 'synthetic') {
    const nodes = size(options.nodes);
    const relationships = size(options.relationships);
    log(`Generating ${nodes} nodes and ${relationships} relationships (seed ${seed})…`);
    return syntheticInventory({ nodes, relationships, seed });
  }
  if (options.source === 'dense') {
    const roles = size(options.roles);
    log(`Generating the dense AWS account with ${roles} roles (seed ${seed}) and analyzing it…`);
    const environment = denseAwsEnvironment({ roles, seed });
    const analysis = await analyzeAws(environment);
    return buildAwsInventory(environment, analysis, { sourceName: 'bench synthetic aws' });
  }
  if (options.source === 'gcp') {
    const projects = size(options.projects);
    log(`Generating an organization of ${projects} projects (seed ${seed}) and analyzing it…`);
    const { raw } = syntheticGcpRaw({ projects, seed });
    const dir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-load-gcp-'));
    try {
      await writeGcpSnapshot(raw, dir);
      const environment = await collectGcp({ snapshotDir: dir });
      const asOf = new Date('2026-12-01T00:00:00Z');
      const analysis = await analyzeGcp(environment, { asOf });
      return buildGcpInventory(
        environment,
        analysis,
        { sourceName: 'bench synthetic gcp', onIssue: () => {} },
        { projectEnvironments: {}, generatedAt: asOf.toISOString() },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (options.source === 'kubernetes') {
    const pods = size(options.pods);
    log(`Generating a cluster of ${pods} pods (seed ${seed}) and analyzing it…`);
    const environment = transformKubernetes(syntheticKubernetesRaw({ pods, seed }).raw);
    const analysis = await analyzeKubernetes(environment);
    return buildKubernetesInventory(environment, analysis, { sourceName: 'bench synthetic kubernetes' });
  }
  const a = {
    principals: size(options.aws.principals),
    policies: size(options.aws.policies),
    resources: size(options.aws.resources),
    accounts: options.aws.accounts,
  };
  log(
    `Generating an AWS estate of ${a.principals} principals, ${a.policies} policies, ${a.resources} resources over ${a.accounts} accounts (seed ${seed}) and analyzing it…`,
  );
  const environment = syntheticAwsEnvironment({ ...a, seed });
  const analysis = await analyzeAws(environment);
  return buildAwsInventory(environment, analysis, { sourceName: 'bench synthetic aws' });
}

/** Bytes per row by kind or type (its JSON: ids and properties), and how much of it is evidence. */
function rowSizes(valid: ValidInventory): Record<string, RowSize> {
  const sizes: Record<string, RowSize & { seen?: Set<string> }> = {};
  const add = (kind: string, row: object, evidence: unknown) => {
    const entry = sizes[kind] ?? { rows: 0, bytes: 0, evidenceBytes: 0, distinctEvidence: 0 };
    sizes[kind] = entry;
    entry.rows++;
    entry.bytes += JSON.stringify(row).length;
    if (typeof evidence !== 'string') return;
    entry.evidenceBytes += evidence.length;
    entry.seen ??= new Set();
    entry.seen.add(evidence);
    entry.distinctEvidence = entry.seen.size;
  };
  for (const n of valid.nodes) add(n.kind, { id: n.id, properties: n.properties }, undefined);
  for (const r of valid.relationships) {
    const properties = storedProperties(r);
    add(r.type, { from: r.from, to: r.to, properties }, properties.evidence);
  }
  for (const entry of Object.values(sizes)) delete entry.seen;
  return sizes;
}

/** Bytes of a kind's rows as JSON, of their evidence, and how many distinct evidence texts they hold. */
interface RowSize {
  rows: number;
  bytes: number;
  evidenceBytes: number;
  distinctEvidence: number;
}

function fail(message: string): never {
  throw new Error(message);
}

/** `count` items spread evenly over the list (so every kind and type is represented). */
function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}

// ── Main ──────────────────────────────────────────────────────────────────────────────────────

let graph: BenchGraph | undefined;

await runBench(main, async () => {
  await graph?.close();
});

async function main(): Promise<void> {
  const result = await measure();
  const table = report(result);
  if (options.json) {
    log(table);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  if (result.goals.some((g) => !g.pass)) process.exitCode = 2;
}

async function measure() {
  const { batchSize } = options;
  let t = now();
  const inventory = await generate();
  const generateMs = now() - t;
  t = now();
  const valid = validateInventory(inventory, `${options.source} inventory`);
  const validateMs = now() - t;
  const N = valid.nodes.length;
  const M = valid.relationships.length;
  log(
    `  ${N} nodes, ${M} relationships: generated in ${seconds(generateMs).toFixed(1)} s, validated in ${seconds(validateMs).toFixed(1)} s`,
  );
  const sizes = rowSizes(valid);

  graph = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'],
  });
  const { executor, driver, info, target, server } = graph;
  const { database } = target;
  t = now();
  await ensureSchema(executor);
  log(`  schema ensured in ${seconds(now() - t).toFixed(1)} s`);

  if (options.warmup) {
    // Untimed: query plans compiled and the JVM warm for all methods, and the store grown once to
    // full size. Without it whichever method runs first pays for all that (measured: the loader
    // took 36 s on a fresh store against 27-28 s after a warm-up, nodes 10.6 s against 6.8 s).
    // The warm-up rows are of the same kinds as the measured ones, so every query is planned once.
    const small = validateInventory(await generate(10), 'warm-up inventory');
    t = now();
    await runLoader(executor, small, batchSize);
    await runLoader(executor, small, batchSize);
    await wipe(driver, database);
    await runNaive(driver, database, small, 300);
    await wipe(driver, database);
    await runBaseline(driver, database, valid, batchSize);
    await wipe(driver, database);
    log(
      `  warm-up (small loader and naive runs, full baseline run, wipes) in ${seconds(now() - t).toFixed(1)} s`,
    );
  }

  // Loader and baseline alternate; with --repeat each keeps its fastest run (the least disturbed
  // by whatever else the machine is doing). The reload writes the same rows again into the graph
  // the first load left: every relationship exists, so all of them are merged.
  let loader: Phases | undefined;
  let reload: Phases | undefined;
  let baseline: Phases | undefined;
  const jvmPid = server?.pid;
  for (let round = 1; round <= options.repeat; round++) {
    const of = options.repeat > 1 ? ` (round ${round} of ${options.repeat})` : '';
    log(`(a) loader, batch size ${batchSize}${of}…`);
    const l = await runLoader(executor, valid, batchSize, jvmPid);
    log(`    ${seconds(l.totalMs).toFixed(1)} s`);
    if (!loader || l.totalMs < loader.totalMs) loader = l;
    log(`(a') loader, the same rows again${of}…`);
    const r = await runLoader(executor, valid, batchSize, jvmPid);
    log(`    ${seconds(r.totalMs).toFixed(1)} s`);
    await wipe(driver, database);
    if (!reload || r.totalMs < reload.totalMs) reload = r;

    log(`(b) baseline (driver alone, ${options.verb}), batch size ${batchSize}${of}…`);
    const b = await runBaseline(driver, database, valid, batchSize, jvmPid);
    log(`    ${seconds(b.totalMs).toFixed(1)} s`);
    await wipe(driver, database);
    if (!baseline || b.totalMs < baseline.totalMs) baseline = b;
  }
  if (!loader || !reload || !baseline) throw new Error('no rounds ran');

  let compactEvidence: { phases: Phases; bytes: number } | undefined;
  if (args['what-if-compact-evidence']) {
    const compact = withCompactEvidence(valid);
    log('(d) baseline on the same rows with compact evidence (what-if)…');
    const phases = await runBaseline(driver, database, compact, batchSize);
    log(`    ${seconds(phases.totalMs).toFixed(1)} s`);
    await wipe(driver, database);
    const bytes = Object.values(rowSizes(compact)).reduce((n, s) => n + s.bytes, 0);
    compactEvidence = { phases, bytes };
  }

  log(`(c) naive, one transaction per row, ${options.naiveSample} + ${options.naiveSample} rows…`);
  const naive = await runNaive(driver, database, valid, options.naiveSample);
  log(`    ${seconds(naive.nodesMs + naive.relationshipsMs).toFixed(1)} s`);
  await wipe(driver, database);

  const sweep: { batchSize: number; loader: Phases; baseline: Phases }[] = [];
  for (const size of options.sweep) {
    log(`sweep: batch size ${size}, loader…`);
    const l = await runLoader(executor, valid, size);
    await wipe(driver, database);
    log(`sweep: batch size ${size}, baseline…`);
    const b = await runBaseline(driver, database, valid, size);
    await wipe(driver, database);
    sweep.push({ batchSize: size, loader: l, baseline: b });
  }

  const nodeMaxRssKb = process.resourceUsage().maxRSS;
  const jvmPeakRssKb = server ? await peakRssKb(server.pid) : undefined;

  // ── Figures ─────────────────────────────────────────────────────────────────────────────────
  const rate = (rows: number, ms: number) => (ms > 0 ? rows / seconds(ms) : 0);
  const methods = {
    loader: {
      nodesPerSec: rate(N, loader.nodesMs),
      relationshipsPerSec: rate(M, loader.relationshipsMs),
      /** End to end: loadInventory's whole time, row building, run bookkeeping and cleanup included. */
      rowsPerSec: rate(N + M, loader.totalMs),
      ...loader,
    },
    reload: {
      nodesPerSec: rate(N, reload.nodesMs),
      relationshipsPerSec: rate(M, reload.relationshipsMs),
      rowsPerSec: rate(N + M, reload.totalMs),
      ...reload,
    },
    baseline: {
      nodesPerSec: rate(N, baseline.nodesMs),
      relationshipsPerSec: rate(M, baseline.relationshipsMs),
      rowsPerSec: rate(N + M, baseline.totalMs),
      ...baseline,
    },
    naive: {
      nodesPerSec: rate(naive.nodes, naive.nodesMs),
      relationshipsPerSec: rate(naive.relationships, naive.relationshipsMs),
      rowsPerSec: rate(naive.nodes + naive.relationships, naive.nodesMs + naive.relationshipsMs),
      sampleNodes: naive.nodes,
      sampleRelationships: naive.relationships,
      nodesMs: naive.nodesMs,
      relationshipsMs: naive.relationshipsMs,
      totalMs: naive.nodesMs + naive.relationshipsMs,
    },
  };
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const goals = [
    {
      name: 'loader/baseline nodes',
      value: ratio(methods.loader.nodesPerSec, methods.baseline.nodesPerSec),
      goal: GOAL_OF_BASELINE,
    },
    {
      name: 'loader/baseline relationships',
      value: ratio(methods.loader.relationshipsPerSec, methods.baseline.relationshipsPerSec),
      goal: GOAL_OF_BASELINE,
    },
    {
      name: 'loader/baseline overall',
      value: ratio(methods.loader.rowsPerSec, methods.baseline.rowsPerSec),
      goal: GOAL_OF_BASELINE,
    },
    {
      name: 'loader/naive nodes',
      value: ratio(methods.loader.nodesPerSec, methods.naive.nodesPerSec),
      goal: GOAL_OVER_NAIVE,
    },
    {
      name: 'loader/naive relationships',
      value: ratio(methods.loader.relationshipsPerSec, methods.naive.relationshipsPerSec),
      goal: GOAL_OVER_NAIVE,
    },
    {
      name: 'loader/naive overall',
      value: ratio(methods.loader.rowsPerSec, methods.naive.rowsPerSec),
      goal: GOAL_OVER_NAIVE,
    },
  ].map((g) => ({ ...g, pass: g.value >= g.goal }));

  const none: KindFigures = { rows: 0, transactions: 0, ms: 0, cpuMs: 0, jvmCpuMs: 0 };
  const kinds = [...Object.keys(sizes), '(cleanup and finish)'].map((kind) => {
    const size = sizes[kind] ?? { rows: 0, bytes: 0, evidenceBytes: 0, distinctEvidence: 0 };
    const l = loader.perKind[kind] ?? none;
    const r = reload.perKind[kind] ?? none;
    const b = baseline.perKind[kind] ?? none;
    return {
      kind,
      rows: size.rows,
      bytesPerRow: size.rows > 0 ? size.bytes / size.rows : 0,
      evidenceShare: size.bytes > 0 ? size.evidenceBytes / size.bytes : 0,
      distinctEvidence: size.distinctEvidence,
      loaderRowsPerSec: rate(l.rows, l.ms),
      baselineRowsPerSec: rate(b.rows, b.ms),
      loader: l,
      reload: r,
      baseline: b,
    };
  });
  const totalBytes = Object.values(sizes).reduce((n, s) => n + s.bytes, 0);
  const evidenceBytes = Object.values(sizes).reduce((n, s) => n + s.evidenceBytes, 0);
  const result = {
    source: options.source,
    ...(options.source === 'aws' ? { aws: options.aws } : {}),
    ...(options.source === 'dense' ? { roles: options.roles } : {}),
    ...(options.source === 'kubernetes' ? { pods: options.pods } : {}),
    ...(options.source === 'gcp' ? { projects: options.projects } : {}),
    verb: options.verb,
    nodes: N,
    relationships: M,
    bytes: { total: totalBytes, evidence: evidenceBytes },
    kinds,
    loaderPhases: loader.loader,
    ...(compactEvidence
      ? {
          compactEvidence: {
            bytes: compactEvidence.bytes,
            relationshipsPerSec: rate(M, compactEvidence.phases.relationshipsMs),
            baselineRelationshipsPerSec: rate(M, baseline.relationshipsMs),
            totalMs: compactEvidence.phases.totalMs,
          },
        }
      : {}),
    batchSize,
    concurrency: options.concurrency,
    seed: options.seed,
    repeat: options.repeat,
    neo4j: { uri: target.uri, version: info.version, edition: info.edition, local: server !== undefined },
    generateMs,
    validateMs,
    methods,
    goals,
    memory: { nodeMaxRssKb, jvmPeakRssKb },
    sweep: sweep.map((s) => ({
      batchSize: s.batchSize,
      loaderNodesPerSec: rate(N, s.loader.nodesMs),
      loaderRelationshipsPerSec: rate(M, s.loader.relationshipsMs),
      loaderTotalMs: s.loader.totalMs,
      baselineNodesPerSec: rate(N, s.baseline.nodesMs),
      baselineRelationshipsPerSec: rate(M, s.baseline.relationshipsMs),
      baselineTotalMs: s.baseline.totalMs,
    })),
  };

  return result;
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const sec = (ms: number) => seconds(ms).toFixed(1);
  const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${int(kb / 1024)} MB`);
  const figures = (f: KindFigures) =>
    f.transactions === 0 && f.ms === 0
      ? '-'
      : `${f.transactions} tx ${sec(f.ms)} ${sec(f.cpuMs)}+${sec(f.jvmCpuMs)}`;
  const pad = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const { loader, baseline, naive } = r.methods;
  const cpu = (p: { cpuMs: number; jvmCpuMs?: number }) =>
    `${sec(p.cpuMs)} + ${p.jvmCpuMs === undefined ? 'n/a' : sec(p.jvmCpuMs)}`;
  const lines = [
    `reachgraph load benchmark: ${int(r.nodes)} nodes, ${int(r.relationships)} relationships, batch size ${int(r.batchSize)}, loader concurrency ${r.concurrency}${r.repeat > 1 ? `, best of ${r.repeat} rounds` : ''}`,
    r.aws
      ? `rows: the real derived rows of a synthetic AWS estate (${int(r.aws.principals)} principals, ${int(r.aws.policies)} policies, ${int(r.aws.resources)} resources, ${r.aws.accounts} accounts)`
      : r.roles
        ? `rows: the real derived rows of the dense AWS account with ${int(r.roles)} roles`
        : r.pods
          ? `rows: the real derived rows of a synthetic cluster of ${int(r.pods)} pods`
          : r.projects
            ? `rows: the real derived rows of a synthetic GCP organization of ${int(r.projects)} projects`
            : 'rows: synthetic (bench/synthetic-inventory.ts)',
    `${(r.bytes.total / 1e6).toFixed(1)} MB of rows as JSON, ${((r.bytes.evidence / Math.max(1, r.bytes.total)) * 100).toFixed(0)} % of it evidence`,
    `Neo4j ${r.neo4j.version} ${r.neo4j.edition}${r.neo4j.local ? ` (local, heap ${HEAP_MB} MB, page cache ${PAGE_CACHE_MB} MB)` : ''}`,
    `generate ${sec(r.generateMs)} s, validateInventory ${sec(r.validateMs)} s (not part of the load figures)`,
    '',
  ];
  const widths = [22, 12, 18, 12, 10];
  lines.push(pad(['method', 'nodes/s', 'relationships/s', 'rows/s', 'total s'], widths));
  const m = r.methods;
  const naiveLabel = 'naive (1 tx per row)';
  for (const [label, row] of [
    ['loader', m.loader],
    ['loader, reload', m.reload],
    [`baseline (${r.verb})`, m.baseline],
    [naiveLabel, m.naive],
  ] as const) {
    lines.push(
      pad(
        [label, int(row.nodesPerSec), int(row.relationshipsPerSec), int(row.rowsPerSec), sec(row.totalMs)],
        widths,
      ),
    );
  }
  lines.push(
    `  CPU s (Node + JVM): loader ${cpu(loader)}, reload ${cpu(r.methods.reload)}, baseline ${cpu(baseline)}`,
    `  loader phases: prepare ${sec(loader.prepareMs)} s, nodes ${sec(loader.nodesMs)} s, relationships ${sec(loader.relationshipsMs)} s, cleanup+finish ${sec(loader.finishMs)} s`,
    `  baseline phases: nodes ${sec(baseline.nodesMs)} s, relationships ${sec(baseline.relationshipsMs)} s (rows built and converted before timing)`,
    `  naive: sample of ${int(naive.sampleNodes)} nodes + ${int(naive.sampleRelationships)} relationships, nodes ${sec(naive.nodesMs)} s, relationships ${sec(naive.relationshipsMs)} s`,
    `  loader rows/s and total are end to end (row building, run bookkeeping, cleanup included)`,
    ...(r.loaderPhases
      ? [
          `  loader's own phases: validation ${sec(r.validateMs)} s (before the load), ${Object.entries(
            r.loaderPhases,
          )
            .map(([k, ms]) => `${k} ${sec(ms)} s`)
            .join(', ')}`,
        ]
      : []),
    '',
    pad(
      ['kind or type', 'rows', 'bytes/row', 'evidence', 'distinct', 'loader/s', 'baseline/s', 'ratio'],
      [20, 9, 10, 9, 9, 10, 11, 7],
    ),
    ...r.kinds.map((k) =>
      pad(
        [
          k.kind,
          int(k.rows),
          int(k.bytesPerRow),
          `${(k.evidenceShare * 100).toFixed(0)} %`,
          int(k.distinctEvidence),
          int(k.loaderRowsPerSec),
          int(k.baselineRowsPerSec),
          k.baselineRowsPerSec > 0
            ? `${((k.loaderRowsPerSec / k.baselineRowsPerSec) * 100).toFixed(0)} %`
            : 'n/a',
        ],
        [20, 9, 10, 9, 9, 10, 11, 7],
      ),
    ),
    '',
    'per kind, transactions and seconds: wall, CPU Node + JVM',
    pad(['kind or type', 'loader', 'reload', 'baseline'], [26, 24, 24, 24]),
    ...r.kinds.map((k) =>
      pad([k.kind, figures(k.loader), figures(k.reload), figures(k.baseline)], [26, 24, 24, 24]),
    ),
    '',
    pad(['ratio', 'value', 'goal', 'result'], [30, 8, 8, 6]),
  );
  for (const g of r.goals) {
    const value = g.goal < 1 ? `${(g.value * 100).toFixed(0)} %` : `${g.value.toFixed(0)}×`;
    const goal = g.goal < 1 ? `≥ ${(g.goal * 100).toFixed(0)} %` : `≥ ${g.goal}×`;
    lines.push(pad([g.name, value, goal, g.pass ? 'PASS' : 'FAIL'], [30, 8, 8, 6]));
  }
  lines.push(
    '',
    `peak RSS: node ${mb(r.memory.nodeMaxRssKb)}, Neo4j JVM ${mb(r.memory.jvmPeakRssKb)}${r.neo4j.local ? '' : ' (remote server: not measured)'}`,
  );
  if (r.sweep.length > 0) {
    const sw = [10, 14, 12, 9, 14, 12, 9, 8];
    lines.push(
      '',
      'batch-size sweep (loader vs baseline):',
      pad(['batch', 'loader n/s', 'loader r/s', 'loader s', 'base n/s', 'base r/s', 'base s', 'overall'], sw),
    );
    for (const s of r.sweep) {
      lines.push(
        pad(
          [
            int(s.batchSize),
            int(s.loaderNodesPerSec),
            int(s.loaderRelationshipsPerSec),
            sec(s.loaderTotalMs),
            int(s.baselineNodesPerSec),
            int(s.baselineRelationshipsPerSec),
            sec(s.baselineTotalMs),
            `${((s.baselineTotalMs / s.loaderTotalMs) * 100).toFixed(0)} %`,
          ],
          sw,
        ),
      );
    }
  }
  return lines.join('\n');
}
