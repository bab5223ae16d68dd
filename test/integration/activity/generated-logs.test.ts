import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnomalyGraph } from '../../../src/activity/anomalies/graph-context.js';
import { detectAnomalies } from '../../../src/activity/anomalies/index.js';
import { generateActivity, type Manifest } from '../../../src/activity/generate/index.js';
import { grantedVsUsed } from '../../../src/activity/granted-vs-used.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { ingestCommands } from '../../../src/cli/activity-generate.js';
import { SAMPLE_ENV } from '../../../src/cli/demo.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { GraphExecutor } from '../../../src/graph/executor.js';
import { main } from '../../../src/main.js';
import { packageRoot } from '../../../src/package-root.js';
import { providerJobs, syncProviders } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { testExecutor, testNeo4j, wipe } from '../../helpers/graph.js';

// A generated set of the sample estate ingested through the three ingest commands the generator
// prints, into a real DuckDB file, with the summary written onto the sample estate synced into a
// real Neo4j: the identities the logs name are the graph's nodes, and the leaked CI key is an anomaly.

const executor: GraphExecutor = testExecutor();
const snapshot = join(packageRoot(), SAMPLE_ENV);
let dir: string;
let database: string;
let manifest: Manifest;

async function cli(command: string): Promise<{ code: number; result: Record<string, unknown> }> {
  const out: string[] = [];
  const output = { out: (t: string) => out.push(t), err: () => {}, interactive: false };
  const env = { ...process.env };
  const target = testNeo4j();
  Object.assign(process.env, {
    NEO4J_URI: target.uri,
    NEO4J_USER: target.user,
    NEO4J_PASSWORD: target.password,
    NEO4J_DATABASE: target.database,
    REACHGRAPH_ACTIVITY_DATABASE: database,
  });
  try {
    const args = command.split(' ').slice(1);
    const code = await main(['node', 'reachgraph', ...args, '--json'], output);
    return { code, result: JSON.parse(out.join('\n')) };
  } finally {
    process.env = env;
  }
}

const activityOf = (id: string) =>
  executor.read<{ events: number | null }>('MATCH (n {id: $id}) RETURN n.activityEvents AS events', { id });

beforeAll(async () => {
  await wipe(executor);
  dir = mkdtempSync(join(tmpdir(), 'activity-generated-'));
  database = join(dir, 'activity.duckdb');
  // Ending today, so the logs are inside the store's retention window.
  manifest = await generateActivity({ out: join(dir, 'logs'), snapshot, days: 12, seed: 3 });
  const jobs = providerJobs(
    PROVIDER_REGISTRY,
    [],
    { snapshotRoot: snapshot, options: {} },
    ConfigSchema.parse({}),
  );
  expect((await syncProviders(executor, jobs, { summary: false })).load.status).toBe('succeeded');
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a generated set of the sample estate', () => {
  it('is ingested by the commands the generator prints, onto the graph’s own nodes', async () => {
    for (const command of ingestCommands(join(dir, 'logs'), manifest)) {
      const { code, result } = await cli(command);
      expect(code, command).toBe(0);
      expect(result).toMatchObject({ filesFailed: [], malformed: [], unresolved: 0 });
    }
    for (const id of [
      'arn:aws:iam::222222222222:user/ci/iam-helper',
      'arn:aws:iam::222222222222:role/payments-irsa',
      'arn:aws:iam::111111111111:role/ci/gha-infra',
      'gcp:sa:legacy-etl@acme-prod-data.iam.gserviceaccount.com',
      'gcp:sa:data-exporter@acme-prod-data.iam.gserviceaccount.com',
      'k8s:prod-payments:payments:sa:api',
      'k8s:prod-payments:node:ip-10-20-1-15.eu-west-1.compute.internal',
    ]) {
      const [row] = await activityOf(id);
      expect(row?.events ?? 0, id).toBeGreaterThan(0);
    }
    // Never used: the legacy builds role.
    expect(await activityOf('arn:aws:iam::111111111111:role/ci/gha-legacy-builds')).toEqual([
      { events: null },
    ]);

    const store = await ActivityStore.open(database);
    try {
      const infra = await grantedVsUsed(executor, store, 'arn:aws:iam::111111111111:role/ci/gha-infra');
      const used = Object.fromEntries(infra.granted.map((g) => [g.target, g.used]));
      expect(used).toEqual({
        'arn:aws:s3:::acme-prod-customer-data': false,
        'arn:aws:s3:::acme-tf-state': true,
        'arn:aws:iam::222222222222:role/prod-readonly': true,
      });
      const last = new Date(Date.parse(manifest.end) - 86_400_000).toISOString().slice(0, 10);
      const leak = manifest.incidents.find((i) => i.id === 'leaked-ci-key');
      const run = await detectAnomalies(store, {
        day: leak?.start.slice(0, 10) ?? last,
        graph: await readAnomalyGraph(executor, store, manifest.start.slice(0, 10), last),
      });
      const rules = new Set(run.findings.filter((f) => f.subject.id === leak?.identity).map((f) => f.ruleId));
      // Over 12 days the weekly iam-helper has too few active days for the novelty rules; the
      // refusals and the first trust-policy change stand out anyway.
      expect([...rules]).toEqual(
        expect.arrayContaining(['anomaly-access-denied-burst', 'anomaly-first-sensitive-action']),
      );
    } finally {
      store.close();
    }
  });
});
