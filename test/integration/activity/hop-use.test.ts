import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { writeActivitySummary } from '../../../src/activity/graph-summary.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { GraphPathQueries } from '../../../src/answers/questions.js';
import { formatAccessPaths } from '../../../src/cli/format-paths.js';
import { GRANT_KIND } from '../../../src/model/grants.js';
import type { InventoryInput } from '../../../src/model/inventory.js';
import { validateInventory } from '../../../src/model/validate.js';
import { publishInventory } from '../../../src/pipeline/publish.js';
import { buildReport } from '../../../src/reports/build.js';
import { runFindings } from '../../../src/reports/findings.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { loadRules } from '../../../src/reports/rules/registry.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlBody, tokenApi } from '../../helpers/graphql.js';

/**
 * Used and unused per hop, in a real Neo4j and a real DuckDB store: an estate whose bucket access is
 * stored through a Grant hub (model/grants.ts) and a role chain stored directly; CloudTrail logs of
 * some of those uses. After the activity summary the hub's pair edges carry their own use (the
 * member leg records which targets each member used), the path answers carry used / useCount /
 * lastUsed per hop and whether the route was exercised (CLI text, API, report findings), and the
 * unused rules see the pairs through the hub.
 */

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON.
type Json = any;

const executor = testExecutor();
const ACCOUNT = '111111111111';
const SCOPE = `aws:${ACCOUNT}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const CI = role('ci');
const DEPLOY = role('deploy');
const READER = role('reader');
const PROD = 'arn:aws:s3:::prod-data';
const LOGS = 'arn:aws:s3:::build-logs';
const HUB = `grant:aws:${SCOPE}:access:readers`;
const TOKEN = 'rg_hop_use';
let dir: string;

const evidence = (ref: string) => [{ source: 'identity-policy' as const, ref, statement: '0', reason: ref }];

const estate: InventoryInput = {
  format: 'reachgraph-inventory',
  version: 1,
  source: { name: 'hop-use' },
  scopes: [{ id: SCOPE, provider: 'aws', complete: true }],
  nodes: [
    ...[CI, DEPLOY, READER].map((id) => ({
      id,
      kind: 'AwsRole',
      scope: SCOPE,
      properties: { name: id.split('/').at(-1) as string, nonHuman: true, nhiType: 'role' },
    })),
    {
      id: PROD,
      kind: 'AwsS3Bucket',
      scope: SCOPE,
      properties: { name: 'prod-data', environment: 'production' },
    },
    {
      id: LOGS,
      kind: 'AwsS3Bucket',
      scope: SCOPE,
      properties: { name: 'build-logs', environment: 'production' },
    },
    {
      id: HUB,
      kind: GRANT_KIND,
      scope: SCOPE,
      properties: { name: 'readers', family: 'access', members: 2, targets: 2 },
    },
  ],
  relationships: [
    { type: 'CAN_ACCESS', from: CI, to: HUB, evidence: evidence(`${CI} policy`) },
    { type: 'CAN_ACCESS', from: READER, to: HUB, evidence: evidence(`${READER} policy`) },
    ...[PROD, LOGS].map((to) => ({
      type: 'CAN_ACCESS',
      from: HUB,
      to,
      properties: { levels: ['read', 'write'] },
      evidence: evidence(`s3:* on ${to}`),
    })),
    { type: 'CAN_ASSUME', from: CI, to: DEPLOY, evidence: evidence(`trust of ${DEPLOY}`) },
    {
      type: 'CAN_ACCESS',
      from: DEPLOY,
      to: PROD,
      properties: { levels: ['read', 'write'] },
      evidence: evidence(`${DEPLOY} policy`),
    },
  ],
};

const session = (name: string) => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/run`,
  accountId: ACCOUNT,
  sessionContext: { sessionIssuer: { type: 'Role', arn: role(name) } },
});
const s3 = (eventID: string, eventTime: string, who: string, bucket: string) =>
  cloudTrailRecord({
    eventID,
    eventTime,
    recipientAccountId: ACCOUNT,
    userIdentity: session(who),
    eventName: 'GetObject',
    resources: [{ type: 'AWS::S3::Object', ARN: `${bucket}/k` }],
    requestParameters: { bucketName: bucket.split(':::')[1], key: 'k' },
  });

