import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findJava,
  isProcessAlive,
  type LocalNeo4jHandle,
  localPaths,
  NEO4J_VERSION,
  parseJavaVersion,
  readServerState,
  serverStatePath,
  startLocalNeo4j,
  stopServer,
  waitForExit,
} from '../../src/local-neo4j/index.js';
import { testNeo4j } from '../helpers/graph.js';

// These start extra JVMs beside the one from the global setup, so keep them small.
const cacheDir = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
const small = { cacheDir, heapMb: 512, pageCacheMb: 64 };

const tempDirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-local-neo4j-'));
  tempDirs.push(dir);
  return dir;
}
const handles: LocalNeo4jHandle[] = [];

afterAll(async () => {
  await Promise.all(handles.map((h) => h.stop()));
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function withDriver<T>(uri: string, work: (driver: Driver) => Promise<T>): Promise<T> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', ''));
  try {
    return await work(driver);
  } finally {
    await driver.close();
  }
}

// With NEO4J_URI set (Docker, Aura) a machine may have no Java; only then are the local-server tests skipped.
const noLocalServer =
  Boolean(process.env.NEO4J_URI) &&
  (await findJava().then(
    () => false,
    () => true,
  ));

it('the global setup provides a server that accepts the provided credentials', async () => {
  const { uri, user, password, database } = testNeo4j();
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
  try {
    const { records } = await driver.executeQuery('RETURN 1 AS one', {}, { database });
    expect(records[0]?.get('one').toNumber()).toBe(1);
  } finally {
    await driver.close();
  }
});

describe.skipIf(noLocalServer)('local Neo4j', () => {
  it('starts, answers Cypher, and keeps data across a restart on the same store', async () => {
    const dataDir = await freshDir();
    const first = await startLocalNeo4j({ dataDir, ...small });
    handles.push(first);
    expect(first.uri).toBe(`bolt://127.0.0.1:${first.port}`);
    expect(first.version).toBe(NEO4J_VERSION);
    expect(isProcessAlive(first.pid)).toBe(true);

    await withDriver(first.uri, async (driver) => {
      const one = await driver.executeQuery('RETURN 1 AS one');
      expect(one.records[0]?.get('one').toNumber()).toBe(1);
      const components = await driver.executeQuery('CALL dbms.components() YIELD name, versions, edition');
      const kernel = components.records.find((r) => r.get('name') === 'Neo4j Kernel');
      expect(kernel?.get('versions')).toContain(NEO4J_VERSION);
      expect(kernel?.get('edition')).toBe('community');
      await driver.executeQuery("CREATE (:Probe {name: 'persisted'})");
    });

    // A second server on a store that is in use fails clearly instead of corrupting it.
    await expect(startLocalNeo4j({ dataDir, ...small })).rejects.toThrow(/locked by another/);

    await first.stop();
    expect(isProcessAlive(first.pid)).toBe(false);

    const second = await startLocalNeo4j({ dataDir, ...small });
    handles.push(second);
    await withDriver(second.uri, async (driver) => {
      const { records } = await driver.executeQuery(
        "MATCH (p:Probe {name: 'persisted'}) RETURN count(p) AS n",
      );
      expect(records[0]?.get('n').toNumber()).toBe(1);
    });
    await second.stop();
    expect(isProcessAlive(second.pid)).toBe(false);
  });

  it('stops the JVM when the process that started it is SIGKILLed', async () => {
    const dataDir = await freshDir();
    const helper = fileURLToPath(new URL('./helpers/start-local-neo4j-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', helper, dataDir, cacheDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const newline = buffered.indexOf('\n');
        if (newline >= 0) resolve(buffered.slice(0, newline));
      });
      child.once('exit', (code) => reject(new Error(`helper exited with ${code} before printing the pid`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    expect(isProcessAlive(pid)).toBe(true);

    child.kill('SIGKILL');
    const started = Date.now();
    expect(await waitForExit(pid, 15_000)).toBe(true);
    console.log(`JVM exited ${Date.now() - started} ms after its parent was SIGKILLed`);
    const log = await readFile(join(dataDir, 'logs', 'launcher.log'), 'utf8');
    expect(log).toContain('is gone; shutting down');
  });

  it('runs detached with a state file, and stopServer stops it', async () => {
    const dataDir = await freshDir();
    const server = await startLocalNeo4j({ dataDir, ...small, detached: true });
    handles.push(server);

    const state = await readServerState(dataDir);
    expect(state).toMatchObject({ pid: server.pid, uri: server.uri, port: server.port, dataDir });
    expect(state?.version).toBe(NEO4J_VERSION);
    await withDriver(server.uri, async (driver) => {
      const { records } = await driver.executeQuery('RETURN 2 AS two');
      expect(records[0]?.get('two').toNumber()).toBe(2);
    });

    // While it runs, a second start on the same store is refused up front.
    await expect(startLocalNeo4j({ dataDir, ...small, detached: true })).rejects.toThrow(/already running/);

    if (!state) throw new Error('no state');
    const started = Date.now();
    await stopServer(state, 15_000);
    console.log(`detached server stopped in ${Date.now() - started} ms`);
    expect(isProcessAlive(server.pid)).toBe(false);
    expect(await readServerState(dataDir)).toBeUndefined();
    await expect(readFile(serverStatePath(dataDir))).rejects.toThrow();
  });

  it('reads both Java version schemes', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15')).toEqual({
      version: '17.0.15',
      major: 17,
    });
    expect(parseJavaVersion('openjdk version "21" 2023-09-19')).toEqual({ version: '21', major: 21 });
    expect(parseJavaVersion('java version "1.8.0_392"')).toEqual({ version: '1.8.0_392', major: 8 });
    expect(parseJavaVersion('no version here')).toBeUndefined();
  });

  it('names what is missing when there is no Java', async () => {
    const dataDir = await freshDir();
    const noJava = { PATH: '/nonexistent/bin', JAVA_HOME: '/nonexistent/jdk' };
    await expect(startLocalNeo4j({ dataDir, ...small, env: noJava })).rejects.toThrow(
      /Java 17 or newer is needed to run the local Neo4j; found none on PATH and JAVA_HOME \(\/nonexistent\/jdk\) has no bin\/java — install OpenJDK 17 or newer, or set NEO4J_URI/,
    );
    await expect(startLocalNeo4j({ dataDir, ...small, env: { PATH: '' } })).rejects.toThrow(
      /found none on PATH and JAVA_HOME is unset/,
    );
  });
});
