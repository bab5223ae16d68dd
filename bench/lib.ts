// Shared by the benchmarks: options, the Neo4j they run against (NEO4J_URI, or a local server on a
// temporary store), wiping it, and peak memory figures.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

import neo4j, { type AuthToken, type Driver } from 'neo4j-driver';
import { useLargeBoltChunks } from '../src/graph/bolt-chunks.js';
import { GraphExecutor, type Neo4jTarget, type ServerInfo } from '../src/graph/executor.js';
import { type LoadResult, loadInventory } from '../src/graph/loader.js';
import {
  type LocalNeo4jHandle,
  localPaths,
  SHORT_RUN_JVM_FLAGS,
  startLocalNeo4j,
} from '../src/local-neo4j/index.js';
import type { ValidInventory } from '../src/model/validate.js';
import { type BarePhases, runBareDriver } from './bare-driver.js';

const WIPE_BATCH = 10_000;

/** Progress goes to stderr, so `--json` leaves stdout with the JSON alone. */
export const log = (message: string) => process.stderr.write(`${message}\n`);
export const seconds = (ms: number) => ms / 1000;
export const now = () => performance.now();

/** `--help`: the header comment of the benchmark file is its usage. */
export async function printUsage(fileUrl: string): Promise<void> {
  const lines = (await readFile(new URL(fileUrl), 'utf8')).split('\n');
  const header = lines.slice(
    0,
    lines.findIndex((l) => !l.startsWith('//')),
  );
  process.stdout.write(`${header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
}

/** A positive integer from a flag, else an environment variable, else the fallback. */
export function positive(name: string, flag: string | undefined, env: string, fallback: number): number {
  const raw = flag ?? (env ? process.env[env] : undefined);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${name}: expected a positive integer, got "${raw}"`);
  return n;
}

export interface BenchGraph {
  target: Neo4jTarget;
  executor: GraphExecutor;
  driver: Driver;
  info: ServerInfo;
  /** The local server, when one was started. */
  server?: LocalNeo4jHandle;
  close(): Promise<void>;
}

/**
 * The server NEO4J_URI names (it must be empty unless `wipeExisting`), or a local Neo4j on a
 * temporary store that close() stops and removes. The graph is wiped before it is handed over.
 * `shortRun`: the local server runs with the JVM options `sync` gives the server it starts for one
 * load (SHORT_RUN_JVM_FLAGS), so a benchmark of the sync's phases times what the sync runs.
 */
