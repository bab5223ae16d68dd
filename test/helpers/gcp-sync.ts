import { expect } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { providerJobs, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { GCP_FIXTURE_AS_OF } from '../unit/gcp/expected.js';
import { wipe } from './graph.js';

/**
 * `reachgraph sync gcp --snapshot ROOT` into a wiped graph, analysed at the GCP fixture's time (the
 * registry's jobs for the provider, then the pipeline); returns the derived edges as
 * `TYPE from -> to (technique)` with their evidence.
 */
export async function syncGcpSnapshot(
  executor: GraphExecutor,
  root: string,
): Promise<{ key: string; evidence: string | null }[]> {
  await wipe(executor);
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    ['gcp'],
    { snapshotRoot: root, options: {} },
    ConfigSchema.parse({}),
  );
  const result = await syncProviders(executor, jobs, { summary: false, asOf: GCP_FIXTURE_AS_OF });
  expect(result.load.status).toBe('succeeded');
  return executor.read(
    `MATCH (a:Entity)-[r:CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE|FEDERATES_TO]->(b:Entity)
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + r.technique + ')', '') AS key, r.evidence AS evidence`,
  );
}
