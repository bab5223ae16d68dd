import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphExecutor } from '../../src/graph/executor.js';
import { LoadError, loadInventory } from '../../src/graph/loader.js';
import { type LocalNeo4jHandle, localPaths, startLocalNeo4j } from '../../src/local-neo4j/index.js';
import { validateInventory } from '../../src/model/validate.js';
import { listRuns } from '../../src/records/collection-runs.js';
import { bigEstate, estate } from '../fixtures/inventories.js';
import { expectStillPublished, snapshot } from '../helpers/graph.js';
import { neo4jStartBudgetMs, neo4jStartMs } from '../helpers/neo4j-start.js';

// A server of its own, so it can be stopped in the middle of a load.
const cacheDir = process.env.REACHGRAPH_CACHE_DIR ?? localPaths().cacheDir;
let dataDir = '';
let server: LocalNeo4jHandle | undefined;
const start = async () => {
  server = await startLocalNeo4j({
    dataDir,
    cacheDir,
    heapMb: 512,
    pageCacheMb: 64,
    readyTimeoutMs: neo4jStartMs(),
  });
  return GraphExecutor.connect(
    { uri: server.uri, user: 'neo4j', password: '', database: 'neo4j' },
    { maxRetryTimeMs: 1_000 },
  );
};

afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a Neo4j outage in the middle of a load', () => {
  it(
    'fails with a message naming the server, keeps the published graph, and the next load recovers',
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'reachgraph-outage-'));
      let executor = await start();
      await loadInventory(executor, validateInventory(estate(1), 'v1'));
      const published = await snapshot(executor);

      const load = loadInventory(executor, validateInventory(bigEstate(200), 'big'), {
        batchSize: 20,
        beforeBatch: async ({ index }) => {
          if (index === 3) await server?.stop();
        },
      });
      await expect(load).rejects.toThrow(LoadError);
      await expect(load).rejects.toThrow(
        /failed: loading AwsRole nodes \(batch 4\): Neo4j at bolt:\/\/127\.0\.0\.1:\d+ \(database "neo4j"\)/,
      );
      await executor.close();

      executor = await start();
      try {
        await expectStillPublished(executor, published);
        const [orphaned] = await listRuns(executor, 1);
        expect(orphaned?.status).toBe('running');

        const next = await loadInventory(executor, validateInventory(estate(2), 'v2'));
        expect(next.interruptedRuns).toEqual([orphaned?.id]);
        expect((await listRuns(executor, 2))[1]?.status).toBe('interrupted');
      } finally {
        await executor.close();
      }
    },
    neo4jStartBudgetMs(2),
  );
});
