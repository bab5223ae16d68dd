import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { type ProviderJob, providerJob, syncProviders } from '../../src/pipeline/sync.js';
import { snapshot, testExecutor, wipe } from '../helpers/graph.js';
import { identityId, ledgerProvider, resourceId } from '../helpers/test-provider.js';

// `sync` starts a local server for itself beside the collection and the analysis
// (src/graph/connection.ts beginOpenGraph): syncProviders takes the graph while it is still
// opening and awaits it only once the run is analyzed and valid.

const executor = testExecutor();
const ledger = ledgerProvider();
const ENV = {
  system: 'ledger',
  identities: ['ci'],
  resources: ['db'],
  grants: [['ci', 'db']] as [string, string][],
};

/** The ledger job, telling `onCollected` when its collection and analysis are done. */
function observedJob(onCollected: () => void, delayMs = 0): ProviderJob {
  const job = providerJob(ledger, ENV);
  return {
    ...job,
    async run(options) {
      await sleep(delayMs);
      const collected = await job.run(options);
      onCollected();
      return collected;
    },
  };
}

afterAll(() => executor.close());

describe('syncProviders with a graph still opening', () => {
  it('collects and analyzes first, then loads once the graph is ready, and says how long it waited', async () => {
    await wipe(executor);
    let ready: (executor: GraphExecutor) => void = () => {};
    const opening = new Promise<GraphExecutor>((resolve) => {
      ready = resolve;
    });
    let collectedBeforeReady = false;
    let graphReady = false;
    const job = observedJob(() => {
      collectedBeforeReady = !graphReady;
      // The server is up 300 ms after the analysis: the run waits that long, then loads.
      setTimeout(() => {
        graphReady = true;
        ready(executor);
      }, 300);
    });

    const result = await syncProviders(opening, [job], { summary: false });

    expect(collectedBeforeReady).toBe(true);
    expect(result.load.status).toBe('succeeded');
    expect(result.timings.graphWaitMs).toBeGreaterThanOrEqual(250);
    // Every phase of the run is timed, the inventory's building and validation too.
    expect(Object.keys(result.timings).sort()).toEqual([
      'analyzeMs',
      'collectMs',
      'graphWaitMs',
      'inventoryMs',
      'loadMs',
    ]);
    expect(result.timings.inventoryMs).toBeGreaterThan(0);
    expect((await snapshot(executor)).relationships).toContain(
      `${identityId('ledger', 'ci')} -CAN_ACCESS-> ${resourceId('ledger', 'db')}`,
    );
  });

  it('does not wait for a graph that is already open', async () => {
    const result = await syncProviders(executor, [observedJob(() => {})], { summary: false });
    expect(result.load.status).toBe('succeeded');
    expect(result.timings.graphWaitMs).toBeLessThan(50);
  });

  it('reports a graph that failed to open during the collection once the run is analyzed, and writes nothing', async () => {
    const before = await snapshot(executor);
    let collected = false;
    // Rejected while the job is still collecting (its 100 ms): no unhandled rejection may escape.
    const failing = sleep(10).then((): GraphExecutor => {
      throw new Error('Local Neo4j did not start: port in use');
    });
    await expect(
      syncProviders(
        failing,
        [
          observedJob(() => {
            collected = true;
          }, 100),
        ],
        { summary: false },
      ),
    ).rejects.toThrow('Local Neo4j did not start: port in use');
    expect(collected).toBe(true);
    expect(await snapshot(executor)).toEqual(before);
  });

  it('fails with the collection’s own error when the collection fails, whatever the graph', async () => {
    const failingJob: ProviderJob = {
      ...providerJob(ledger, ENV),
      run: async () => {
        throw new Error('ledger: snapshot unreadable');
      },
    };
    const failingGraph = Promise.reject(new Error('Local Neo4j did not start'));
    await expect(syncProviders(failingGraph, [failingJob], { summary: false })).rejects.toThrow(
      'ledger: snapshot unreadable',
    );
  });
});
