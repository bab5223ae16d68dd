import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphPathQueries } from '../../../src/answers/questions.js';
import { listFindings } from '../../../src/records/stored-findings.js';
import {
  type AlertPayload,
  type AlertsConfig,
  alertOnReport,
  verifyWebhookSignature,
} from '../../../src/reports/alerts/index.js';
import { buildReport } from '../../../src/reports/build.js';
import type { Finding, Report } from '../../../src/reports/types.js';
import { type HttpRecorder, startHttpRecorder } from '../../helpers/alert-receivers.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { testExecutor, wipe } from '../../helpers/graph.js';

// The change scenario end to end, on a copy of the hand-checked fixture (its README explains every
// edge): sync, report; change the estate (a new trust, a removed policy); sync, report; report
// again without a change. The second report's diff must name exactly the paths that appeared and
// disappeared, and a webhook receiver on loopback must get the new high findings once.

const FIXTURE = fileURLToPath(new URL('../../fixtures/aws/multi-account', import.meta.url));
const TOOLING = '111111111111';
const PROD = '222222222222';

// The identities and resources of the change.
const LEGACY_BUILDS = `arn:aws:iam::${TOOLING}:role/ci/gha-legacy-builds`;
/** The subject F3 admits: any workflow of any repository (no `sub` condition). */
const ANY_GITHUB_WORKFLOW = 'oidc:token.actions.githubusercontent.com:*';
const PAYMENTS_EXEC = `arn:aws:iam::${PROD}:role/service-role/payments-api-exec`;
const DATA_READER = `arn:aws:iam::${PROD}:role/prod-data-reader`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${PROD}:table/payments`;
const KEY = `arn:aws:kms:eu-west-1:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET = `arn:aws:secretsmanager:eu-west-1:${PROD}:secret:prod/payments/db-AbCdEf`;
const CUSTOMER_DATA = 'arn:aws:s3:::acme-prod-customer-data';
const PUBLIC_ASSETS = 'arn:aws:s3:::acme-prod-public-assets';

const REACH = 'nhi-reaches-production-data';
const REACH_CONDITIONAL = 'nhi-reaches-production-data-conditionally';

/**
 * The hand-check of the change. `gha-legacy-builds` may now assume `payments-api-exec` (its trust
 * gains `LegacyBuildsIntegrationTests`, the caller's `legacy-artifacts` gains `AssumePaymentsExec`:
 * cross-account needs both sides). That role reads and writes the table `payments` (C5) and the KMS
 * key (C4), reads the secret (C3), and, like every principal, may read the public-assets bucket only
 * from the office IP range (C2, conditional). Before, `gha-legacy-builds` reached no production data
 * (N15). Every new route is inherited by the wildcard GitHub subject that federates into it (F3).
 * Removing `read-customer-data` from `prod-data-reader` takes away its only grant on the customer
 * data bucket (C10); it keeps the conditional public read, and nothing else reached that bucket
 * through it (the external account's trust A8 leads to it, but an ExternalPrincipal is not a
 * non-human identity of ours).
 */
const NEW_PATHS = [LEGACY_BUILDS, ANY_GITHUB_WORKFLOW].flatMap((subject) => [
  `${REACH} ${subject} ${TABLE}`,
  `${REACH} ${subject} ${KEY}`,
  `${REACH} ${subject} ${SECRET}`,
  `${REACH_CONDITIONAL} ${subject} ${PUBLIC_ASSETS}`,
]);
const REMOVED_PATHS = [`${REACH} ${DATA_READER} ${CUSTOMER_DATA}`];
/**
 * Neither identity has an owner (the estate has no owners file), and both now reach production: each
 * is newly an unowned identity reaching production, high as it can write (docs/owners.md).
 */
const UNOWNED = 'unowned-nhi-reaches-production-or-escalates';
const NEW_UNOWNED = [LEGACY_BUILDS, ANY_GITHUB_WORKFLOW].map((subject) => `${UNOWNED} ${subject} -`);
/** Writing production data is at least high: the table and the key, from both identities. */
const NEW_HIGH = [
  ...[LEGACY_BUILDS, ANY_GITHUB_WORKFLOW].flatMap((subject) => [
    `${REACH} ${subject} ${TABLE}`,
    `${REACH} ${subject} ${KEY}`,
  ]),
  ...NEW_UNOWNED,
];

