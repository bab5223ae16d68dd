import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/graph/loader.js';
import { relationshipKind } from '../../../src/model/relationship-kinds.js';
import { parseInventoryText } from '../../../src/model/validate.js';
import { lastReport, recordReport } from '../../../src/records/report-runs.js';
import { diffFindings } from '../../../src/reports/diff.js';
import { summarize } from '../../../src/reports/summary.js';
import {
  type Finding,
  type NodeRef,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleDeclaration,
  type Severity,
} from '../../../src/reports/types.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlData, postGraphql, tokenApi } from '../../helpers/graphql.js';

// The findings and reportRuns queries over a real Neo4j holding the sample estate and two recorded
// reports: filters, paging, the rule and the live nodes behind each finding, and the report counts.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_findings';
const api = tokenApi(executor, TOKEN, { config: { maxComplexity: 3000 } });

async function post(query: string, variables: Record<string, unknown> = {}, token: string | null = TOKEN) {
  const response = await postGraphql(api, query, { token, variables });
  return { status: response.status, body: (await response.json()) as Json };
}

const gql = (query: string, variables: Record<string, unknown> = {}) =>
  graphqlData(api, query, { token: TOKEN, variables });

const A = '111111111111';
const B = '222222222222';
const node = (id: string, kind: string, name: string, scope: string): NodeRef => ({ id, kind, name, scope });
const ciDeploy = node(`arn:aws:iam::${A}:user/ci-deploy`, 'AwsUser', 'ci-deploy', `aws:${A}`);
const prodDeploy = node(`arn:aws:iam::${B}:role/prod-deploy`, 'AwsRole', 'prod-deploy', `aws:${B}`);
const bucket = node('arn:aws:s3:::prod-payments-bucket', 'AwsS3Bucket', 'prod-payments-bucket', `aws:${B}`);
const alice = node(`arn:aws:iam::${A}:user/alice`, 'AwsUser', 'alice', `aws:${A}`);
const retired = node(`arn:aws:iam::${A}:role/retired-bot`, 'AwsRole', 'retired-bot', `aws:${A}`);

const REACH: RuleDeclaration = {
  id: 'nhi-reaches-production-data',
  title: 'Non-human identity can reach production data',
  category: 'reach',
  severity: 'high',
  description: 'A bot can act on production data.',
  recommendation: 'Narrow the trust policy of prod-deploy.',
  compliance: { soc2: ['CC6.1', 'CC6.3'], iso27001: ['A.5.15'] },
  query: 'nhi-reaches-production',
  parameters: {},
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html'],
};
const KEYS: RuleDeclaration = {
  ...REACH,
  id: 'access-key-not-rotated',
  title: 'Old key',
  category: 'credentials',
};

function finding(
  rule: RuleDeclaration,
  subject: NodeRef,
  severity: Severity,
  extra: Partial<Finding> = {},
): Finding {
  return {
    fingerprint: `${rule.id}:${subject.name}`,
    ruleId: rule.id,
    title: rule.title,
    category: rule.category,
    severity,
    subject,
    target: null,
    message: `${subject.name}: ${rule.title}`,
    path: [],
    conditional: false,
    facts: {},
    ...extra,
  };
}

const reach = finding(REACH, ciDeploy, 'critical', {
  target: bucket,
  conditional: true,
  path: [
    {
      from: ciDeploy,
      to: prodDeploy,
      type: 'CAN_ASSUME',
      technique: null,
      levels: [],
      reason: 'trust policy of prod-deploy allows ci-deploy',
      evidence: [
        {
          source: 'trust-policy',
          ref: prodDeploy.id,
          statement: 'AllowCi',
          reason: 'allows ci-deploy',
          conditions: ['aws:SourceIp'],
        },
      ],
      conditional: true,
    },
    {
      from: prodDeploy,
      to: bucket,
      type: 'CAN_ACCESS',
      technique: null,
      levels: ['write', 'read'],
      reason: 'identity policy grants s3:PutObject',
      evidence: [
        { source: 'identity-policy', ref: 'arn:aws:iam::222222222222:policy/deploy', reason: 'PutObject' },
      ],
      conditional: false,
    },
  ],
  facts: { level: 'write', hops: 1, sensitivity: null },
});
const aliceKey = finding(KEYS, alice, 'medium', { facts: { ageDays: 412, accessKeyId: 'AKIAALICE' } });
const ciKey = finding(KEYS, ciDeploy, 'medium');
const retiredKey = finding(KEYS, retired, 'low');

