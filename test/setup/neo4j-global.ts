import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureNeo4jJars, localPaths, startLocalNeo4j } from '../../src/local-neo4j/index.js';

type Neo4jTarget = { uri: string; user: string; password: string; database: string };

/**
 * Nothing measured yet to scale a bound by (the starts below are what tests scale theirs by), and
 * starts side by side on a loaded 2-core machine can take minutes: wait long rather than fail the run.
 */
const READY_TIMEOUT_MS = 600_000;

/**
 * The Neo4j servers of the integration and e2e tests, one per test worker: Neo4j Community has a
 * single user database, so two files running at once need two servers. When NEO4J_URI names a server
 * (Docker, Aura, a cluster) that one is used alone and vitest.config.ts runs the files one at a time.
 * Otherwise each worker gets a local Neo4j Community JVM on a throwaway store, stopped afterwards.
 * Tests reach their worker's server through `testNeo4j()` (test/helpers/graph.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const uri = process.env.NEO4J_URI;
  if (uri) {
    project.provide('neo4jServers', [
      {
        uri,
        user: process.env.NEO4J_USER ?? 'neo4j',
        password: process.env.NEO4J_PASSWORD ?? '',
        database: process.env.NEO4J_DATABASE ?? 'neo4j',
      },
    ]);
    project.provide('neo4jStartMs', 0);
    return async () => {};
  }

  const count = Math.max(1, project.config.maxWorkers);
  // The jars are shared by every checkout on the machine unless REACHGRAPH_CACHE_DIR says otherwise.
  // Fetched once before the servers start side by side.
  const cacheDir = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
  const log = (message: string) => console.log(`[neo4j] ${message}`);
  await ensureNeo4jJars({ cacheDir, onProgress: log });

  const started = Date.now();
  const dataDirs: string[] = [];
  const starts = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'reachgraph-test-neo4j-'));
      dataDirs.push(dataDir);
      return await startLocalNeo4j({
        dataDir,
        cacheDir,
        heapMb: 1024,
        pageCacheMb: 256,
        readyTimeoutMs: READY_TIMEOUT_MS,
        onProgress: log,
      });
    }),
  );
  const servers = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }

  const startMs = Date.now() - started;
  log(`${servers.length} ready (${servers.map((s) => s.uri).join(', ')}) in ${startMs} ms`);
  // Tests that start servers of their own give each start time in proportion (see neo4j-start.ts).
  project.provide('neo4jStartMs', startMs);
  // Auth is off on the local servers: any credentials are accepted.
  project.provide(
    'neo4jServers',
    servers.map(
      (server): Neo4jTarget => ({ uri: server.uri, user: 'neo4j', password: '', database: 'neo4j' }),
    ),
  );
  return stopAll;
}
