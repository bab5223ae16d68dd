// Where the Neo4j JVM's CPU goes through one first load of real derived rows, and loaders compared
// on the same rows: the inventory is built once, then each run starts a fresh local server (the
// client compiler only, as `sync` starts it for one load), writes the rows once and stops it. Per run
// it prints the CPU seconds of this process and of the JVM, the JVM's CPU split by thread (the Bolt
// workers that plan and run the statements and commit, the compiler, the collector, the checkpointer
// …, from /proc/<pid>/task), and optionally a Java Flight Recorder recording of the load.
//
//   npx tsx bench/load-profile.ts --source gcp [--projects 2000] | --source kubernetes [--pods 10000]
//        | --source aws [--roles 2000] (the dense account, bench/synthetic-aws-dense.ts)
//        [--runs loader,bare] [--rounds 2] [--seed 42] [--batch-size 5000] [--jfr DIR]
//        [--other-loader DIR] [--query-stats] [--node-prof DIR]
//
// --runs: `loader` (this tree's loadInventory), `bare` (the bare driver's UNWIND CREATE of the same
// batches, bench/bare-driver.ts) and `other` (loadInventory of another checkout at --other-loader, so
// a change is measured against the code before it on the same rows, alternated in one process).
// `loader-alt` (likewise `bare-alt`, `other-alt`) starts its server with --alt-flags added to the JVM's
// options. --rounds R repeats the list R times, alternating. BENCH_NEO4J_JVM_FLAGS replaces the server's JVM
// options (default: SHORT_RUN_JVM_FLAGS).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { analyzeGcp } from '../src/analyzers/gcp-iam/analyze.js';
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { collectGcp } from '../src/collectors/gcp/collect.js';
import { writeGcpSnapshot } from '../src/collectors/gcp/snapshot.js';
import { transformKubernetes } from '../src/collectors/kubernetes/transform.js';
import type { GraphExecutor } from '../src/graph/executor.js';
import { DEFAULT_BATCH_SIZE, loadInventory } from '../src/graph/loader.js';
import { ensureSchema } from '../src/graph/schema.js';
import { SHORT_RUN_JVM_FLAGS } from '../src/local-neo4j/index.js';
import { type ValidInventory, validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { buildGcpInventory } from '../src/providers/gcp/inventory.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { runBareDriver } from './bare-driver.js';
import { benchArgs, log, openBenchGraph, peakRssKb, positive, rowsOf, runBench, timed } from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';
import { syntheticGcpRaw } from './synthetic-gcp.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const args = await benchArgs(import.meta.url, {
  source: { type: 'string', default: 'gcp' },
  projects: { type: 'string' },
  pods: { type: 'string' },
  roles: { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string', default: 'loader,bare' },
  rounds: { type: 'string' },
  'batch-size': { type: 'string' },
  jfr: { type: 'string' },
  'other-loader': { type: 'string' },
  'query-stats': { type: 'boolean', default: false },
  'node-prof': { type: 'string' },
  'alt-flags': { type: 'string' },
});
const seed = positive('seed', args.seed, '', 42);
const rounds = positive('rounds', args.rounds, '', 1);
const batchSize = positive('batch-size', args['batch-size'], '', DEFAULT_BATCH_SIZE);
const runs = (args.runs ?? '').split(',').filter((r) => r !== '');
for (const r of runs)
  if (!['loader', 'bare', 'other'].includes(r.replace(/-alt$/, '')))
    throw new Error(`--runs: unknown run "${r}"`);
if (runs.some((r) => r.endsWith('-alt')) && !args['alt-flags'])
  throw new Error('--runs …-alt needs --alt-flags');
if (runs.includes('other') && !args['other-loader']) throw new Error('--runs other needs --other-loader');
const jvmFlags = process.env.BENCH_NEO4J_JVM_FLAGS ?? SHORT_RUN_JVM_FLAGS.join(' ');

type Load = typeof loadInventory;
// The other checkout's loader runs with its own executor: parameters marked as converted (asIs) are
// recognised only by the module that marked them.
const other = args['other-loader']
  ? {
      load: ((await import(resolve(args['other-loader'], 'src/graph/loader.ts'))) as { loadInventory: Load })
        .loadInventory,
      Executor: (
        (await import(resolve(args['other-loader'], 'src/graph/executor.ts'))) as {
          GraphExecutor: typeof GraphExecutor;
        }
      ).GraphExecutor,
    }
  : undefined;