const executor = testExecutor();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-report-changes-'));
const estate = join(work, 'estate');
const SECRET_KEY = 'report-changes-test-webhook-key';
let receiver: HttpRecorder;
let alerts: AlertsConfig;

/** A sync with the reachability summary and a report take a while on a small shared machine. */
const SLOW = 300_000;

const T1 = new Date('2026-03-02T06:00:00Z');
const T2 = new Date('2026-03-02T06:10:00Z');
const T3 = new Date('2026-03-02T06:20:00Z');

beforeAll(async () => {
  await wipe(executor);
  cpSync(FIXTURE, estate, { recursive: true });
  receiver = await startHttpRecorder();
  alerts = {
    sinks: [
      { type: 'webhook', name: 'security-team', url: `${receiver.url}/hooks/reachgraph`, secret: SECRET_KEY },
    ],
    minSeverity: 'high',
    outbox: join(work, 'outbox'),
    retry: { attempts: 1, baseDelayMs: 0 },
  };
});
afterAll(async () => {
  await receiver?.close();
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

const key = (f: Finding) => `${f.ruleId} ${f.subject.id} ${f.target?.id ?? '-'}`;
const keys = (findings: Finding[]) => findings.map(key).sort();

/** Non-human identity → production resource pairs, from the path queries (not the rules). */
async function reachPairs(): Promise<Set<string>> {
  const answers = await new GraphPathQueries(executor).reach({
    from: 'nonHuman=true',
    to: 'environment=production',
  });
  return new Set(answers.map((a) => `${a.principal} ${a.resource}`));
}

function editAuthorizationDetails(account: string, edit: (details: AuthorizationDetails) => void): void {
  const file = join(estate, 'aws', account, 'iam-get-account-authorization-details.json');
  const details = JSON.parse(readFileSync(file, 'utf8')) as AuthorizationDetails;
  edit(details);
  writeFileSync(file, JSON.stringify(details, null, 2));
}

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: string };
  Action: string;
  Resource?: string;
}
interface RoleDetail {
  RoleName: string;
  AssumeRolePolicyDocument: { Statement: Statement[] };
  RolePolicyList: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
}
interface AuthorizationDetails {
  RoleDetailList: RoleDetail[];
}

function role(details: AuthorizationDetails, name: string): RoleDetail {
  const found = details.RoleDetailList.find((r) => r.RoleName === name);
  if (!found) throw new Error(`fixture has no role ${name}`);
  return found;
}

/** A new trust (both sides of a cross-account assume) and a removed inline policy. */
function changeEstate(): void {
  editAuthorizationDetails(PROD, (details) => {
    role(details, 'payments-api-exec').AssumeRolePolicyDocument.Statement.push({
      Sid: 'LegacyBuildsIntegrationTests',
      Effect: 'Allow',
      Principal: { AWS: LEGACY_BUILDS },
      Action: 'sts:AssumeRole',
    });
    const reader = role(details, 'prod-data-reader');
    expect(reader.RolePolicyList.map((p) => p.PolicyName)).toEqual(['read-customer-data']);
    reader.RolePolicyList = [];
  });
  editAuthorizationDetails(TOOLING, (details) => {
    const [policy] = role(details, 'gha-legacy-builds').RolePolicyList;
    expect(policy?.PolicyName).toBe('legacy-artifacts');
    policy?.PolicyDocument.Statement.push({
      Sid: 'AssumePaymentsExec',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: PAYMENTS_EXEC,
    });
  });
}

/** What the receiver got since `from`, each delivery checked for a valid signature. */
function deliveries(from: number, now: Date): AlertPayload[] {
  return receiver.requests.slice(from).map((request) => {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/reachgraph');
    const signature = request.headers['x-reachgraph-signature'] as string | undefined;
    const timestamp = request.headers['x-reachgraph-timestamp'] as string | undefined;
    expect(verifyWebhookSignature(SECRET_KEY, { signature, timestamp }, request.body, { now })).toBe(true);
    return JSON.parse(request.body.toString('utf8')) as AlertPayload;
  });
}

