import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { grantedVsUsed } from '../../../src/activity/granted-vs-used.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlBody, tokenApi } from '../../helpers/graphql.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// The activity query over a real Neo4j holding the hand-checked multi-account estate and a real
// DuckDB store: the same answer as `reachgraph activity` (one function), through GraphQL.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_activity';
const INFRA = 'arn:aws:iam::111111111111:role/ci/gha-infra';
const BUCKET = 'arn:aws:s3:::acme-prod-customer-data';
let dir: string;
let database: string;

const QUERY = `query ($id: ID!) {
  activity(identity: $id) {
    identity
    coverage { source account firstEvent lastEvent days events }
    granted { type target levels actions environment used useCount lastUsed actionsUsed }
    unpredicted { action resource outcome count lastTime }
    unpredictedImpersonations { origin identity count lastTime }
    denied { action resource outcome count lastTime }
  }
}`;

function apiWith(activityDatabase?: string) {
  return tokenApi(executor, TOKEN, activityDatabase ? { activityDatabase } : {});
}

function post(api: ReturnType<typeof apiWith>, variables: Record<string, unknown>): Promise<Json> {
  return graphqlBody(api, QUERY, { token: TOKEN, variables });
}

beforeAll(async () => {
  await wipe(executor);
  dir = mkdtempSync(join(tmpdir(), 'api-activity-'));
  database = join(dir, 'activity.duckdb');
  const session = {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111111111111:assumed-role/gha-infra/run-7',
    sessionContext: { sessionIssuer: { type: 'Role', arn: INFRA } },
  };
  const trail = join(dir, 'trail');
  writeTrailFile(
    trail,
    [
      cloudTrailRecord({
        eventID: 'a1',
        eventTime: '2026-11-04T10:00:00Z',
        recipientAccountId: '111111111111',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/reports/q3.csv` }],
      }),
      cloudTrailRecord({
        eventID: 'a2',
        eventTime: '2026-11-04T11:00:00Z',
        recipientAccountId: '111111111111',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        userIdentity: session,
        resources: [{ type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::222222222222:role/prod-deployer' }],
      }),
      cloudTrailRecord({
        eventID: 'a3',
        eventTime: '2026-11-04T12:00:00Z',
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

describe('the activity query', () => {
  it('answers granted vs used for one identity, as reachgraph activity does', async () => {
    const body = await post(apiWith(database), { id: INFRA });
    expect(body.errors).toBeUndefined();
    const answer = body.data.activity;
    const edge = (type: string, target: string) =>
      answer.granted.find((g: Json) => g.type === type && g.target === target);
    expect(edge('CAN_ACCESS', BUCKET)).toMatchObject({
      used: true,
      useCount: 1,
      lastUsed: '2026-11-04T10:00:00Z',
      actionsUsed: ['s3:GetObject'],
    });
    expect(edge('CAN_ASSUME', 'arn:aws:iam::222222222222:role/prod-readonly')).toMatchObject({
      used: false,
      useCount: 0,
      lastUsed: null,
    });
    expect(answer.unpredicted).toMatchObject([
      { action: 'sts:AssumeRole', resource: 'arn:aws:iam::222222222222:role/prod-deployer', count: 1 },
    ]);
    expect(answer.denied).toMatchObject([{ action: 's3:PutObject', outcome: 'denied', count: 1 }]);
    expect(answer.coverage).toMatchObject([
      { source: 'aws-cloudtrail', account: '111111111111', firstEvent: '2026-11-04T10:00:00Z', events: 3 },
    ]);

    // The same answer as the function behind the CLI, field for field.
    const store = await ActivityStore.open(database);
    try {
      expect(answer).toEqual(JSON.parse(JSON.stringify(await grantedVsUsed(executor, store, INFRA))));
    } finally {
      store.close();
    }
  });

  it('an identity with no logged calls: every edge unused, over the coverage of its own account', async () => {
    const body = await post(apiWith(database), { id: 'arn:aws:iam::111111111111:user/ci/ci-builder' });
    expect(body.errors).toBeUndefined();
    const answer = body.data.activity;
    expect(answer.granted.length).toBeGreaterThan(0);
    expect(answer.granted.every((g: Json) => !g.used)).toBe(true);
    expect(answer.coverage).toMatchObject([{ source: 'aws-cloudtrail', account: '111111111111', events: 3 }]);
  });

  it('says when no activity store exists instead of answering "unused"', async () => {
    for (const api of [apiWith(), apiWith(join(dir, 'none.duckdb'))]) {
      const body = await post(api, { id: INFRA });
      expect(body.data).toBeNull();
      expect(body.errors[0]).toMatchObject({
        message: 'no activity logs ingested: run `reachgraph ingest` first',
        extensions: { code: 'NOT_FOUND' },
      });
    }
  });
});