async function inventory(): Promise<ValidInventory> {
  if (args.source === 'kubernetes') {
    const pods = positive('pods', args.pods, '', 10_000);
    log(`Generating a cluster of ${pods} pods (seed ${seed}) and analyzing it…`);
    const environment = transformKubernetes(syntheticKubernetesRaw({ pods, seed }).raw);
    const analysis = await analyzeKubernetes(environment);
    return validateInventory(
      buildKubernetesInventory(environment, analysis, { sourceName: 'bench kubernetes' }),
      'kubernetes inventory',
    );
  }
  if (args.source === 'aws') {
    const roles = positive('roles', args.roles, '', 2_000);
    log(`Generating the dense AWS account of ${roles} roles (seed ${seed}) and analyzing it…`);
    const environment = denseAwsEnvironment({ roles, seed });
    const analysis = await analyzeAws(environment);
    return validateInventory(
      buildAwsInventory(environment, analysis, { sourceName: 'bench aws' }),
      'aws inventory',
    );
  }
  if (args.source !== 'gcp')
    throw new Error(`--source: expected gcp, kubernetes or aws, got "${args.source}"`);
  const projects = positive('projects', args.projects, '', 2_000);
  log(`Generating an organization of ${projects} projects (seed ${seed}) and analyzing it…`);
  const { raw } = syntheticGcpRaw({ projects, seed });
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-load-profile-'));
  try {
    await writeGcpSnapshot(raw, dir);
    const environment = await collectGcp({ snapshotDir: dir });
    const asOf = new Date('2026-12-01T00:00:00Z');
    const analysis = await analyzeGcp(environment, { asOf });
    return validateInventory(
      buildGcpInventory(
        environment,
        analysis,
        { sourceName: 'bench gcp', onIssue: () => {} },
        { projectEnvironments: {}, generatedAt: asOf.toISOString() },
      ),
      'gcp inventory',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU seconds of every thread of a process, by thread name with its numbers dropped. */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat
        .slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
        .replace(/[#-]?\d+$/, '')
        .trim();
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(fields[11]) + Number(fields[12])) / 100;
      byName.set(name, (byName.get(name) ?? 0) + s);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return byName;
}

function threadDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, s] of after) {
    const d = s - (before.get(name) ?? 0);
    if (d >= 0.05) delta[name] = +d.toFixed(2);
  }
  return Object.fromEntries(Object.entries(delta).sort((a, b) => b[1] - a[1]));
}

/**
 * Per statement text: its invocations and how many of them were compiled, slowest first; then the
 * plan cache's entries (db.clearQueryCaches() answers how many it cleared). `db.stats` reports each
 * invocation's time from its start to the end of planning: a plan found in the cache takes ~1 ms of
 * that (more for a large parameter list or a pause), a plan compiled takes tens to hundreds of ms, so
 * an invocation is counted as compiled from COMPILED_US on. Compile seconds sum every invocation's.
 */
