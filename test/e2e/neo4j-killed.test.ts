import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_MAX_RETRY_TIME_MS } from '../../src/cli/serve.js';
import { DEFAULT_MAX_RETRY_TIME_MS } from '../../src/config/schema.js';
import { type LocalNeo4jHandle, localPaths, startLocalNeo4j } from '../../src/local-neo4j/index.js';
import { bigEstate } from '../fixtures/inventories.js';
import { BIN, neo4jEnv, startServe } from '../helpers/cli.js';
import { machineSlowness, neo4jStartBudgetMs, neo4jStartMs } from '../helpers/neo4j-start.js';

// Each test kills the JVM of a Neo4j of its own (SIGKILL: no shutdown, sockets reset by the
// kernel), as a crash or the OOM killer would, and bounds how long reachgraph takes to notice.
const cacheDir = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A dedicated local Neo4j, how long it took to start, and the environment of a CLI using it. */
async function dedicatedNeo4j() {
  const work = await mkdtemp(join(tmpdir(), 'reachgraph-killed-'));
  cleanup.push(() => rm(work, { recursive: true, force: true }));
  const started = Date.now();
  const server = await startLocalNeo4j({
    dataDir: join(work, 'neo4j'),
    cacheDir,
    heapMb: 512,
    pageCacheMb: 64,
    readyTimeoutMs: neo4jStartMs(),
  });
  const startMs = Date.now() - started;
  cleanup.push(() => server.stop());
  const env = neo4jEnv({ uri: server.uri, user: 'neo4j', password: '', database: 'neo4j' });
  return { work, server, env, slowness: machineSlowness(startMs) };
}

/** SIGKILL the server's JVM and wait until it is gone. */
async function kill(server: LocalNeo4jHandle): Promise<void> {
  process.kill(server.pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(server.pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * `reachgraph serve` on a dedicated Neo4j: one read, then `breakNeo4j`, a read left waiting on the
 * broken server, SIGTERM. Resolves with serve's exit code and how long it took after the signal.
 */
async function serveThenSigterm(breakNeo4j: (server: LocalNeo4jHandle) => Promise<void>) {
  const { work, server, env, slowness } = await dedicatedNeo4j();
  const serve = await startServe(['--port', '0', '--demo'], env, work);
  cleanup.push(async () => {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
  });
  // Any read of the graph: it opens the pooled connections the broken server leaves behind.
  const read = () =>
    fetch(serve.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ identities(first: 1) { edges { cursor } } }' }),
    });
  const before = await read();
  expect(before.status).toBe(200);
  expect(await before.json()).toEqual({ data: { identities: { edges: [] } } });

  await breakNeo4j(server);
  // A request in flight when the signal comes: the driver is retrying or waiting on the server.
  const waiting = read().catch((error: Error) => error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const signalled = Date.now();
  serve.child.kill('SIGTERM');
  const code = await exited(serve.child);
  const tookMs = Date.now() - signalled;
  await waiting;
  return { code, tookMs, slowness };
}

describe('Neo4j killed under a running command', () => {
  // At most one read's retries (wall-clock time, with the driver's backoff overshooting it by up
  // to half), then a shutdown that takes longer on a loaded machine; it once took ~100 s.
  const serveBoundMs = (slowness: number) => 1.5 * API_MAX_RETRY_TIME_MS + 3_000 * slowness;

  it(
    'serve exits 0 within seconds of SIGTERM, even with a request waiting on the dead server',
    async () => {
      const { code, tookMs, slowness } = await serveThenSigterm(kill);
      console.log(`serve exited ${tookMs} ms after SIGTERM (machine slowness ${slowness.toFixed(1)})`);
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(serveBoundMs(slowness));
    },
    neo4jStartBudgetMs(1),
  );

  it(
    'serve exits 0 within seconds of SIGTERM when Neo4j hangs (SIGSTOP: connections open, no answers)',
    async () => {
      const { code, tookMs, slowness } = await serveThenSigterm(async (server) => {
        cleanup.push(async () => process.kill(server.pid, 'SIGCONT'));
        process.kill(server.pid, 'SIGSTOP');
      });
      console.log(
        `serve exited ${tookMs} ms after SIGTERM, Neo4j hung (machine slowness ${slowness.toFixed(1)})`,
      );
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(serveBoundMs(slowness));
    },
    neo4jStartBudgetMs(1),
  );

  it(
    'a running load fails within seconds, naming the server',
    async () => {
      const { work, server, env, slowness } = await dedicatedNeo4j();
      const file = join(work, 'big.json');
      await writeFile(file, JSON.stringify(bigEstate(20_000)));
      // Small batches: the load is still writing when the server dies.
      const child = spawn(process.execPath, [BIN, 'load', file, '--batch-size', '20'], { env, cwd: work });
      cleanup.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      let stderr = '';
      const loading = new Promise<void>((resolve) => {
        child.stderr?.on('data', (chunk) => {
          stderr += chunk;
          if (/loading: \d+\/\d+ rows/.test(stderr)) resolve();
        });
      });
      const code = exited(child);
      await Promise.race([loading, code]);
      expect(child.exitCode).toBeNull();

      await kill(server);
      const killed = Date.now();
      expect(await code).toBe(1);
      const tookMs = Date.now() - killed;
      console.log(
        `load failed ${tookMs} ms after Neo4j was killed (machine slowness ${slowness.toFixed(1)})`,
      );

      expect(stderr).toMatch(/Neo4j at bolt:\/\/127\.0\.0\.1:\d+ \(database "neo4j"\)/);
      expect(stderr).not.toMatch(/succeeded/);
      // The retries of one batch (wall-clock time; README: about 15 s, the driver's backoff
      // overshooting by up to half), then failing the run, slower on a loaded machine; it once
      // took 64-94 s.
      expect(tookMs).toBeLessThan(1.5 * DEFAULT_MAX_RETRY_TIME_MS + 5_000 * slowness);
    },
    neo4jStartBudgetMs(1),
  );
});