describe('two syncs with a change between them, three reports', () => {
  let first: Report;
  let second: Report;
  let before: Set<string>;
  let after: Set<string>;

  it(
    'the first report has nothing to compare with: every finding is new, and alerts go out once',
    async () => {
      await syncAws(executor, { snapshotDir: estate }, { summary: true });
      before = await reachPairs();
      first = await buildReport(executor, { now: T1 });
      expect(first.diff.previousReportId).toBeNull();
      expect(first.graphRun).not.toBeNull();
      expect(first.findings.length).toBeGreaterThan(0);
      expect(keys(first.diff.newFindings)).toEqual(keys(first.findings));
      // The estate before the change, as the README describes it.
      expect(keys(first.findings)).toContain(`${REACH} ${DATA_READER} ${CUSTOMER_DATA}`);
      expect(
        keys(first.findings).filter((k) => k.includes(LEGACY_BUILDS) && k.startsWith('nhi-reaches')),
      ).toEqual([]);

      const outcomes = await alertOnReport(first, alerts, { now: T1 });
      expect(outcomes.map((o) => [o.sink, o.status])).toEqual([['security-team', 'delivered']]);
      const [payload, ...more] = deliveries(0, T1);
      expect(more).toEqual([]);
      const highFirst = first.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
      expect(payload?.findings.map((f) => f.fingerprint).sort()).toEqual(
        highFirst.map((f) => f.fingerprint).sort(),
      );
    },
    SLOW,
  );

  it(
    'after the change, the diff names exactly the new and removed paths, with their routes',
    async () => {
      changeEstate();
      const sync = await syncAws(executor, { snapshotDir: estate }, { summary: true });
      expect(sync.load.status).toBe('succeeded');
      after = await reachPairs();
      second = await buildReport(executor, { now: T2 });
      const { diff } = second;
      expect(diff.previousReportId).toBe(first.id);

      expect(keys(diff.newPaths)).toEqual([...NEW_PATHS].sort());
      expect(keys(diff.removedPaths)).toEqual([...REMOVED_PATHS].sort());
      // Nothing else changed: the new and resolved findings are exactly those paths, and the two
      // identities' new reach makes them unowned identities reaching production.
      expect(keys(diff.newFindings)).toEqual([...NEW_PATHS, ...NEW_UNOWNED].sort());
      expect(keys(diff.resolvedFindings)).toEqual([...REMOVED_PATHS].sort());
      expect(diff.changedPaths).toEqual([]);
      expect(diff.unchangedCount).toBe(first.findings.length - REMOVED_PATHS.length);
      expect(second.summary.total).toBe(
        first.summary.total + NEW_PATHS.length + NEW_UNOWNED.length - REMOVED_PATHS.length,
      );

      // The path queries, which share no code with the rules, see the same pairs appear and disappear.
      const pair = (f: Finding) => `${f.subject.id} ${f.target?.id}`;
      expect(diff.newPaths.map(pair).sort()).toEqual([...after].filter((p) => !before.has(p)).sort());
      expect(diff.removedPaths.map(pair).sort()).toEqual([...before].filter((p) => !after.has(p)).sort());

      // The route of the new write, and the evidence of the new hop on both sides of the trust.
      const write = diff.newPaths.find((f) => key(f) === `${REACH} ${LEGACY_BUILDS} ${TABLE}`) as Finding;
      expect(write.facts.level).toBe('write');
      expect(write.conditional).toBe(false);
      expect(write.path.map((h) => [h.from.id, h.type, h.to.id])).toEqual([
        [LEGACY_BUILDS, 'CAN_ASSUME', PAYMENTS_EXEC],
        [PAYMENTS_EXEC, 'CAN_ACCESS', TABLE],
      ]);
      const assume = write.path[0]?.evidence.map((e) => e.statement) ?? [];
      expect(assume).toEqual(expect.arrayContaining(['LegacyBuildsIntegrationTests', 'AssumePaymentsExec']));
      expect(write.path[1]?.levels).toEqual(expect.arrayContaining(['read', 'write']));
      // Any GitHub workflow inherits it through the wildcard federation.
      const wildcard = diff.newPaths.find((f) => key(f) === `${REACH} ${ANY_GITHUB_WORKFLOW} ${TABLE}`);
      expect(wildcard?.path.map((h) => h.type)).toEqual(['FEDERATES_TO', 'CAN_ASSUME', 'CAN_ACCESS']);
      // The conditional public read is listed, flagged, with the undecided condition key.
      const conditional = diff.newPaths.filter((f) => f.ruleId === REACH_CONDITIONAL);
      expect(
        conditional.every((f) => f.conditional && String(f.facts.conditions).includes('aws:SourceIp')),
      ).toBe(true);
      // The removed path was the data reader's own grant.
      const removed = diff.removedPaths[0] as Finding;
      // (A CAN_ACCESS edge's evidence is its granting statements, then one record naming the resource.)
      expect(removed.path.map((h) => h.evidence.flatMap((e) => e.statement ?? []))).toEqual([['Read']]);
      expect(removed.path[0]?.evidence.at(-1)?.ref).toBe(removed.target?.id);
      expect(removed.resolvedAt).toBe(T2.toISOString());
    },
    SLOW,
  );

  it('the finding store marks the removed path resolved and keeps when each new one was first seen', async () => {
    const resolved = await listFindings(executor, { status: ['resolved'] });
    expect(resolved.map(key)).toEqual(REMOVED_PATHS);
    expect(resolved[0]?.resolvedAt).toBe(T2.toISOString());
    const open = await listFindings(executor, { status: ['open'], subject: LEGACY_BUILDS }, { limit: 100 });
    const legacy = open.filter((f) => f.ruleId.startsWith('nhi-reaches'));
    expect(legacy.map(key).sort()).toEqual(NEW_PATHS.filter((k) => k.includes(LEGACY_BUILDS)).sort());
    expect(legacy.every((f) => f.firstSeen === T2.toISOString())).toBe(true);
  });

  it('the webhook receives exactly the new high findings', async () => {
    const from = receiver.requests.length;
    const outcomes = await alertOnReport(second, alerts, { now: T2 });
    expect(outcomes.map((o) => [o.sink, o.status, o.fromOutbox])).toEqual([
      ['security-team', 'delivered', false],
    ]);
    const [payload, ...more] = deliveries(from, T2);
    expect(more).toEqual([]);
    expect(payload?.event).toBe('report.new-findings');
    expect(payload?.reportId).toBe(second.id);
    expect(payload?.previousReportId).toBe(first.id);
    const alerted = (payload?.findings ?? []).map(
      (f) => `${f.ruleId} ${f.subject.id} ${f.target?.id ?? '-'}`,
    );
    expect(alerted.sort()).toEqual([...NEW_HIGH].sort());
    expect(payload?.findings.every((f) => f.severity === 'high' || f.severity === 'critical')).toBe(true);
    const route = payload?.findings.find(
      (f) => f.subject.id === LEGACY_BUILDS && f.target?.id === TABLE,
    )?.path;
    expect(route).toBe('gha-legacy-builds → payments-api-exec → payments');
  });

  it(
    'a third report with no change finds nothing new or resolved and alerts nothing',
    async () => {
      await syncAws(executor, { snapshotDir: estate }, { summary: true });
      const third = await buildReport(executor, { now: T3 });
      expect(third.diff.previousReportId).toBe(second.id);
      expect(third.diff.newFindings).toEqual([]);
      expect(third.diff.resolvedFindings).toEqual([]);
      expect(third.diff.newPaths).toEqual([]);
      expect(third.diff.removedPaths).toEqual([]);
      expect(third.diff.changedPaths).toEqual([]);
      expect(third.diff.unchangedCount).toBe(second.findings.length);
      expect(keys(third.findings)).toEqual(keys(second.findings));

      const from = receiver.requests.length;
      expect(await alertOnReport(third, alerts, { now: T3 })).toEqual([]);
      expect(receiver.requests.length).toBe(from);
    },
    SLOW,
  );
});