const COMPILED_US = 20_000;
async function printQueryStats(driver: Driver, db: { database: string }) {
  const { records } = await driver.executeQuery(
    "CALL db.stats.retrieve('QUERIES') YIELD data " +
      'WITH data.query AS q, [i IN data.invocations | i.elapsedCompileTimeInUs] AS c ' +
      'RETURN left(q, 140) AS q, size(c) AS runs, size([x IN c WHERE x >= $compiled]) AS compiled, ' +
      'reduce(t = 0, x IN c | t + x) / 1000 AS compileMs ORDER BY compileMs DESC',
    { compiled: COMPILED_US },
    db,
  );
  let runs = 0;
  let compiled = 0;
  let ms = 0;
  for (const r of records) {
    runs += Number(r.get('runs'));
    compiled += Number(r.get('compiled'));
    ms += Number(r.get('compileMs'));
  }
  const cleared = await driver.executeQuery('CALL db.clearQueryCaches()', {}, db);
  log(
    `statements ${records.length}, runs ${runs}, compiled ${compiled} (>= ${COMPILED_US / 1000} ms), ` +
      `compile ${(ms / 1000).toFixed(1)} s; plan cache: ${cleared.records[0]?.get('value')}`,
  );
  for (const r of records.slice(0, 25))
    log(
      `  ${String(r.get('compileMs')).padStart(7)} ms ${r.get('compiled')}/${r.get('runs')}  ${String(r.get('q')).replace(/\s+/g, ' ')}`,
    );
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

let close = async () => {};
await runBench(
  async () => {
    const valid = await inventory();
    log(`${valid.nodes.length} nodes, ${valid.relationships.length} relationships`);
    for (let round = 1; round <= rounds; round++)
      for (const token of runs) {
        const run = token.replace(/-alt$/, '');
        process.env.BENCH_NEO4J_JVM_FLAGS = token.endsWith('-alt')
          ? `${jvmFlags} ${args['alt-flags']}`
          : jvmFlags;
        const graph = await openBenchGraph({ heapMb: 2048, pageCacheMb: 1024, wipeExisting: false });
        close = graph.close;
        try {
          const pid = graph.server?.pid;
          const jfrFile =
            args.jfr && pid ? join(resolve(args.jfr), `${args.source}-${token}-${round}.jfr`) : undefined;
          if (jfrFile && pid)
            execFileSync('jcmd', [
              String(pid),
              'JFR.start',
              'name=load',
              'settings=profile',
              `filename=${jfrFile}`,
            ]);
          const db = { database: graph.target.database };
          // The bare driver seeks endpoints through the kinds' id indexes, which the loader creates
          // (inside its timed load); for the bare run they are created before timing, as bareCeiling
          // finds them after a load.
          if (run === 'bare') await ensureSchema(graph.executor);
          if (args['query-stats'])
            await graph.driver.executeQuery("CALL db.stats.collect('QUERIES')", {}, db);
          const threads = pid ? threadCpu(pid) : undefined;
          const loadAvgBefore = loadAverage();
          log(`round ${round}, ${run}…`);
          const inspector = args['node-prof'] ? new Session() : undefined;
          if (inspector) {
            inspector.connect();
            await inspector.post('Profiler.enable');
            await inspector.post('Profiler.start');
          }
          const [result, figures] = await timed(async () => {
            if (run === 'bare')
              return runBareDriver(graph.driver, graph.target.database, valid, batchSize, 'create');
            if (run === 'loader')
              return loadInventory(graph.executor, valid, { sources: ['bench'], batchSize });
            const { load, Executor } = other as NonNullable<typeof other>;
            const executor = Executor.connect(graph.target);
            try {
              return await load(executor, valid, { sources: ['bench'], batchSize });
            } finally {
              await executor.close();
            }
          }, pid);
          const perThread = pid && threads ? threadDelta(threads, threadCpu(pid)) : {};
          if (inspector) {
            const { profile } = await inspector.post('Profiler.stop');
            const file = join(
              resolve(args['node-prof'] as string),
              `${args.source}-${token}-${round}.cpuprofile`,
            );
            await writeFile(file, JSON.stringify(profile));
            inspector.disconnect();
          }
          if (jfrFile && pid) execFileSync('jcmd', [String(pid), 'JFR.stop', 'name=load']);
          if (args['query-stats']) await printQueryStats(graph.driver, db);
          console.log(
            JSON.stringify({
              source: args.source,
              run: token,
              jvmFlags: process.env.BENCH_NEO4J_JVM_FLAGS,
              round,
              rows: rowsOf(valid),
              wallS: +(figures.ms / 1000).toFixed(1),
              nodeCpuS: +(figures.cpuMs / 1000).toFixed(1),
              jvmCpuS: figures.jvmCpuMs === undefined ? undefined : +(figures.jvmCpuMs / 1000).toFixed(1),
              loadAverage: `${loadAvgBefore} → ${loadAverage()}`,
              phases:
                'phases' in result
                  ? Object.fromEntries(
                      Object.entries(result.phases).map(([k, v]) => [k, +((v as number) / 1000).toFixed(1)]),
                    )
                  : result,
              jvmPeakRssMb: pid ? Math.round(((await peakRssKb(pid)) ?? 0) / 1024) : undefined,
              jvmThreads: perThread,
              ...(jfrFile ? { jfr: jfrFile } : {}),
            }),
          );
        } finally {
          await graph.close();
        }
      }
  },
  () => close(),
);
