import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { writeActivitySummary } from '../../../src/activity/graph-summary.js';
import { leastPrivilege } from '../../../src/activity/least-privilege/index.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { unusedPermissions } from '../../../src/activity/unused-permissions.js';
import { main } from '../../../src/main.js';
import { runFindings } from '../../../src/reports/findings.js';
import { loadRules } from '../../../src/reports/rules/registry.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';
import { testExecutor, testNeo4j, wipe } from '../../helpers/graph.js';
import { graphqlBody, tokenApi } from '../../helpers/graphql.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// Unused permissions and least-privilege proposals over a real Neo4j holding the hand-checked
// multi-account estate and a real DuckDB store: one implementation answers the CLI and the API.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_unused';
const INFRA = 'arn:aws:iam::111111111111:role/ci/gha-infra';
const BUCKET = 'arn:aws:s3:::acme-prod-customer-data';
let dir: string;
let database: string;

const session = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111111111111:assumed-role/gha-infra/run-7',
  sessionContext: { sessionIssuer: { type: 'Role', arn: INFRA } },
};

beforeAll(async () => {
  await wipe(executor);
  dir = mkdtempSync(join(tmpdir(), 'unused-permissions-'));
  database = join(dir, 'activity.duckdb');
  const trail = join(dir, 'trail');
  writeTrailFile(
    trail,
    [
      cloudTrailRecord({
        eventID: 'u1',
        eventTime: '2026-11-04T10:00:00Z',
        recipientAccountId: '111111111111',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/reports/2026/q3.csv` }],
      }),
      cloudTrailRecord({
        eventID: 'u2',
        eventTime: '2026-11-05T10:00:00Z',
        recipientAccountId: '111111111111',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/reports/2026/q4.csv` }],
      }),
      cloudTrailRecord({
        eventID: 'u3',
        eventTime: '2026-11-06T10:00:00Z',
        recipientAccountId: '111111111111',
        eventName: 'PutObject',
        errorCode: 'AccessDenied',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/x` }],
      }),
    ],
    { account: '111111111111', day: '2026-11-04' },
  );
  await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
  const store = await ActivityStore.open(database);
  try {
    await ingestCloudTrail(store, [trail], { now: new Date('2026-11-10T00:00:00Z') });
  } finally {
    store.close();
  }
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withStore<T>(fn: (store: ActivityStore) => Promise<T>): Promise<T> {
  const store = await ActivityStore.open(database);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env };
  const target = testNeo4j();
  Object.assign(process.env, {
    NEO4J_URI: target.uri,
    NEO4J_USER: target.user,
    NEO4J_PASSWORD: target.password,
    NEO4J_DATABASE: target.database,
    REACHGRAPH_ACTIVITY_DATABASE: database,
  });
  const out: string[] = [];
  try {
    const code = await main(['node', 'reachgraph', ...args], {
      out: (t: string) => out.push(t),
      err: () => {},
      interactive: false,
    });
    return { code, out: out.join('\n') };
  } finally {
    process.env = env;
  }
}

function graphql(query: string, variables: Record<string, unknown>): Promise<Json> {
  return graphqlBody(tokenApi(executor, TOKEN, { activityDatabase: database }), query, {
    token: TOKEN,
    variables,
  });
}

const PROD_READONLY = 'arn:aws:iam::222222222222:role/prod-readonly';
const PAYMENTS = 'arn:aws:dynamodb:eu-west-1:222222222222:table/payments';

describe('unused permissions', () => {
  it('per identity over the covered window: actions and resources granted vs used, unused roles and routes to production', async () => {
    const answer = await withStore((store) => unusedPermissions(executor, store, INFRA));
    expect(answer.window).toEqual({ start: '2026-11-04T10:00:00Z', end: '2026-11-06T10:00:00Z' });
    expect(answer.actions).toEqual({
      granted: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
      used: ['s3:GetObject'],
      unused: ['s3:ListBucket', 's3:PutObject'],
    });
    expect(answer.resources.map((r) => [r.resource, r.used, r.unused])).toEqual([
      [BUCKET, ['s3:GetObject'], ['s3:ListBucket']],
      ['arn:aws:s3:::acme-tf-state', [], ['s3:GetObject', 's3:ListBucket', 's3:PutObject']],
    ]);
    expect(answer.hops.map((h) => [h.type, h.target, h.used])).toEqual([
      ['CAN_ASSUME', PROD_READONLY, false],
    ]);
    // The direct read of the customer data was exercised; the routes through prod-readonly never were.
    expect(answer.exercisedPathsToProduction.map((r) => r.resource)).toEqual([BUCKET]);
    const unused = answer.unusedPathsToProduction.find((r) => r.resource === PAYMENTS);
    expect(unused?.hops.map((h) => [h.type, h.to, h.used])).toEqual([
      ['CAN_ASSUME', PROD_READONLY, false],
      ['CAN_ACCESS', PAYMENTS, false],
    ]);
  });

  it('is the same answer through the CLI and the API', async () => {
    const direct = await withStore((store) => unusedPermissions(executor, store, INFRA));
    const { code, out } = await cli(['unused-permissions', INFRA, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(direct);
    const text = await cli(['unused-permissions', INFRA]);
    expect(text.out).toContain('actions: 3 granted, 1 used, 2 unused: s3:ListBucket s3:PutObject');
    expect(text.out).toContain(`CAN_ASSUME (unused) → ${PROD_READONLY}, CAN_ACCESS (unused) → ${PAYMENTS}`);
    const body = await graphql(
      `query ($id: ID!) { unusedPermissions(identity: $id) {
        identity window { start end } actions { granted used unused }
        resources { resource unused } hops { type target used }
        unusedPathsToProduction { resource exercised hops { type to used lastUsed } }
        exercisedPathsToProduction { resource }
      } }`,
      { id: INFRA },
    );
    expect(body.errors).toBeUndefined();
    const api = body.data.unusedPermissions;
    expect(api.actions).toEqual(direct.actions);
    expect(api.window).toEqual(direct.window);
    expect(api.unusedPathsToProduction.map((r: Json) => r.resource).sort()).toEqual(
      direct.unusedPathsToProduction.map((r) => r.resource).sort(),
    );
  });
});

// The first proposal loads the AWS action catalogue (about 22k actions): slow on a loaded machine.
describe('least privilege', { timeout: 300_000 }, () => {
  it('proposes an AWS policy of what was used, checked against the role’s policies, with its window and what it removes', async () => {
    const proposal = await withStore((store) => leastPrivilege(executor, store, INFRA));
    expect(proposal.format).toBe('aws-iam-policy');
    expect(proposal.window).toEqual({ start: '2026-11-04T10:00:00Z', end: '2026-11-06T10:00:00Z' });
    expect(proposal.calls).toBe(2);
    // Two objects of one folder read: the folder, which the role's own policy allows s3:GetObject on.
    expect(proposal.awsPolicy?.Statement).toEqual([
      { Sid: 'Used1', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${BUCKET}/reports/2026/*`] },
    ]);
    expect(proposal.removes.resources).toEqual([
      { resource: BUCKET, environment: 'production', actions: ['s3:ListBucket'] },
      {
        resource: 'arn:aws:s3:::acme-tf-state',
        environment: 'unknown',
        actions: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
      },
    ]);
    expect(JSON.parse(proposal.document ?? '')).toEqual(proposal.awsPolicy);
    expect(proposal.removes.hops).toEqual([{ type: 'CAN_ASSUME', target: PROD_READONLY }]);
    expect(proposal.removes.pathsToProduction).toContain(PAYMENTS);
  });

  it('is the same proposal through the CLI and the API', async () => {
    const direct = await withStore((store) => leastPrivilege(executor, store, INFRA));
    const json = await cli(['least-privilege', INFRA, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(direct);
    const document = await cli(['least-privilege', INFRA, '--format', 'aws-iam-policy', '--document']);
    expect(JSON.parse(document.out)).toEqual(direct.awsPolicy);
    const text = await cli(['least-privilege', INFRA]);
    expect(text.out).toContain('It removes (granted, never used over the window):');
    expect(text.out).toContain(`CAN_ASSUME ${PROD_READONLY}`);
    const body = await graphql(
      `query ($id: ID!) { leastPrivilege(identity: $id, format: AWS_IAM_POLICY) {
        identity format window { start end } calls actions document notes
        removes { resources { resource environment actions } hops { type target } pathsToProduction }
      } }`,
      { id: INFRA },
    );
    expect(body.errors).toBeUndefined();
    const api = body.data.leastPrivilege;
    expect(api.format).toBe('AWS_IAM_POLICY');
    expect(api.document).toBe(direct.document);
    expect(api.removes).toEqual(direct.removes);
  });
});

