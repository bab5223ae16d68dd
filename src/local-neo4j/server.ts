import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import neo4j, { type AuthToken } from 'neo4j-driver';
import { ensureNeo4jJars } from './jars.js';
import { findJava } from './java.js';
import { keepArchive, type LaunchPlan, launchPlan } from './launcher.js';
import { NEO4J_VERSION } from './paths.js';
import { lastLines } from './process-output.js';
import { isProcessAlive, readServerState, stopServer, writeServerState } from './state.js';

/** How long a start waits for the server to be ready, unless told otherwise. */
export const DEFAULT_READY_TIMEOUT_MS = 120_000;

export interface StartLocalNeo4jOptions {
  /** Store directory (created if missing); also holds logs/, ready.json and, when detached, server.json. */
  dataDir: string;
  /** Where the jars are cached (see ensureNeo4jJars). */
  cacheDir: string;
  /** JVM heap, -Xms and -Xmx. Default 1024. */
  heapMb?: number;
  /** More JVM options, after the default ones (so they win over them). */
  jvmFlags?: readonly string[];
  /** Neo4j page cache. Default 512 (Neo4j's own default is a share of all RAM). */
  pageCacheMb?: number;
  /** Bolt port on 127.0.0.1; 0 (default) lets the OS pick a free one. */
  port?: number;
  /**
   * false (default): the JVM is this process's child and stops with it, even if this process is
   * SIGKILLed. true: it outlives this process (`reachgraph db start`) and server.json records it.
   */
  detached?: boolean;
  /** Default DEFAULT_READY_TIMEOUT_MS. */
  readyTimeoutMs?: number;
  onProgress?: (message: string) => void;
  /** Environment used to find Java and Maven and to run them. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface LocalNeo4jHandle {
  uri: string;
  port: number;
  pid: number;
  dataDir: string;
  logFile: string;
  version: string;
  /** SIGTERM, wait for a clean exit, SIGKILL after a timeout. Safe to call more than once. */
  stop(): Promise<void>;
}

// From Neo4j 5's own neo4j.conf: without them debug.log warns and the page cache falls back to slower paths.
const JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dfile.encoding=UTF-8',
];
/**
 * For a server started for one command that loads and stops (`sync`, `load`): the parallel
 * (throughput) collector. G1's concurrent work and write barriers cost a bulk load 13-18 % of the
 * JVM's CPU against it, and a load does not notice its longer pauses (docs/performance.md, "Where the
 * load's JVM CPU goes"). The client compiler alone (`-XX:TieredStopAtLevel=1`) halves the JVM's CPU
 * too, but its slower code costs wall time on a large load when a core is free for C2: 25,000 pods
 * synced in 64-68 s with it, 57.5 s without (docs/performance.md, "The whole syncs on the quiet
 * machine"). Same answers: only how the JVM collects changes.
 */
export const SHORT_RUN_JVM_FLAGS: readonly string[] = ['-XX:+UseParallelGC'];
const STOP_TIMEOUT_MS = 20_000;
// neo4j.auth.none() exists at run time but neo4j-driver 6.3's index.d.ts leaves it out of `auth`.
const NO_AUTH = (neo4j.auth as typeof neo4j.auth & { none: () => AuthToken }).none();
const LOG_TAIL_LINES = 20;

export function launcherLogPath(dataDir: string): string {
  return join(dataDir, 'logs', 'launcher.log');
}