export async function openBenchGraph(options: {
  heapMb: number;
  pageCacheMb: number;
  wipeExisting: boolean;
  shortRun?: boolean;
}): Promise<BenchGraph> {
  let target: Neo4jTarget;
  let auth: AuthToken | undefined;
  let server: LocalNeo4jHandle | undefined;
  let tempDir: string | undefined;
  if (process.env.NEO4J_URI) {
    target = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? process.env.NEO4J_USERNAME ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
    };
    auth = target.password ? neo4j.auth.basic(target.user, target.password) : undefined;
    log(`Using Neo4j at ${target.uri} (NEO4J_URI), database ${target.database}`);
  } else {
    tempDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-'));
    // BENCH_NEO4J_JVM_FLAGS: space-separated JVM options for the local server, to compare settings.
    const given = process.env.BENCH_NEO4J_JVM_FLAGS;
    const jvmFlags =
      given !== undefined
        ? given.split(' ').filter((flag) => flag !== '')
        : options.shortRun
          ? [...SHORT_RUN_JVM_FLAGS]
          : [];
    try {
      server = await startLocalNeo4j({
        dataDir: tempDir,
        cacheDir: localPaths().cacheDir,
        heapMb: options.heapMb,
        pageCacheMb: options.pageCacheMb,
        jvmFlags,
        // A machine shared with other work may take minutes to start the JVM.
        readyTimeoutMs: 600_000,
        onProgress: log,
      });
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true });
      throw error;
    }
    target = { uri: server.uri, user: 'neo4j', password: '', database: 'neo4j' };
    log(
      `  Neo4j ${server.version} on ${server.uri} (pid ${server.pid}, heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB, JVM options: ${jvmFlags.join(' ') || 'the defaults'})`,
    );
  }
  const executor = GraphExecutor.connect(target);
  // The transport the loader's executor uses (src/graph/bolt-chunks.ts), so the bare-driver ceiling
  // is measured on the same one.
  useLargeBoltChunks();
  const driver = neo4j.driver(target.uri, auth, { userAgent: 'reachgraph-bench' });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await executor.close().catch(() => {});
      await driver.close().catch(() => {});
      await server?.stop().catch((e: unknown) => log(`stopping Neo4j: ${(e as Error).message}`));
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    })();
    return closing;
  };
  try {
    const info = await executor.verify();
    if (server === undefined && (await countNodes(driver, target.database)) > 0 && !options.wipeExisting) {
      throw new Error(`${target.uri} holds data and this benchmark deletes everything: pass --wipe-existing`);
    }
    await wipe(driver, target.database);
    return { target, executor, driver, info, ...(server ? { server } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function countNodes(driver: Driver, database: string): Promise<number> {
  const { records } = await driver.executeQuery('MATCH (n) RETURN count(n) AS n', {}, { database });
  return Number(records[0]?.get('n') ?? 0);
}

/**
 * Deletes everything in batches (auto-commit CALL … IN TRANSACTIONS): relationships first, so a
 * batch of densely connected nodes does not exceed the transaction memory limit.
 */
export async function wipe(driver: Driver, database: string): Promise<void> {
  const session = driver.session({ database });
  try {
    await session.run(`MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF ${WIPE_BATCH} ROWS`);
    await session.run(`MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF ${WIPE_BATCH} ROWS`);
  } finally {
    await session.close();
  }
}

/** Peak resident memory of a process, from /proc (Linux); undefined where there is none. */
export async function peakRssKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = status.match(/^VmHWM:\s+(\d+)\s+kB/m)?.[1];
    return kb === undefined ? undefined : Number(kb);
  } catch {
    return undefined;
  }
}

/**
 * A benchmark that measures, then reports (`printFigures`), under `runBench`: however the run ends,
 * what runs on the graph `held` names and the graph are closed, and its snapshot directory, if still
 * there, removed.
 */
export async function runMeasured<R extends { targets: { pass: boolean }[] }>(
  measure: () => Promise<R>,
  report: (result: R) => string,
  json: boolean,
  held: () => {
    graph: BenchGraph | undefined;
    snapshotDir: string | undefined;
    /** What runs on the graph (an API server), closed before it. */
    onGraph?: { close(): Promise<void> };
  },
): Promise<void> {
  await runBench(
    async () => {
      const result = await measure();
      printFigures(report(result), result, json);
    },
    async () => {
      const { graph, snapshotDir, onGraph } = held();
      await onGraph?.close();
      await graph?.close();
      if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
    },
  );
}

/** Runs `main` with SIGINT/SIGTERM and errors leading to `cleanup` and a non-zero exit. */
export async function runBench(main: () => Promise<void>, cleanup: () => Promise<void>): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: stopping…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

/** Latency figures of a list of durations (ms): percentiles by nearest rank. */
export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function latencyStats(durations: readonly number[]): LatencyStats {
  const sorted = [...durations].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const total = sorted.reduce((sum, d) => sum + d, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    mean: sorted.length ? total / sorted.length : 0,
    max: sorted.at(-1) ?? 0,
  };
}

/**
 * CPU seconds a process has used so far (user + system, from /proc); undefined where there is none.
 * Synchronous, so progress callbacks can take it between one batch and the next.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU time of this process so far (user + system, ms): on a shared machine it moves less than wall time. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident memory of this process so far (KB), since the start or the last `resetPeakRss`. */
export const maxRssKb = () => process.resourceUsage().maxRSS;

/**
 * Starts a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM), so the next
 * `phasePeakRssKb` is the peak of one phase; false where the kernel does not allow it, and the
 * figures are then cumulative.
 */
export async function resetPeakRss(): Promise<boolean> {
  try {
    await writeFile('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** This process's peak RSS (KB) since the last reset (VmHWM), else the cumulative peak. */
export async function phasePeakRssKb(): Promise<number> {
  return (await peakRssKb(process.pid)) ?? maxRssKb();
}

export function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** Flags every benchmark takes, beside its own. */
const COMMON_FLAGS = {
  seed: { type: 'string' },
  'no-load': { type: 'boolean', default: false },
  'no-summary': { type: 'boolean', default: false },
  'no-ceiling': { type: 'boolean', default: false },
  'wipe-existing': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

/**
 * The command line of a benchmark: its own flags and the common ones, strict; `--help` prints the
 * file's header comment and exits.
 */
export async function benchArgs<const T extends ParseArgsOptionsConfig>(
  fileUrl: string,
  own: T,
): Promise<ReturnType<typeof parseArgs<{ options: typeof COMMON_FLAGS & T; strict: true }>>['values']> {
  const { values } = parseArgs({ options: { ...COMMON_FLAGS, ...own }, strict: true });
  if ((values as { help?: boolean }).help) {
    await printUsage(fileUrl);
    process.exit(0);
  }
  return values as never;
}

/**
 * Prints a benchmark's report: the text on stdout, or with `json` the text on stderr and the figures
 * as JSON on stdout. A missed target sets exit code 2.
 */
export function printFigures(text: string, result: { targets: { pass: boolean }[] }, json: boolean): void {
  if (json) {
    log(text);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else process.stdout.write(`${text}\n`);
  if (result.targets.some((t) => !t.pass)) process.exitCode = 2;
}

/** Wall time and CPU time (this process, and the local Neo4j JVM when its pid is known) of one step, ms. */
export interface Timed {
  ms: number;
  cpuMs: number;
  jvmCpuMs?: number;
}

export async function timed<T>(run: () => Promise<T> | T, jvmPid?: number): Promise<[T, Timed]> {
  const profile = await startPhaseProfile();
  const jvm = jvmPid === undefined ? undefined : cpuSeconds(jvmPid);
  const c = processCpuMs();
  const t = now();
  const value = await run();
  const ms = now() - t;
  const cpuMs = processCpuMs() - c;
  await profile?.();
  const jvmAfter = jvmPid === undefined ? undefined : cpuSeconds(jvmPid);
  return [
    value,
    {
      ms,
      cpuMs,
      ...(jvm !== undefined && jvmAfter !== undefined ? { jvmCpuMs: (jvmAfter - jvm) * 1000 } : {}),
    },
  ];
}

let profiles = 0;

/**
 * With BENCH_CPU_PROF_DIR set, each timed phase gets its own V8 CPU profile in that folder
 * (`phase-<n>.cpuprofile`, in the order the phases ran), so one phase's functions can be read with
 * bench/profile-top.ts without the others' (`node --cpu-prof` profiles the whole process).
 */
async function startPhaseProfile(): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (!dir) return undefined;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const file = join(dir, `phase-${++profiles}.cpuprofile`);
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    log(`  CPU profile: ${file}`);
  };
}

/** CPU seconds as "Node + JVM" (the JVM's when measured). */
export const cpuFigures = ({ cpuMs, jvmCpuMs }: Timed) =>
  `${seconds(cpuMs).toFixed(1)}${jvmCpuMs === undefined ? '' : ` + ${seconds(jvmCpuMs).toFixed(1)}`}`;

export interface LoadFigures extends Timed {
  rows: number;
  rowsPerSecond: number;
  version: string;
}

/** The inventory loaded as one collection run (the loader with its defaults), timed. */
export async function timedLoad(
  graph: BenchGraph,
  valid: ValidInventory,
  source: string,
): Promise<[LoadResult, LoadFigures]> {
  const [loaded, figures] = await timed(
    () =>
      loadInventory(graph.executor, valid, {
        sources: [source],
        // BENCH_LOAD_CONCURRENCY: relationship batches of one group in flight (the loader's default 1).
        ...(process.env.BENCH_LOAD_CONCURRENCY
          ? { concurrency: Number(process.env.BENCH_LOAD_CONCURRENCY) }
          : {}),
      }),
    graph.server?.pid,
  );
  const rows = valid.nodes.length + valid.relationships.length;
  return [
    loaded,
    { ...figures, rows, rowsPerSecond: rows / seconds(figures.ms), version: graph.info.version },
  ];
}

export interface CeilingFigures extends Timed, BarePhases {
  rowsPerSecond: number;
  /** The loader's rows/s ÷ the driver's. */
  loadRatio: number;
}

/**
 * The bare-driver ceiling on the inventory's rows: the store emptied, then the loader's batches
 * written with UNWIND CREATE (bench/bare-driver.ts), timed like the load it is compared with.
 */
export async function bareCeiling(
  graph: BenchGraph,
  valid: ValidInventory,
  batchSize: number,
  load: LoadFigures,
): Promise<CeilingFigures> {
  log('ceiling: wiping, then the same rows with the bare driver (UNWIND CREATE)…');
  await wipe(graph.driver, graph.target.database);
  const [phases, figures] = await timed(
    () => runBareDriver(graph.driver, graph.target.database, valid, batchSize, 'create'),
    graph.server?.pid,
  );
  const rowsPerSecond = load.rows / seconds(phases.totalMs);
  return { ...figures, ...phases, rowsPerSecond, loadRatio: load.rowsPerSecond / rowsPerSecond };
}

/** One phase: wall and CPU time (Node, and the local JVM for writes), its own peak RSS, rows. */
export interface Phase extends Timed {
  rssKb: number;
  rows?: number;
}

/** Runs one phase with its figures; `jvmPid` adds the JVM's CPU time over the phase. */
export async function phase<T>(
  name: string,
  run: () => Promise<T> | T,
  jvmPid?: number,
): Promise<[T, Phase]> {
  log(`${name}…`);
  await resetPeakRss();
  const [value, figures] = await timed(run, jvmPid);
  const rssKb = await phasePeakRssKb();
  reportPhase(name, figures, rssKb);
  return [value, { ...figures, rssKb }];
}

/** The inventory loaded as one collection run (`timedLoad`) as a phase, with its own peak RSS. */
export async function loadPhase(
  graph: BenchGraph,
  valid: ValidInventory,
  source: string,
): Promise<[LoadResult, Phase & LoadFigures]> {
  log('load: one collection run…');
  await resetPeakRss();
  const [loaded, loadFigures] = await timedLoad(graph, valid, source);
  const load = { ...loadFigures, rssKb: await phasePeakRssKb() };
  reportPhase('load', load, load.rssKb);
  return [loaded, load];
}

/** Each phase's figures as soon as it ends, so a run that fails later still tells them. */
export function reportPhase(name: string, { ms, cpuMs, jvmCpuMs }: Timed, rssKb: number): void {
  log(
    `  ${name.split(':')[0]}: ${seconds(ms).toFixed(1)} s wall, ${seconds(cpuMs).toFixed(1)} s CPU${jvmCpuMs !== undefined ? ` + ${seconds(jvmCpuMs).toFixed(1)} s JVM` : ''}, peak RSS ${Math.round(rssKb / 1024)} MB`,
  );
}

/** The rows an inventory writes: its nodes and relationships. */
export function rowsOf(valid: ValidInventory): number {
  return valid.nodes.length + valid.relationships.length;
}

// How the reports write their figures.
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const sec = (ms: number) => `${seconds(ms).toFixed(1)} s`;
export const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${int(kb / 1024)} MB`);
export const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
/** Counts by key, largest first. */
export const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');

/** A row of the phase table: wall time, CPU seconds (Node + JVM), peak RSS, then the detail. */
export const phaseRow = (label: string, p: Phase | undefined, detail: string) =>
  `${label.padEnd(11)}${(p ? sec(p.ms) : 'skipped').padStart(9)}${(p ? cpuFigures(p) : '').padStart(16)}${(p ? mb(p.rssKb) : '').padStart(10)}  ${detail}`;

/** A line per target: the figure, the goal it must stay under, PASS or FAIL. */
export function targetLines(
  targets: readonly { name: string; value: number; goal: number; unit: string; pass: boolean }[],
  nameWidth: number,
): string[] {
  return targets.map((t) => {
    const show = (n: number) => (t.unit === 'ms' ? sec(n) : t.unit === 'KB' ? mb(n) : int(n));
    return `${t.name.padEnd(nameWidth)} ${show(t.value).padStart(10)}  < ${show(t.goal).padEnd(9)} ${t.pass ? 'PASS' : 'FAIL'}`;
  });
}

/**
 * A sync's figures over its phases, in order (a skipped one counts nothing): wall and CPU time summed,
 * the largest phase's peak RSS; and its targets: no error, the sync under `goals.ms`, every phase's
 * peak RSS under `goals.rssKb`.
 */
export function syncFigures(
  phases: readonly (Phase | undefined)[],
  errors: number,
  goals: { ms: number; rssKb: number },
) {
  let ms = 0;
  let cpuMs = 0;
  let peakKb = 0;
  for (const p of phases) {
    ms += p?.ms ?? 0;
    cpuMs += p?.cpuMs ?? 0;
    peakKb = Math.max(peakKb, p?.rssKb ?? 0);
  }
  const targets = [
    { name: 'collection and analysis errors', value: errors, goal: 1, unit: '' },
    { name: 'sync (collect … summary)', value: ms, goal: goals.ms, unit: 'ms' },
    { name: 'peak RSS of a phase (Node)', value: peakKb, goal: goals.rssKb, unit: 'KB' },
  ].map((g) => ({ ...g, pass: g.value < g.goal }));
  return { ms, cpuMs, peakKb, targets };
}
