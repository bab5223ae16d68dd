// Load benchmark: the project's loader against the driver alone (the practical ceiling) and against
// one MERGE per transaction (the naive path), on the same synthetic inventory and the same Neo4j.
//
//   npx tsx bench/load.ts [--nodes 100000] [--relationships 300000] [--batch-size 5000]
//                         [--naive-sample 2000] [--seed 42] [--sweep 1000,2000,5000,10000]
//                         [--repeat 1] [--no-warmup] [--json] [--wipe-existing]
//
// --repeat R alternates loader and baseline R times and keeps each one's fastest run.
// --no-warmup skips the untimed warm-up (small loader and naive runs, a full baseline run, wipes).
//
// Every option also reads from the environment: BENCH_NODES, BENCH_RELATIONSHIPS, BENCH_BATCH_SIZE,
// BENCH_NAIVE_SAMPLE, BENCH_SEED, BENCH_REPEAT, BENCH_SWEEP. With NEO4J_URI (plus NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_DATABASE) that server is used, and it is wiped between methods: it must be
// empty, or --wipe-existing must say its data may go. Otherwise a local Neo4j is started on a
// temporary store and removed at the end.
import { parseArgs } from 'node:util';
import neo4j, { type Driver } from 'neo4j-driver';
import type { GraphExecutor } from '../src/graph/executor.js';
import { loadInventory } from '../src/graph/loader.js';
import { ensureSchema } from '../src/graph/schema.js';
import { toNeo4jProperties } from '../src/graph/values.js';
import { nodeKind, propertiesOf } from '../src/model/node-kinds.js';
import { relationshipKind } from '../src/model/relationship-kinds.js';
import type { LoadNode, ValidInventory } from '../src/model/validate.js';
import { validateInventory } from '../src/model/validate.js';
import { plainBatches, runBareDriver, writeBatches } from './bare-driver.js';
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
  wipe,
} from './lib.js';
import { syntheticInventory } from './synthetic-inventory.js';

const GOAL_OF_BASELINE = 0.8;
const GOAL_OVER_NAIVE = 30;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

// ── Options ───────────────────────────────────────────────────────────────────────────────────
const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string' },
    relationships: { type: 'string' },
    'batch-size': { type: 'string' },
    'naive-sample': { type: 'string' },
    seed: { type: 'string' },
    sweep: { type: 'string' },
    repeat: { type: 'string' },
    'no-warmup': { type: 'boolean', default: false },
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
  nodes: positive('nodes', args.nodes, 'BENCH_NODES', 100_000),
  relationships: positive('relationships', args.relationships, 'BENCH_RELATIONSHIPS', 300_000),
  batchSize: positive('batch-size', args['batch-size'], 'BENCH_BATCH_SIZE', 5_000),
  naiveSample: positive('naive-sample', args['naive-sample'], 'BENCH_NAIVE_SAMPLE', 2_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
  repeat: positive('repeat', args.repeat, 'BENCH_REPEAT', 1),
  sweep: (args.sweep ?? process.env.BENCH_SWEEP ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => positive('sweep', s, '', 0)),
  warmup: !args['no-warmup'],
  json: args.json,
};

// ── The three ways to load ────────────────────────────────────────────────────────────────────

interface Phases {
  /** Everything before the first node batch: schema check, run bookkeeping, row building. */
  prepareMs: number;
  nodesMs: number;
  relationshipsMs: number;
  /** Scoped stale cleanup, scope records, finishing the run. */
  finishMs: number;
  totalMs: number;
}

