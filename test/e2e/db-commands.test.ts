import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { estate } from '../fixtures/inventories.js';
import { runCli } from '../helpers/cli.js';
import { neo4jStartBudgetMs, neo4jStartMs } from '../helpers/neo4j-start.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';

const work = mkdtempSync(join(tmpdir(), 'reachgraph-db-'));
// No NEO4J_URI: the commands manage their own local server on this data directory.
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  REACHGRAPH_DATA_DIR: join(work, 'neo4j'),
  ...(process.env.REACHGRAPH_CACHE_DIR ? { REACHGRAPH_CACHE_DIR: process.env.REACHGRAPH_CACHE_DIR } : {}),
  REACHGRAPH_NEO4J_HEAP_MB: '512',
  REACHGRAPH_NEO4J_PAGECACHE_MB: '128',
  REACHGRAPH_NEO4J_READY_TIMEOUT_MS: String(neo4jStartMs()),
};

// Two commands start a server; each may take as long as the readiness bound allows.
const cli = (...args: string[]) => runCli(args, env, work, neo4jStartBudgetMs(1, 60_000));

afterAll(async () => {
  await cli('db', 'stop');
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph db start | status | stop (local server)', () => {
  it(
    'starts a server any Bolt client can use, keeps data between commands, and stops it',
    async () => {
      const stopped = await cli('db', 'status');
      expect(stopped.code).toBe(3);
      expect(stopped.stdout).toMatch(/Local Neo4j is not running/);

      const start = await cli('db', 'start');
      expect(start.code).toBe(0);
      const uri = start.stdout.match(/running at (bolt:\/\/127\.0\.0\.1:\d+)/)?.[1];
      expect(uri).toBeDefined();

      // A plain Bolt client, no credentials.
      const driver = neo4j.driver(uri as string);
      try {
        const result = await driver.executeQuery('RETURN 1 AS one');
        expect(result.records[0]?.get('one').toNumber()).toBe(1);
      } finally {
        await driver.close();
      }

      const inventory = join(work, 'estate.json');
      writeFileSync(inventory, JSON.stringify(estate(1)));
      expect((await cli('load', inventory)).code).toBe(0);

      const status = await cli('db', 'status', '--json');
      expect(status.code).toBe(0);
      // 7 inventory nodes, the run, its 2 scopes and the access edge's action list (ActionSet).
      expect(JSON.parse(status.stdout)).toMatchObject({
        running: true,
        origin: 'local-running',
        uri,
        nodes: 11,
      });

      const again = await cli('db', 'start');
      expect(again.stdout).toMatch(/already running/);

      const stop = await cli('db', 'stop');
      expect(stop.code).toBe(0);
      expect(stop.stdout).toMatch(/Stopped Neo4j/);
      expect((await cli('db', 'status')).code).toBe(3);

      // Without a running server, a command starts one for its own duration on the same data.
      const runs = await cli('runs', '--json');
      expect(runs.code).toBe(0);
      expect(JSON.parse(runs.stdout)).toHaveLength(1);
      expect(runs.stderr).toMatch(/Starting a local Neo4j/);
      expect((await cli('db', 'status')).code).toBe(3);

      // `sync` starts its server beside the collection and the analysis, waits for it, loads, and
      // stops it (src/graph/connection.ts beginOpenGraph).
      const sync = await cli('sync', 'aws', '--snapshot', MULTI_ACCOUNT, '--json', '--no-summary');
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stderr).toMatch(/Starting a local Neo4j/);
      const synced = JSON.parse(sync.stdout) as { status: string; timings: Record<string, number> };
      expect(synced.status).toBe('succeeded');
      // The fixture is analyzed in well under the JVM's start: the run waited for the server.
      expect(synced.timings.graphWaitMs).toBeGreaterThan(0);
      expect(synced.timings.inventoryMs).toBeGreaterThan(0);
      expect(synced.timings.loadMs).toBeGreaterThan(0);
      expect(JSON.parse((await cli('runs', '--json')).stdout)).toHaveLength(2);
      expect((await cli('db', 'status')).code).toBe(3);
    },
    neo4jStartBudgetMs(4),
  );
});
