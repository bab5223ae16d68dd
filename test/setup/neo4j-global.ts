import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { localPaths, startLocalNeo4j } from '../../src/local-neo4j/index.js';

/**
 * One Neo4j for the integration and e2e tests: the server NEO4J_URI names if it is set (Docker,
 * Aura, a cluster), otherwise a local Neo4j Community JVM on a throwaway store, stopped afterwards.
 * Tests read it with `inject('neo4j')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const uri = process.env.NEO4J_URI;
  if (uri) {
    project.provide('neo4j', {
      uri,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
    });
    project.provide('neo4jStartMs', 0);
    return async () => {};
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'reachgraph-test-neo4j-'));
  // The jars are shared by every checkout on the machine unless REACHGRAPH_CACHE_DIR says otherwise.
  const cacheDir = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
  const started = Date.now();
  let server: Awaited<ReturnType<typeof startLocalNeo4j>>;
  try {
    server = await startLocalNeo4j({
      dataDir,
      cacheDir,
      heapMb: 1024,
      pageCacheMb: 256,
      onProgress: (message) => console.log(`[neo4j] ${message}`),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const startMs = Date.now() - started;
  console.log(`[neo4j] ready at ${server.uri} in ${startMs} ms (pid ${server.pid})`);
  // Tests that start servers of their own give each start time in proportion (see neo4j-start.ts).
  project.provide('neo4jStartMs', startMs);
  // Auth is off on the local server: any credentials are accepted.
  project.provide('neo4j', { uri: server.uri, user: 'neo4j', password: '', database: 'neo4j' });

  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
