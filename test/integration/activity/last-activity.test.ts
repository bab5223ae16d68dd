import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { grantedVsUsed } from '../../../src/activity/granted-vs-used.js';
import { writeActivitySummary } from '../../../src/activity/graph-summary.js';
import { ActivityStore } from '../../../src/activity/store.js';
import type { GraphExecutor } from '../../../src/graph/executor.js';
import { main } from '../../../src/main.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';
import { testExecutor, testNeo4j, wipe } from '../../helpers/graph.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// The graph's activity summary from a real DuckDB store, on the hand-checked multi-account estate in
// a real Neo4j: lastActivity on the identities the logs name, an access key's last use, nothing on
// the rest, and the summary written again after a sync replaced the nodes' properties.

const executor: GraphExecutor = testExecutor();
const BUILDER = 'arn:aws:iam::111111111111:user/ci/ci-builder';
const DEPLOY = 'arn:aws:iam::111111111111:role/ci/gha-deploy';
const KEY = 'AKIACIBUILDEREXAMPL1';
let dir: string;
let trail: string;
let database: string;

const records = [
  cloudTrailRecord({
    eventID: 'b1',
    eventTime: '2026-11-01T08:00:00Z',
    recipientAccountId: '111111111111',
    userIdentity: { type: 'IAMUser', arn: BUILDER, accountId: '111111111111', accessKeyId: KEY },
  }),
  cloudTrailRecord({
    eventID: 'b2',
    eventTime: '2026-11-03T09:30:00Z',
    recipientAccountId: '111111111111',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    errorCode: 'AccessDenied',
    userIdentity: { type: 'IAMUser', accountId: '111111111111', accessKeyId: KEY },
  }),
  cloudTrailRecord({
    eventID: 'd1',
    eventTime: '2026-11-02T12:00:00Z',
    recipientAccountId: '111111111111',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/gha-deploy/run-1',
      sessionContext: { sessionIssuer: { type: 'Role', arn: DEPLOY } },
    },
  }),
  // An identity the graph does not hold: counted in the store, written nowhere.
  cloudTrailRecord({
    eventID: 'x1',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::999999999999:user/gone' },
  }),
];

const activityOf = (id: string) =>
  executor.read<{ last: string | null; events: number | null }>(
    'MATCH (n {id: $id}) RETURN toString(n.lastActivity) AS last, n.activityEvents AS events',
    { id },
  );

beforeAll(async () => {
  await wipe(executor);
  dir = mkdtempSync(join(tmpdir(), 'activity-graph-'));
  trail = join(dir, 'trail');
  database = join(dir, 'activity.duckdb');
  writeTrailFile(trail, records, { account: '111111111111', day: '2026-11-01' });
  await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('activity summary in the graph', () => {
  it('writes lastActivity on the identities and the access key the logs name', async () => {
    const store = await ActivityStore.open(database);
    try {
      await ingestCloudTrail(store, [trail], { now: new Date('2026-11-10T00:00:00Z') });
      const result = await writeActivitySummary(executor, store);
      expect(result).toMatchObject({ identities: 2, accessKeys: 1, windowStart: '2026-11-01T08:00:00Z' });
    } finally {
      store.close();
    }
    // The refused call made with the builder's key is the builder's (the key's other event names it).
    expect(await activityOf(BUILDER)).toEqual([{ last: '2026-11-03T09:30:00Z', events: 2 }]);
    expect(await activityOf(DEPLOY)).toEqual([{ last: '2026-11-02T12:00:00Z', events: 1 }]);
    expect(await activityOf(`aws:key:${KEY}`)).toEqual([{ last: '2026-11-03T09:30:00Z', events: 2 }]);
    const others = await executor.read<{ n: number }>(
      'MATCH (n:Principal) WHERE n.lastActivity IS NOT NULL AND NOT n.id IN $ids RETURN count(n) AS n',
      { ids: [BUILDER, DEPLOY] },
    );
    expect(others).toEqual([{ n: 0 }]);
  });

  it('a sync replaces node properties, and the CLI’s sync writes the summary again', async () => {
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
    const output = { out: (t: string) => out.push(t), err: () => {}, interactive: false };
    try {
      const code = await main(
        ['node', 'reachgraph', 'sync', 'aws', '--snapshot', MULTI_ACCOUNT, '--no-progress', '--json'],
        output,
      );
      expect(code).toBe(0);
      expect(await activityOf(DEPLOY)).toEqual([{ last: '2026-11-02T12:00:00Z', events: 1 }]);
      // An ingest of nothing new leaves the store as it is and rewrites the same summary.
      out.length = 0;
      expect(await main(['node', 'reachgraph', 'ingest', 'aws-cloudtrail', trail, '--json'], output)).toBe(0);
      const result = JSON.parse(out.join('\n'));
      expect(result).toMatchObject({
        filesRead: 0,
        filesSkipped: 1,
        graph: { identities: 2, accessKeys: 1 },
      });
    } finally {
      process.env = env;
    }
  });

  it('exits non-zero when a file could not be read at all', async () => {
    const out: string[] = [];
    const output = { out: (t: string) => out.push(t), err: () => {}, interactive: false };
    const env = { ...process.env };
    process.env.REACHGRAPH_ACTIVITY_DATABASE = join(dir, 'other.duckdb');
    try {
      const missing = join(dir, 'nowhere');
      expect(
        await main(['node', 'reachgraph', 'ingest', 'aws-cloudtrail', missing, '--no-graph'], output),
      ).toBe(1);
      expect(out.join('\n')).toContain(`missing: ${missing}`);
    } finally {
      process.env = env;
    }
  });

  it('granted vs used for one identity: used and unused edges, an assumption no edge predicted, refusals', async () => {
    const INFRA = 'arn:aws:iam::111111111111:role/ci/gha-infra';
    const session = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/gha-infra/run-7',
      sessionContext: { sessionIssuer: { type: 'Role', arn: INFRA } },
    };
    const more = join(dir, 'more');
    writeTrailFile(
      more,
      [
        cloudTrailRecord({
          eventID: 'i1',
          eventTime: '2026-11-04T10:00:00Z',
          recipientAccountId: '111111111111',
          userIdentity: session,
          resources: [
            { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-prod-customer-data/reports/q3.csv' },
          ],
        }),
        cloudTrailRecord({
          eventID: 'i2',
          eventTime: '2026-11-04T11:00:00Z',
          recipientAccountId: '111111111111',
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
          userIdentity: session,
          resources: [{ type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::222222222222:role/prod-deployer' }],
        }),
        cloudTrailRecord({
          eventID: 'i3',
          eventTime: '2026-11-04T12:00:00Z',
          recipientAccountId: '111111111111',
          eventName: 'PutObject',
          errorCode: 'AccessDenied',
          userIdentity: session,
          resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-prod-customer-data/x' }],
        }),
      ],
      { account: '111111111111', day: '2026-11-04' },
    );
    const store = await ActivityStore.open(database);
    try {
      await ingestCloudTrail(store, [more], { now: new Date('2026-11-10T00:00:00Z') });
      const answer = await grantedVsUsed(executor, store, INFRA);
      const edge = (type: string, target: string) =>
        answer.granted.find((g) => g.type === type && g.target === target);
      expect(edge('CAN_ACCESS', 'arn:aws:s3:::acme-prod-customer-data')).toMatchObject({
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
      expect(answer.denied).toMatchObject([{ action: 's3:PutObject', count: 1 }]);
      expect(answer.coverage.map((c) => c.account)).toEqual(['111111111111']);
    } finally {
      store.close();
    }
  });
});