/** Starts Neo4j Community in a JVM on 127.0.0.1 and resolves once a driver can connect to it. */
export async function startLocalNeo4j(input: StartLocalNeo4jOptions): Promise<LocalNeo4jHandle> {
  // Absolute paths: the JVM runs with the data directory as its working directory.
  const options = { ...input, dataDir: resolve(input.dataDir), cacheDir: resolve(input.cacheDir) };
  const env = options.env ?? process.env;
  const heapMb = options.heapMb ?? 1024;
  const pageCacheMb = options.pageCacheMb ?? 512;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const detached = options.detached ?? false;

  // Java first: without it the ~120 MB download would be wasted.
  const java = await findJava(env);

  const running = await readServerState(options.dataDir);
  if (running) {
    throw new Error(
      `A reachgraph Neo4j server is already running on ${options.dataDir} (pid ${running.pid}, ${running.uri}). ` +
        `Stop it with \`reachgraph db stop\`, or use it with NEO4J_URI=${running.uri}.`,
    );
  }

  const libDir = await ensureNeo4jJars({ cacheDir: options.cacheDir, onProgress: options.onProgress, env });

  const logFile = launcherLogPath(options.dataDir);
  const readyFile = join(options.dataDir, 'ready.json');
  await mkdir(join(options.dataDir, 'logs'), { recursive: true });

  const first = await launchPlan({ java, libDir, env, onProgress: options.onProgress });
  let plan = first;
  options.onProgress?.(`Starting local Neo4j ${NEO4J_VERSION} (data in ${options.dataDir})…`);
  // Append, and remember where this run starts, so a failure quotes this run's lines only.
  const logStart = existsSync(logFile) ? (await stat(logFile)).size : 0;
  const serverArgs = [
    `--data-dir=${options.dataDir}`,
    `--port=${options.port ?? 0}`,
    `--page-cache=${pageCacheMb}m`,
    `--ready-file=${readyFile}`,
    // The launcher polls this pid and shuts down when it is gone: covers SIGKILL of this process,
    // which no 'exit' handler here can.
    ...(detached ? [] : [`--parent-pid=${process.pid}`]),
  ];
  const launch = (plan: LaunchPlan) =>
    launchJvm(
      java.javaPath,
      [
        ...JVM_FLAGS,
        `-Xms${heapMb}m`,
        `-Xmx${heapMb}m`,
        ...(options.jvmFlags ?? []),
        ...plan.jvmFlags,
        ...plan.main,
        ...serverArgs,
      ],
      {
        cwd: options.dataDir,
        env,
        detached,
        logFile,
        readyFile,
        readyTimeoutMs,
      },
    );

  let started = await launch(plan);
  // A JVM that cannot start with a class-data archive option starts without it (launcher.ts).
  const retry = 'failure' in started && started.duringStartup ? plan.withoutArchive : undefined;
  if (retry) {
    plan = retry.plan;
    started = await launch(plan);
    if (!('failure' in started)) await retry.forget();
  }
  if ('failure' in started) {
    // A JVM that exits writes its archive even when it failed to start: not one to keep.
    if (first.writesArchive) await rm(first.writesArchive.written, { force: true });
    const tail = lastLines((await readFile(logFile, 'utf8').catch(() => '')).slice(logStart), LOG_TAIL_LINES);
    throw new Error(
      `Local Neo4j did not start: ${started.failure}. Log: ${logFile}\n${tail || '(log is empty)'}`,
    );
  }
  const { child, exited, pid, outcome } = started;
  const { uri, port, version } = outcome;
  let stopping: Promise<void> | undefined;

  if (detached) {
    const state = {
      pid,
      uri,
      port,
      dataDir: options.dataDir,
      logFile,
      version,
      startedAt: new Date().toISOString(),
      ...(plan.writesArchive ? { writesArchive: plan.writesArchive } : {}),
    };
    await writeServerState(state);
    return {
      ...state,
      stop: () => {
        stopping ??= stopServer(state, STOP_TIMEOUT_MS); // also removes server.json
        return stopping;
      },
    };
  }

  // Faster than the launcher's parent polling when this process exits normally.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  exited.then(() => process.removeListener('exit', killOnExit));

  return {
    uri,
    port,
    pid,
    dataDir: options.dataDir,
    logFile,
    version,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        // An unref'd timer: a pending timeout must not keep this process alive after the JVM is gone.
        const timeout = sleep(STOP_TIMEOUT_MS, false, { ref: false });
        const clean = await Promise.race([exited.then(() => true), timeout]);
        if (!clean) {
          child.kill('SIGKILL');
          await exited;
        } else if (plan.writesArchive) await keepArchive(plan.writesArchive);
      })();
      return stopping;
    },
  };
}

type ReadyOutcome = { uri: string; port: number; version: string } | { timedOut: string };

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Spawns the JVM with its output appended to the launcher's log, and waits until it is ready, has
 * exited, or the time is up; a JVM not ready in time is killed. `duringStartup`: it ended by itself
 * before it was ready.
 */
async function launchJvm(
  javaPath: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    detached: boolean;
    logFile: string;
    readyFile: string;
    readyTimeoutMs: number;
  },
): Promise<
  | {
      child: ChildProcess;
      exited: Promise<Exit>;
      pid: number;
      outcome: { uri: string; port: number; version: string };
    }
  | { failure: string; duringStartup?: true }
> {
  const logFd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    writeSync(logFd, `--- ${new Date().toISOString()} starting Neo4j (launcher pid ${process.pid}) ---\n`);
    child = spawn(javaPath, args, {
      cwd: options.cwd,
      env: options.env,
      detached: options.detached,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd); // the child has its own copy
  }
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  if (pid === undefined) return { failure: `could not run ${javaPath}: ${(await spawnError).message}` };
  if (options.detached) child.unref();

  // Whichever comes first; the abort then ends the ready-file polling so that it cannot keep this
  // process alive (its timers are ref'd) after a failed start.
  const polling = new AbortController();
  const outcome = await Promise.race([
    waitUntilReady(options.readyFile, pid, options.readyTimeoutMs, polling.signal),
    exited.then(({ code, signal }) => ({ exited: signal ? `signal ${signal}` : `code ${code}` })),
  ]);
  polling.abort();
  if ('exited' in outcome)
    return { failure: `the JVM exited with ${outcome.exited} during startup`, duringStartup: true };
  if ('timedOut' in outcome) {
    if (isProcessAlive(pid)) {
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
    }
    return { failure: `not ready within ${options.readyTimeoutMs / 1000} s (${outcome.timedOut})` };
  }
  return { child, exited, pid, outcome };
}

/**
 * Waits for the launcher's ready file (written only after Bolt is bound), then for a driver to
 * connect: the file alone proves the port, the driver proves the server answers.
 */
async function waitUntilReady(
  readyFile: string,
  pid: number,
  timeoutMs: number,
  abort: AbortSignal,
): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  let ready: { uri: string; port: number; version: string; pid: number } | undefined;
  while (!ready) {
    if (abort.aborted) return { timedOut: 'aborted' };
    if (Date.now() >= deadline) return { timedOut: 'no ready file' };
    try {
      const parsed = JSON.parse(await readFile(readyFile, 'utf8'));
      // A file left by an earlier, killed run names another pid: keep waiting for ours.
      if (parsed.pid === pid) ready = parsed;
    } catch {
      // not written yet
    }
    if (!ready) await sleep(100);
  }

  let lastError = 'never tried';
  while (Date.now() < deadline && !abort.aborted) {
    const driver = neo4j.driver(ready.uri, NO_AUTH, { connectionTimeout: 5_000 });
    try {
      await driver.verifyConnectivity();
      return { uri: ready.uri, port: ready.port, version: ready.version };
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await driver.close();
    }
    await sleep(200);
  }
  return { timedOut: `Bolt on ${ready.uri} did not answer: ${lastError}` };
}