function report(
  id: string,
  generatedAt: string,
  findings: Finding[],
  suppressed: Finding[],
  previous: Json,
): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    generatedAt,
    job: 'nightly',
    graphRun: null,
    rules: [REACH, KEYS],
    summary: summarize(findings, suppressed),
    diff: diffFindings(previous?.findings ?? null, [...findings, ...suppressed], previous, generatedAt),
    findings,
    suppressed,
    expiredSuppressions: [],
  };
}

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../../examples/sample-inventory.json', import.meta.url), 'utf8');
  await loadInventory(executor, parseInventoryText(text, 'sample'));
  await recordReport(
    executor,
    report('report-a', '2026-04-01T06:00:00.000Z', [reach, ciKey, retiredKey], [], null),
  );
  const suppressedAlice = { ...aliceKey, suppression: { reason: 'break-glass', expires: '2099-12-31' } };
  await recordReport(
    executor,
    report(
      'report-b',
      '2026-04-02T06:00:00.000Z',
      [reach, ciKey],
      [suppressedAlice],
      await lastReport(executor),
    ),
  );
});
afterAll(() => executor.close());

const FINDINGS = `query($filter: FindingFilter, $first: Int, $after: String) {
  findings(filter: $filter, first: $first, after: $after) {
    edges { cursor node { fingerprint status severity subject { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const rows = async (filter: Json, first = 20) =>
  ((await gql(FINDINGS, { filter, first })).findings.edges as Json[]).map(
    ({ node }) => `${node.severity} ${node.status} ${node.subject.name}`,
  );

describe('findings', () => {
  it('lists stored findings most severe first, with where each stands', async () => {
    expect(await rows(null)).toEqual([
      'CRITICAL OPEN ci-deploy',
      'MEDIUM SUPPRESSED alice',
      'MEDIUM OPEN ci-deploy',
      'LOW RESOLVED retired-bot',
    ]);
  });

  it('filters by severity, rule, status, subject and name', async () => {
    expect(await rows({ severity: ['MEDIUM', 'LOW'] })).toEqual([
      'MEDIUM SUPPRESSED alice',
      'MEDIUM OPEN ci-deploy',
      'LOW RESOLVED retired-bot',
    ]);
    expect(await rows({ ruleId: REACH.id })).toEqual(['CRITICAL OPEN ci-deploy']);
    expect(await rows({ status: ['RESOLVED'] })).toEqual(['LOW RESOLVED retired-bot']);
    expect(await rows({ status: ['OPEN'], subject: ciDeploy.id })).toEqual([
      'CRITICAL OPEN ci-deploy',
      'MEDIUM OPEN ci-deploy',
    ]);
    expect(await rows({ nameContains: 'Payments' })).toEqual(['CRITICAL OPEN ci-deploy']);
    expect(await rows({ subject: 'arn:aws:iam::999999999999:role/nobody' })).toEqual([]);
  });

  it('pages with cursors without skipping or repeating a finding', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: Json = await gql(FINDINGS, { first: 1, after });
      seen.push(...data.findings.edges.map((e: Json) => e.node.fingerprint));
      pages += 1;
      if (!data.findings.pageInfo.hasNextPage) break;
      after = data.findings.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    const all = (await gql(FINDINGS, { first: 10 })).findings.edges.map((e: Json) => e.node.fingerprint);
    expect(seen).toEqual(all);
  });

  it('explains a finding: its rule, the live nodes, the path with evidence, facts and history', async () => {
    const data = await gql(
      `query($filter: FindingFilter) { findings(filter: $filter, first: 5) { edges { node {
        fingerprint title message conditional suppressed firstSeen lastSeen resolvedAt lastReportId
        rule { id title severity category recommendation compliance { soc2 iso27001 cisAws } references }
        subject { id kind name scope node { __typename id ... on Identity { nonHuman } } }
        target { name node { __typename ... on Resource { environment } } }
        path { from { name } to { name } type edgeId levels conditional reason
               evidence { source ref statement reason conditions } }
        facts { key value }
      } } } }`,
      { filter: { ruleId: [REACH.id] } },
    );
    const [{ node: f }] = data.findings.edges;
    expect(f).toMatchObject({
      fingerprint: reach.fingerprint,
      conditional: true,
      suppressed: false,
      firstSeen: '2026-04-01T06:00:00.000Z',
      lastSeen: '2026-04-02T06:00:00.000Z',
      resolvedAt: null,
      lastReportId: 'report-b',
      rule: {
        id: REACH.id,
        severity: 'HIGH',
        category: 'REACH',
        recommendation: REACH.recommendation,
        compliance: { soc2: ['CC6.1', 'CC6.3'], iso27001: ['A.5.15'], cisAws: [] },
      },
      subject: {
        id: ciDeploy.id,
        kind: 'AwsUser',
        node: { __typename: 'AwsUser', id: ciDeploy.id, nonHuman: true },
      },
      target: {
        name: 'prod-payments-bucket',
        node: { __typename: 'AwsS3Bucket', environment: 'PRODUCTION' },
      },
    });
    expect(f.path.map((h: Json) => `${h.from.name} -${h.type}-> ${h.to.name}`)).toEqual([
      'ci-deploy -CAN_ASSUME-> prod-deploy',
      'prod-deploy -CAN_ACCESS-> prod-payments-bucket',
    ]);
    expect(f.path[0].evidence).toEqual([
      {
        source: 'trust-policy',
        ref: prodDeploy.id,
        statement: 'AllowCi',
        reason: 'allows ci-deploy',
        conditions: ['aws:SourceIp'],
      },
    ]);
    expect(f.path[0].edgeId).toBe(`${ciDeploy.id}|CAN_ASSUME|${prodDeploy.id}`);
    expect(f.path[1].levels).toEqual(['READ', 'WRITE']);
    expect(f.facts).toEqual([
      { key: 'hops', value: '1' },
      { key: 'level', value: 'write' },
      { key: 'sensitivity', value: null },
    ]);
  });

  it('gives each hop of a finding path its edge type’s meaning, ATT&CK technique and help', async () => {
    const data = await gql(
      `query($filter: FindingFilter) { findings(filter: $filter, first: 5) { edges { node {
        path { type kind { type category meaning attack { id } help { abuse references { url } } } }
      } } } }`,
      { filter: { ruleId: [REACH.id] } },
    );
    const [{ node: f }] = data.findings.edges;
    expect(f.path.map((h: Json) => [h.type, h.kind.type, h.kind.category, h.kind.attack.id])).toEqual([
      ['CAN_ASSUME', 'CAN_ASSUME', 'HOP', 'T1548.005'],
      ['CAN_ACCESS', 'CAN_ACCESS', 'TERMINAL', 'T1530'],
    ]);
    expect(f.path[0].kind.meaning).toBe(relationshipKind('CAN_ASSUME')?.meaning);
    expect(f.path[0].kind.help.abuse).toBe(relationshipKind('CAN_ASSUME')?.help?.abuse);
    expect(f.path[1].kind.help.references[0].url).toBe('https://attack.mitre.org/techniques/T1530/');
  });

  it('keeps naming what a finding was about once the graph no longer has it', async () => {
    const data = await gql(
      `{ findings(filter: { status: [RESOLVED] }) { edges { node { resolvedAt suppression { reason }
          subject { id name node { id } } } } } }`,
    );
    expect(data.findings.edges.map((e: Json) => e.node)).toEqual([
      {
        resolvedAt: '2026-04-02T06:00:00.000Z',
        suppression: null,
        subject: { id: retired.id, name: 'retired-bot', node: null },
      },
    ]);
    const suppressed = await gql(
      `{ findings(filter: { status: [SUPPRESSED] }) { edges { node { suppression { reason expires } } } } }`,
    );
    expect(suppressed.findings.edges[0].node.suppression).toEqual({
      reason: 'break-glass',
      expires: '2099-12-31',
    });
  });

  it('refuses pages beyond the limit and queries beyond the cost limit, and answers nobody without a token', async () => {
    const big = await post(FINDINGS, { first: 101 });
    expect(big.body.errors[0].message).toMatch(/first 101 exceeds the page size limit of 100/);
    const costly = await post(
      `{ findings(first: 100) { edges { node { path { evidence { reason } from { node { id } } to { node { id } } } } } } }`,
    );
    expect(costly.body.errors[0].message).toMatch(/Query complexity of \d+ exceeds max complexity of 3000/);
    const anonymous = await post(FINDINGS, {}, null);
    expect(anonymous.status).toBe(401);
  });
});

describe('reportRuns', () => {
  it('lists report runs newest first with counts by severity and what changed', async () => {
    const data = await gql(`{ reportRuns { id generatedAt job previousReportId total suppressed conditional
      newCount resolvedCount unchangedCount bySeverity { severity count } byRule { ruleId count } } }`);
    expect(data.reportRuns.map((r: Json) => r.id)).toEqual(['report-b', 'report-a']);
    const [b, a] = data.reportRuns;
    expect(a).toMatchObject({
      job: 'nightly',
      previousReportId: null,
      total: 3,
      newCount: 3,
      resolvedCount: 0,
    });
    expect(b).toMatchObject({
      generatedAt: '2026-04-02T06:00:00.000Z',
      previousReportId: 'report-a',
      total: 2,
      suppressed: 1,
      conditional: 1,
      newCount: 0,
      resolvedCount: 1,
      unchangedCount: 2,
      byRule: [
        { ruleId: KEYS.id, count: 1 },
        { ruleId: REACH.id, count: 1 },
      ],
    });
    expect(b.bySeverity).toEqual([
      { severity: 'CRITICAL', count: 1 },
      { severity: 'HIGH', count: 0 },
      { severity: 'MEDIUM', count: 1 },
      { severity: 'LOW', count: 0 },
      { severity: 'INFO', count: 0 },
    ]);
    expect((await gql('{ reportRuns(last: 1) { id } }')).reportRuns).toEqual([{ id: 'report-b' }]);
    const bad = await post('{ reportRuns(last: 0) { id } }');
    expect(bad.body.errors[0].message).toMatch(/last must be between 1 and 100/);
  });
});
