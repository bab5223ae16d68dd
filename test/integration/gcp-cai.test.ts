import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { syncGcpSnapshot } from '../helpers/gcp-sync.js';
import { testExecutor } from '../helpers/graph.js';
import { EXPECTED_EDGES, GCP_CAI_FIXTURE_ROOT } from '../unit/gcp/expected.js';

// The GCP organization fixture as a Cloud Asset Inventory export (test/fixtures/gcp-org-cai), synced
// into a real Neo4j as `reachgraph sync gcp --snapshot test/fixtures/gcp-org-cai` does it: the graph
// holds the same edges as the gcloud form gives, every scope complete, the hierarchy from `ancestors`.

const executor: GraphExecutor = testExecutor();
let rows: { key: string; evidence: string | null }[];

beforeAll(async () => {
  rows = await syncGcpSnapshot(executor, GCP_CAI_FIXTURE_ROOT);
}, 300_000);
afterAll(() => executor.close());

describe('the GCP fixture as a Cloud Asset Inventory export, in Neo4j', () => {
  it('holds exactly the edges of the gcloud form, each with evidence', () => {
    expect(rows.map((r) => r.key).sort()).toEqual([...EXPECTED_EDGES].sort());
    for (const r of rows) expect(JSON.parse(r.evidence ?? '[]').length).toBeGreaterThan(0);
  });

  it('loads every level as a complete scope, with the hierarchy, keys and the federation route', async () => {
    const scopes = await executor.read<{ id: string; complete: boolean }>(
      `MATCH (s:Scope) WHERE s.id STARTS WITH 'gcp:'
       RETURN s.id AS id, s.lastCompleteRunId = s.lastRunId AS complete ORDER BY id`,
    );
    expect(scopes).toEqual([
      { id: 'gcp:dev-sandbox-654321', complete: true },
      { id: 'gcp:folders/222222222222', complete: true },
      { id: 'gcp:organizations/111111111111', complete: true },
      { id: 'gcp:prod-app-123456', complete: true },
    ]);
    const [chain] = await executor.read<{ ids: string[] }>(
      `MATCH p = (:GcpProject {id: 'gcp:projects/prod-app-123456'})-[:CHILD_OF*]->(:GcpOrganization)
       RETURN [n IN nodes(p) | n.id] AS ids`,
    );
    expect(chain?.ids).toEqual([
      'gcp:projects/prod-app-123456',
      'gcp:folders/222222222222',
      'gcp:organizations/111111111111',
    ]);
    const [keys] = await executor.read<{ n: number }>(
      `MATCH (:GcpServiceAccount {id: 'gcp:sa:app@prod-app-123456.iam.gserviceaccount.com'})-[:HAS_CREDENTIAL]->(k:GcpServiceAccountKey) RETURN count(k) AS n`,
    );
    expect(Number(keys?.n)).toBeGreaterThan(0);
    const [route] = await executor.read<{ types: string[] }>(
      `MATCH p = (:GcpPrincipalSet)-[:FEDERATES_TO]->(:GcpServiceAccount)-[:CAN_IMPERSONATE]->(:GcpServiceAccount)-[:CAN_ACCESS]->(:GcpStorageBucket {id: 'gcp:storage:projects/_/buckets/prod-data-example'})
       RETURN [r IN relationships(p) | type(r)] AS types`,
    );
    expect(route?.types).toEqual(['FEDERATES_TO', 'CAN_IMPERSONATE', 'CAN_ACCESS']);
  });
});
