import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { localPaths, readServerState, SHORT_RUN_JVM_FLAGS, startLocalNeo4j } from '../local-neo4j/index.js';
import { GraphExecutor, type Neo4jTarget, type ServerInfo } from './executor.js';

/** How a command reached its graph. */
export type GraphOrigin =
  | 'configured' // NEO4J_URI (Docker, Aura, a cluster): nothing started, nothing stopped
  | 'local-running' // the user's local server, started earlier by `reachgraph db start`
  | 'local-started'; // a local server started for this command only, stopped by close()

export interface GraphConnection {
  executor: GraphExecutor;
  origin: GraphOrigin;
  server: ServerInfo;
  /** The local data directory, when the server is the local one. */
  dataDir?: string;
  close(): Promise<void>;
}

/** The local server's data directory: configured, else under the user's data directory. */
export function localDataDir(config: Config): string {
  return config.local.dataDir ?? join(localPaths().dataDir, 'neo4j');
}

export function localCacheDir(config: Config): string {
  return config.local.cacheDir ?? localPaths().cacheDir;
}

export interface OpenGraphOptions {
  onProgress?: (message: string) => void;
  dataDir?: string;
  /** Retry transient errors for at most this long (default load.maxRetryTimeMs). */
  maxRetryTimeMs?: number;
  /** A local server started here serves one short command (a load): SHORT_RUN_JVM_FLAGS. */
  shortRun?: boolean;
}

/**
 * Open the graph a command works on: the configured server if NEO4J_URI is set; else the running
 * local server found through its state file; else a local server on the user's data directory,
 * started for this command and stopped by close().
 */
export async function openGraph(config: Config, options: OpenGraphOptions = {}): Promise<GraphConnection> {
  return (await opening(config, options)).connection;
}

/**
 * Begin opening the graph as `openGraph` does, for a command with work to do before it needs the
 * graph (`sync`: collection and analysis). A configured server (NEO4J_URI) or a running local one
 * is connected and verified before this returns, so a wrong address or password fails the command
 * at once; a local server started for the command (seconds for its JVM to be ready) is only begun:
 * `connection` resolves when it is ready, and the work runs meanwhile. `connection` is already
 * handled: its failure reaches whoever awaits it, and never ends the process as an unhandled
 * rejection.
 */
export async function beginOpenGraph(
  config: Config,
  options: OpenGraphOptions = {},
): Promise<{ connection: Promise<GraphConnection> }> {
  const { connection, starting } = await opening(config, options);
  if (!starting) await connection;
  connection.catch(() => {});
  return { connection };
}

/** Which server, decided once; `starting` when a local one is being started for the command. */
async function opening(
  config: Config,
  options: OpenGraphOptions,
): Promise<{ connection: Promise<GraphConnection>; starting: boolean }> {
  const maxRetryTimeMs = Math.min(
    options.maxRetryTimeMs ?? Number.POSITIVE_INFINITY,
    config.load.maxRetryTimeMs,
  );
  if (config.neo4j.uri) {
    const executor = GraphExecutor.connect(targetOf(config, config.neo4j.uri), { maxRetryTimeMs });
    const connection = connected(executor, 'configured', config.neo4j.connectTimeoutMs, undefined, () =>
      executor.close(),
    );
    return { connection, starting: false };
  }
  const dataDir = options.dataDir ?? localDataDir(config);
  const running = await readServerState(dataDir);
  if (running) {
    const executor = GraphExecutor.connect(targetOf(config, running.uri), { maxRetryTimeMs });
    const connection = connected(executor, 'local-running', config.neo4j.connectTimeoutMs, dataDir, () =>
      executor.close(),
    );
    return { connection, starting: false };
  }
  options.onProgress?.(`Starting a local Neo4j on ${dataDir} for this command…`);
  const connection = startLocalNeo4j({
    dataDir,
    cacheDir: localCacheDir(config),
    heapMb: config.local.heapMb,
    pageCacheMb: config.local.pageCacheMb,
    readyTimeoutMs: config.local.readyTimeoutMs,
    onProgress: options.onProgress,
    ...(options.shortRun ? { jvmFlags: SHORT_RUN_JVM_FLAGS } : {}),
  }).then((server) => {
    const executor = GraphExecutor.connect(targetOf(config, server.uri), { maxRetryTimeMs });
    return connected(executor, 'local-started', config.neo4j.connectTimeoutMs, dataDir, async () => {
      await executor.close();
      await server.stop();
    });
  });
  return { connection, starting: true };
}

async function connected(
  executor: GraphExecutor,
  origin: GraphOrigin,
  timeoutMs: number,
  dataDir: string | undefined,
  close: () => Promise<void>,
): Promise<GraphConnection> {
  try {
    const server = await executor.verify(timeoutMs);
    return { executor, origin, server, dataDir, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

function targetOf(config: Config, uri: string): Neo4jTarget {
  const local = !config.neo4j.uri;
  return {
    uri,
    // The local server runs without authentication.
    user: local ? 'neo4j' : config.neo4j.user,
    password: local ? '' : config.neo4j.password,
    database: local ? 'neo4j' : config.neo4j.database,
  };
}