/** (a) loadInventory, with phase boundaries taken from its beforeBatch/onProgress hooks. */
async function runLoader(executor: GraphExecutor, valid: ValidInventory, batchSize: number): Promise<Phases> {
  const marks: { nodes?: number; relationships?: number; cleanup?: number } = {};
  const start = now();
  await loadInventory(executor, valid, {
    batchSize,
    sources: ['bench'],
    beforeBatch: ({ phase }) => {
      marks[phase] ??= now();
    },
    onProgress: ({ phase }) => {
      if (phase === 'cleanup') marks.cleanup ??= now();
    },
  });
  const end = now();
  const nodesStart = marks.nodes ?? start;
  const relsStart = marks.relationships ?? nodesStart;
  const relsEnd = marks.cleanup ?? end;
  return {
    prepareMs: nodesStart - start,
    nodesMs: relsStart - nodesStart,
    relationshipsMs: relsEnd - relsStart,
    finishMs: end - relsEnd,
    totalMs: end - start,
  };
}

/** (b) The driver alone: the same rows, plain UNWIND … MERGE … SET +=, nothing else. */
async function runBaseline(
  driver: Driver,
  database: string,
  valid: ValidInventory,
  batchSize: number,
): Promise<Phases> {
  const bare = await runBareDriver(driver, database, valid, batchSize, 'merge');
  return { prepareMs: 0, finishMs: 0, ...bare };
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
  const { nodes: N, relationships: M, batchSize } = options;
  log(`Generating ${N} nodes and ${M} relationships (seed ${options.seed})…`);
  let t = now();
  const inventory = syntheticInventory({ nodes: N, relationships: M, seed: options.seed });
  const generateMs = now() - t;
  t = now();
  const valid = validateInventory(inventory, 'synthetic inventory');
  const validateMs = now() - t;
  log(`  generated in ${seconds(generateMs).toFixed(1)} s, validated in ${seconds(validateMs).toFixed(1)} s`);

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
    const small = validateInventory(
      syntheticInventory({ nodes: 3_000, relationships: 9_000, seed: options.seed + 1 }),
      'warm-up inventory',
    );
    t = now();
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
  // by whatever else the machine is doing).
  let loader: Phases | undefined;
  let baseline: Phases | undefined;
  for (let round = 1; round <= options.repeat; round++) {
    const of = options.repeat > 1 ? ` (round ${round} of ${options.repeat})` : '';
    log(`(a) loader, batch size ${batchSize}${of}…`);
    const l = await runLoader(executor, valid, batchSize);
    log(`    ${seconds(l.totalMs).toFixed(1)} s`);
    await wipe(driver, database);
    if (!loader || l.totalMs < loader.totalMs) loader = l;

    log(`(b) baseline (driver alone), batch size ${batchSize}${of}…`);
    const b = await runBaseline(driver, database, valid, batchSize);
    log(`    ${seconds(b.totalMs).toFixed(1)} s`);
    await wipe(driver, database);
    if (!baseline || b.totalMs < baseline.totalMs) baseline = b;
  }
  if (!loader || !baseline) throw new Error('no rounds ran');

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

  const result = {
    nodes: N,
    relationships: M,
    batchSize,
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
  const pad = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const { loader, baseline, naive } = r.methods;
  const lines = [
    `reachgraph load benchmark: ${int(r.nodes)} nodes, ${int(r.relationships)} relationships, batch size ${int(r.batchSize)}${r.repeat > 1 ? `, best of ${r.repeat} rounds` : ''}`,
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
    ['baseline (driver)', m.baseline],
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
    `  loader phases: prepare ${sec(loader.prepareMs)} s, nodes ${sec(loader.nodesMs)} s, relationships ${sec(loader.relationshipsMs)} s, cleanup+finish ${sec(loader.finishMs)} s`,
    `  baseline phases: nodes ${sec(baseline.nodesMs)} s, relationships ${sec(baseline.relationshipsMs)} s (rows built and converted before timing)`,
    `  naive: sample of ${int(naive.sampleNodes)} nodes + ${int(naive.sampleRelationships)} relationships, nodes ${sec(naive.nodesMs)} s, relationships ${sec(naive.relationshipsMs)} s`,
    `  loader rows/s and total are end to end (row building, run bookkeeping, cleanup included)`,
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