describe('used marks in the graph and the activity rules', () => {
  it('marks the covered identities’ edges used or not, and the rules report over the covered window only', async () => {
    const summary = await withStore((store) => writeActivitySummary(executor, store));
    expect(summary.edges).toBeGreaterThan(0);
    const marks = await executor.read<{
      type: string;
      to: string;
      used: boolean;
      useCount: number;
      lastUsed: string | null;
    }>(
      `MATCH (:Principal {id: $id})-[e]->(m) WHERE e.used IS NOT NULL
       RETURN type(e) AS type, m.id AS to, e.used AS used, e.useCount AS useCount, e.lastUsed AS lastUsed ORDER BY type, to`,
      { id: INFRA },
    );
    expect(marks).toEqual([
      { type: 'CAN_ACCESS', to: BUCKET, used: true, useCount: 2, lastUsed: '2026-11-05T10:00:00.000Z' },
      { type: 'CAN_ACCESS', to: 'arn:aws:s3:::acme-tf-state', used: false, useCount: 0, lastUsed: null },
      { type: 'CAN_ASSUME', to: PROD_READONLY, used: false, useCount: 0, lastUsed: null },
    ]);
    // Identities of account 222222222222, which no log covers, carry no mark.
    const uncovered = await executor.read<{ n: number }>(
      `MATCH (p:Principal {scope: 'aws:222222222222'})-[e]->() WHERE e.used IS NOT NULL OR p.activityCoveredFrom IS NOT NULL RETURN count(*) AS n`,
    );
    expect(uncovered).toEqual([{ n: 0 }]);
    const rules = loadRules()
      .filter((r) => r.id.startsWith('nhi-unused') || r.id === 'nhi-dormant-with-credentials')
      .map((r) =>
        r.id === 'nhi-dormant-with-credentials'
          ? { ...r, parameters: { dormantDays: 1, minCoveredDays: 1 } }
          : r,
      );
    const findings = await runFindings(executor, rules, { now: new Date('2026-11-10T00:00:00Z') });
    const of = (rule: string) =>
      findings.filter((f) => f.ruleId === rule).map((f) => [f.subject.id, f.target?.id, f.message]);
    expect(of('nhi-unused-high-privilege')).toContainEqual([
      INFRA,
      'arn:aws:s3:::acme-tf-state',
      expect.stringContaining('did not use it between 2026-11-04 and 2026-11-06'),
    ]);
    expect(of('nhi-unused-path-to-production').map(([s, t]) => [s, t])).toContainEqual([INFRA, PAYMENTS]);
    // The customer data it read directly is not reported through prod-readonly either.
    expect(of('nhi-unused-path-to-production').map(([s, t]) => [s, t])).not.toContainEqual([INFRA, BUCKET]);
    expect(of('nhi-dormant-with-credentials').map(([s]) => s)).toContain(
      'arn:aws:iam::111111111111:user/ci/ci-builder',
    );
    // Over a window shorter than minCoveredDays nothing is dormant.
    const strict = await runFindings(
      executor,
      loadRules().filter((r) => r.id === 'nhi-dormant-with-credentials'),
    );
    expect(strict).toEqual([]);
  });
});
