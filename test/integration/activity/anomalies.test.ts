import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomalyRules } from '../../../src/activity/anomalies/index.js';
import { queryAnomalies } from '../../../src/activity/anomalies/query.js';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { buildReport } from '../../../src/reports/build.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { cloudTrailRecord, writeTrailFile } from '../../helpers/cloudtrail.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlBody, tokenApi } from '../../helpers/graphql.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// Anomalies over a real DuckDB store ingested from CloudTrail files and the hand-checked multi-account
// estate in a real Neo4j: a CI role that read development artifacts every day for 30 days reads a
// production bucket from a new network. The report carries the anomalies with their events (and
// suppresses one by fingerprint), and the API answers the same anomalies as the CLI's function.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_anomalies';
const INFRA = 'arn:aws:iam::111111111111:role/ci/gha-infra';
const BUCKET = 'arn:aws:s3:::acme-prod-customer-data';
const DAY = '2026-11-01';
let dir: string;
let database: string;

const session = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111111111111:assumed-role/gha-infra/run-7',
  sessionContext: { sessionIssuer: { type: 'Role', arn: INFRA } },
};

beforeAll(async () => {
  await wipe(executor);
  dir = mkdtempSync(join(tmpdir(), 'anomalies-'));
  database = join(dir, 'activity.duckdb');
  const trail = join(dir, 'trail');
  for (let d = 2; d <= 31; d++) {
    const day = `2026-10-${String(d).padStart(2, '0')}`;
    writeTrailFile(
      trail,
      [9, 13, 17].map((hour) =>
        cloudTrailRecord({
          eventID: `steady-${day}-${hour}`,
          eventTime: `${day}T${hour}:00:00Z`,
          recipientAccountId: '111111111111',
          sourceIPAddress: '10.20.30.40',
          userIdentity: session,
          resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-dev-artifacts/build.zip' }],
        }),
      ),
      { account: '111111111111', day },
    );
  }
  writeTrailFile(
    trail,
    [
      cloudTrailRecord({
        eventID: 'steady-today',
        eventTime: `${DAY}T09:00:00Z`,
        recipientAccountId: '111111111111',
        sourceIPAddress: '10.20.30.40',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-dev-artifacts/build.zip' }],
      }),
      cloudTrailRecord({
        eventID: 'exfil-1',
        eventTime: `${DAY}T03:12:00Z`,
        recipientAccountId: '111111111111',
        sourceIPAddress: '198.51.100.23',
        userIdentity: session,
        resources: [{ type: 'AWS::S3::Object', ARN: `${BUCKET}/exports/customers.csv` }],
      }),
    ],
    { account: '111111111111', day: DAY },
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

describe('anomalies in the report', () => {
  it('reports the first production read, the first use of the path, the new network and hour, with their events', async () => {
    const report = await buildReport(executor, {
      rules: anomalyRules(),
      activityDatabase: database,
      record: false,
      now: new Date('2026-11-02T00:00:00Z'),
    });
    const byRule = new Map(report.findings.map((f) => [f.ruleId, f]));
    expect([...byRule.keys()].sort()).toEqual([
      'anomaly-first-production-access',
      'anomaly-new-active-hours',
      'anomaly-new-source-network',
      'anomaly-path-first-exercised',
    ]);
    const first = byRule.get('anomaly-first-production-access');
    expect(first).toMatchObject({
      subject: { id: INFRA, kind: 'AwsRole', name: 'gha-infra' },
      target: { id: BUCKET, name: 'acme-prod-customer-data' },
      facts: { day: DAY, environment: 'production', baselineActiveDays: 30 },
      events: [
        {
          time: `${DAY}T03:12:00Z`,
          action: 's3:GetObject',
          resource: `${BUCKET}/exports/customers.csv`,
          source: '198.51.100.0/24',
          outcome: 'success',
          requestId: 'exfil-1',
        },
      ],
    });
    expect(formatReport(report, 'md')).toContain('`exfil-1`');

    // Suppressed by fingerprint, like any finding.
    const suppressions = join(dir, 'suppressions.yaml');
    writeFileSync(
      suppressions,
      `- fingerprint: ${first?.fingerprint}\n  reason: the nightly export job moved to this bucket\n  expires: 2026-12-31\n`,
    );
    const again = await buildReport(executor, {
      rules: anomalyRules(),
      activityDatabase: database,
      suppressionsFile: suppressions,
      record: false,
      now: new Date('2026-11-02T00:00:00Z'),
    });
    expect(again.suppressed.map((f) => f.ruleId)).toEqual(['anomaly-first-production-access']);
    expect(again.findings).toHaveLength(3);
  });

  it('an anomaly whose day is no longer reviewed is not resolved, and one still reviewed is not new again', async () => {
    const job = 'anomaly-days';
    const options = { rules: anomalyRules(), job, now: new Date('2026-11-02T00:00:00Z') };
    const first = await buildReport(executor, { ...options, activityDatabase: database });
    expect(first.diff.newFindings).toHaveLength(4);
    const again = await buildReport(executor, { ...options, activityDatabase: database });
    expect(again.diff).toMatchObject({ newFindings: [], resolvedFindings: [], unchangedCount: 4 });
    // No day of the store under review any more (here: no store at all): nothing is resolved.
    const later = await buildReport(executor, { ...options, activityDatabase: join(dir, 'missing.duckdb') });
    expect(later.findings).toEqual([]);
    expect(later.diff).toMatchObject({ newFindings: [], resolvedFindings: [], unchangedCount: 0 });
  });

  it('a report without an activity store has no anomalies', async () => {
    const report = await buildReport(executor, {
      rules: anomalyRules(),
      activityDatabase: join(dir, 'missing.duckdb'),
      record: false,
    });
    expect(report.findings).toEqual([]);
  });
});

describe('the anomalies query', () => {
  const post = (query: string, variables: Record<string, unknown> = {}) =>
    graphqlBody(tokenApi(executor, TOKEN, { activityDatabase: database }), query, {
      token: TOKEN,
      variables,
    });

  it('answers what reachgraph anomalies answers, from the same function', async () => {
    const body = await post(`{ anomalies(filter: { minSeverity: MEDIUM }) {
      days identitiesReviewed baselineDays
      anomalies { fingerprint ruleId severity day subject { id kind } target { id }
        events { time action resource source outcome requestId } }
    } }`);
    expect(body.errors).toBeUndefined();
    const answer = body.data.anomalies;
    expect(answer).toMatchObject({ days: [DAY], identitiesReviewed: 1, baselineDays: 30 });
    const store = await ActivityStore.open(database);
    try {
      const direct = await queryAnomalies(store, { minSeverity: 'medium' }, { executor });
      expect(answer.anomalies.map((a: Json) => a.fingerprint)).toEqual(
        direct.anomalies.map((a) => a.fingerprint),
      );
    } finally {
      store.close();
    }
    expect(answer.anomalies.find((a: Json) => a.ruleId === 'anomaly-path-first-exercised')).toMatchObject({
      severity: 'HIGH',
      day: DAY,
      subject: { id: INFRA, kind: 'AwsRole' },
      target: { id: BUCKET },
      events: [{ requestId: 'exfil-1', source: '198.51.100.0/24' }],
    });
  });

  it('refuses a bad filter', async () => {
    const body = await post(`{ anomalies(filter: { ruleId: ["nope"] }) { days } }`);
    expect(body.errors?.[0]?.message).toMatch(/unknown anomaly rule nope/);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