beforeAll(async () => {
  await wipe(executor);
  await publishInventory(executor, validateInventory(estate, 'hop-use'), { summary: true });
  dir = mkdtempSync(join(tmpdir(), 'hop-use-'));
  const trail = join(dir, 'trail');
  writeTrailFile(
    trail,
    [
      s3('l1', '2026-11-02T10:00:00Z', 'ci', LOGS),
      s3('l2', '2026-11-03T11:00:00Z', 'ci', LOGS),
      cloudTrailRecord({
        eventID: 'a1',
        eventTime: '2026-11-02T09:00:00Z',
        recipientAccountId: ACCOUNT,
        userIdentity: session('ci'),
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        resources: [{ type: 'AWS::IAM::Role', ARN: DEPLOY }],
        requestParameters: { roleArn: DEPLOY, roleSessionName: 'run' },
      }),
      s3('p1', '2026-11-04T12:00:00Z', 'deploy', PROD),
    ],
    { account: ACCOUNT, day: '2026-11-02' },
  );
  const store = await ActivityStore.open(join(dir, 'activity.duckdb'));
  try {
    await ingestCloudTrail(store, [trail], { now: new Date('2026-11-10T00:00:00Z') });
    await writeActivitySummary(executor, store);
  } finally {
    store.close();
  }
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('used and unused per hop', () => {
  it('marks the pairs through a Grant hub on the member legs', async () => {
    const legs = await executor.read<{ from: string; used: boolean; targets: string[]; counts: number[] }>(
      `MATCH (p)-[e:CAN_ACCESS]->(:Grant {id: $hub})
       RETURN p.id AS from, e.used AS used, e.usedTargets AS targets, e.usedTargetCounts AS counts ORDER BY from`,
      { hub: HUB },
    );
    expect(legs).toEqual([
      { from: CI, used: true, targets: [LOGS], counts: [2] },
      { from: READER, used: false, targets: [], counts: [] },
    ]);
    // Granted vs used as the API's edges show it: each pair through the hub with its own use.
    const body = await graphqlBody(
      tokenApi(executor, TOKEN),
      `query($id: ID!) { node(id: $id) { edges(direction: OUT, first: 10) { edges { node { type to { id } used useCount lastUsed } } } } }`,
      { token: TOKEN, variables: { id: CI } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.node.edges.edges.map((e: Json) => e.node)).toEqual([
      { type: 'CAN_ACCESS', to: { id: LOGS }, used: true, useCount: 2, lastUsed: '2026-11-03T11:00:00.000Z' },
      { type: 'CAN_ACCESS', to: { id: PROD }, used: false, useCount: 0, lastUsed: null },
      {
        type: 'CAN_ASSUME',
        to: { id: DEPLOY },
        used: true,
        useCount: 1,
        lastUsed: '2026-11-02T09:00:00.000Z',
      },
    ]);
  });

  it('gives each hop of a path answer its use, and says whether the route was exercised', async () => {
    const q = new GraphPathQueries(executor);
    const [direct] = await q.reach({ from: CI, to: PROD });
    expect(direct?.path.map((h) => [h.type, h.to, h.used, h.useCount])).toEqual([
      ['CAN_ACCESS', PROD, false, 0],
    ]);
    expect(direct?.exercised).toBe(false);
    expect(direct?.activityWindow?.start.slice(0, 10)).toBe('2026-11-02');
    const [deploy] = await q.reach({ from: DEPLOY, to: PROD });
    expect(deploy?.path.map((h) => [h.type, h.used, h.useCount, h.lastUsed])).toEqual([
      ['CAN_ACCESS', true, 1, '2026-11-04T12:00:00.000Z'],
    ]);
    expect(deploy?.exercised).toBe(true);
    const text = formatAccessPaths(
      [direct, deploy].filter((a) => a !== undefined),
      '',
    );
    expect(text).toContain('[not exercised 2026-11-02 – 2026-11-04]');
    expect(text).toContain('[unused]');
    expect(text).toContain('[used 1×, last 2026-11-04]');
  });

  it('answers the same through the GraphQL paths query', async () => {
    const body = await graphqlBody(
      tokenApi(executor, TOKEN),
      `{ paths(from: {kind: ["AwsRole"]}, to: {nameContains: "prod-data"}) { edges { node {
          from { id } exercised activityWindow { start end } hops { edge { type used useCount lastUsed } } } } } }`,
      { token: TOKEN },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.paths.edges.map((e: Json) => [e.node.from.id, e.node.exercised, e.node.hops])).toEqual([
      [CI, false, [{ edge: { type: 'CAN_ACCESS', used: false, useCount: 0, lastUsed: null } }]],
      [
        DEPLOY,
        true,
        [{ edge: { type: 'CAN_ACCESS', used: true, useCount: 1, lastUsed: '2026-11-04T12:00:00.000Z' } }],
      ],
      [READER, false, [{ edge: { type: 'CAN_ACCESS', used: false, useCount: 0, lastUsed: null } }]],
    ]);
    expect(body.data.paths.edges[0].node.activityWindow.start).toBe('2026-11-02T09:00:00.000Z');
  });

  it('carries the use into the report findings and their HTML, and the unused rules see pairs through hubs', async () => {
    const rules = loadRules().filter((r) =>
      ['nhi-reaches-production-data', 'nhi-unused-path-to-production', 'nhi-unused-high-privilege'].includes(
        r.id,
      ),
    );
    const findings = await runFindings(executor, rules);
    const reach = findings.filter((f) => f.ruleId === 'nhi-reaches-production-data');
    const ciProd = reach.find((f) => f.subject.id === CI && f.target?.id === PROD);
    expect(ciProd?.path.map((h) => [h.type, h.used, h.useCount])).toEqual([['CAN_ACCESS', false, 0]]);
    const ciLogs = reach.find((f) => f.subject.id === CI && f.target?.id === LOGS);
    expect(ciLogs?.path.map((h) => [h.used, h.useCount, h.lastUsed])).toEqual([
      [true, 2, '2026-11-03T11:00:00.000Z'],
    ]);
    const unused = (id: string) =>
      findings
        .filter((f) => f.ruleId === id)
        .map((f) => `${f.subject.id} ${f.target?.id}`)
        .sort();
    // The reader never used the hub; ci used only the logs bucket through it.
    expect(unused('nhi-unused-high-privilege')).toEqual([
      `${CI} ${PROD}`,
      `${READER} ${LOGS}`,
      `${READER} ${PROD}`,
    ]);
    expect(unused('nhi-unused-path-to-production')).toEqual([
      `${CI} ${PROD}`,
      `${READER} ${LOGS}`,
      `${READER} ${PROD}`,
    ]);
    const report = await buildReport(executor, { rules, now: new Date('2026-11-10T00:00:00Z') });
    const html = formatReport(report, 'html');
    expect(html).toContain('<span class="unused"');
    expect(html).toContain('used 2×, last 2026-11-03');
    expect(html).toContain('Not exercised end to end over the window the activity logs cover');
    const markdown = formatReport(report, 'md');
    expect(markdown).toContain('*(used 1×, last 2026-11-04)*');
    expect(markdown).toContain('*(unused)*');
  });
});
