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
 * `TYPE from -> to (technique)` with their evidence, those of Grant hubs as the pairs they stand for.
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
  // Stored pair edges, and those a Grant hub stands for (model/grants.ts): both legs' evidence.
  return executor.read(
    `MATCH (a:Entity)-[r:CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE|FEDERATES_TO]->(b:Entity)
     WHERE NOT a:Grant AND NOT b:Grant
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + r.technique + ')', '') AS key, r.evidence AS evidence
     UNION ALL
     MATCH (a:Entity)-[m:CAN_ESCALATE|CAN_ACCESS|ADMINISTERS|CAN_IMPERSONATE|FEDERATES_TO]->(:Grant)-[r]->(b:Entity)
     WHERE type(r) = type(m)
     RETURN type(r) + ' ' + a.id + ' -> ' + b.id + coalesce(' (' + r.technique + ')', '') AS key,
            left(m.evidence, size(m.evidence) - 1) + ',' + substring(r.evidence, 1) AS evidence`,
  );
}
