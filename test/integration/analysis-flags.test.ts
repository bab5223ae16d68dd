import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphExecutor } from '../../src/graph/executor.js';
import { type AwsSyncResult, analyzeAws, syncAws } from '../helpers/aws-sync.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlData, tokenApi } from '../helpers/graphql.js';
import { MULTI_ACCOUNT, readExpected } from '../unit/aws-fixture/expected.js';

// The analyzer's findings on the hand-checked multi-account snapshot, read back from Neo4j as
// AnalysisFlag nodes the way a report rule reads them, kept stable across syncs and cleaned with
// their account once the fact is gone.

const expected = readExpected();
const executor: GraphExecutor = testExecutor();
const RULE = 'aws-cross-account-trust-without-external-id';
const DATA_READER = 'arn:aws:iam::222222222222:role/prod-data-reader';

interface FlagRow {
  subject: string;
  subjectKind: string;
  id: string;
  rule: string;
  severity: string;
  message: string;
  evidence: string;
  scope: string;
  relScope: string;
  firstSeen: string;
}

const readFlags = () =>
  executor.read<FlagRow>(
    `MATCH (s:Entity)-[h:HAS_FLAG]->(f:AnalysisFlag)
     RETURN s.id AS subject, labels(s)[0] AS subjectKind, f.id AS id, f.rule AS rule, f.severity AS severity,
            f.message AS message, f.evidence AS evidence, f.scope AS scope, h.scope AS relScope,
            toString(f.firstSeen) AS firstSeen
     ORDER BY id`,
  );

let first: AwsSyncResult;
let flags: FlagRow[];
let workDir: string;

beforeAll(async () => {
  await wipe(executor);
  first = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT }, { summary: true });
  expect(first.load.status).toBe('succeeded');
  flags = await readFlags();
  workDir = mkdtempSync(join(tmpdir(), 'reachgraph-flags-'));
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await executor.close();
});

describe('analysis flags in the graph', () => {
  it('holds one flag per analysis finding, on its subject, in the subject’s scope', async () => {
    const { analysis } = await analyzeAws({ snapshotDir: MULTI_ACCOUNT });
    const key = (f: { rule: string; subject: string; severity: string; message: string }) =>
      `${f.rule} ${f.subject} ${f.severity} ${f.message}`;
    expect(flags.map(key).sort()).toEqual([...new Set(analysis.findings.map(key))].sort());
    for (const flag of flags) {
      const account = /^arn:aws:(?:iam|s3)::(\d{12})?/.exec(flag.subject)?.[1];
      if (account) expect(flag.scope).toBe(`aws:${account}`);
      expect(flag.relScope).toBe(flag.scope);
    }
    // The sync summary still counts the findings by severity.
    const total = Object.values(first.summary.findings).reduce((a, b) => a + b, 0);
    expect(total).toBe(analysis.findings.length);
  });

  it('has the hand-checked findings of the fixture, each with its evidence', () => {
    for (const want of expected.findings) {
      const about = new RegExp(want.about, 'i');
      const found = flags.filter((f) => f.subject === want.subject && about.test(`${f.rule} ${f.message}`));
      expect(found.length, `${want.label} on ${want.subject}`).toBeGreaterThan(0);
      expect(found.some((f) => (want.severity as string[]).includes(f.severity))).toBe(true);
      for (const f of found) {
        const evidence = JSON.parse(f.evidence) as { ref: string; reason: string }[];
        expect(evidence.length).toBeGreaterThan(0);
        expect(evidence.every((e) => e.ref && e.reason)).toBe(true);
      }
    }
    for (const unwanted of expected.noFindings) {
      const about = new RegExp(unwanted.about, 'i');
      expect(
        flags.filter((f) => f.subject === unwanted.subject && about.test(`${f.rule} ${f.message}`)),
      ).toEqual([]);
    }
  });

  it('answers the rule query shape: (s)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})', async () => {
    const rows = await executor.read<{ subject: string; severity: string; evidence: string }>(
      `MATCH (s)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})
       RETURN s.id AS subject, f.severity AS severity, f.evidence AS evidence`,
      { flagRule: RULE },
    );
    expect(rows.map((r) => [r.subject, r.severity])).toEqual([[DATA_READER, 'high']]);
    expect(JSON.parse(rows[0]?.evidence ?? '[]')).toEqual([
      expect.objectContaining({
        source: 'trust-policy',
        ref: `${DATA_READER}#trust`,
        statement: 'AnalyticsVendor',
      }),
    ]);
  });

  it('keeps flags out of the reachability summary and out of identities, resources and node lookups', async () => {
    const [touching] = await executor.read<{ n: number }>(
      'MATCH (f:AnalysisFlag)-[r]-() WHERE type(r) <> $hasFlag RETURN count(r) AS n',
      { hasFlag: 'HAS_FLAG' },
    );
    expect(touching?.n).toBe(0);
    expect(first.load.reachability?.rows ?? 0).toBeGreaterThan(0);

    const TOKEN = 'rg_flags';
    const api = tokenApi(executor, TOKEN);
    const gql = async (query: string, variables: Record<string, unknown>) =>
      (await graphqlData(api, query, { token: TOKEN, variables })) as Record<
        string,
        { edges: { node: { id: string } }[] } | null
      >;
    const flagId = flags[0]?.id as string;
    expect((await gql('query($id: ID!) { node(id: $id) { id } }', { id: flagId })).node).toBeNull();
    const listed = await gql(
      `query($kind: [String!]) {
         identities(filter: {kind: $kind}, first: 10) { edges { node { id } } }
         resources(filter: {kind: $kind}, first: 10) { edges { node { id } } }
       }`,
      { kind: ['AnalysisFlag'] },
    );
    expect(listed.identities?.edges).toEqual([]);
    expect(listed.resources?.edges).toEqual([]);
  });

  it('gives a fact the same flag on the next sync, and cleans it with its account once the fact is gone', async () => {
    const again = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
    expect(again.load.status).toBe('succeeded');
    const after = await readFlags();
    expect(after.map((f) => [f.id, f.firstSeen])).toEqual(flags.map((f) => [f.id, f.firstSeen]));

    // The vendor trust now requires an external id: the flag goes, the others stay.
    const snapshot = join(workDir, 'multi-account');
    cpSync(MULTI_ACCOUNT, snapshot, { recursive: true });
    const file = join(snapshot, 'aws', '222222222222', 'iam-get-account-authorization-details.json');
    const details = JSON.parse(readFileSync(file, 'utf8'));
    const reader = details.RoleDetailList.find(
      (r: { RoleName: string }) => r.RoleName === 'prod-data-reader',
    );
    reader.AssumeRolePolicyDocument.Statement[0].Condition = {
      StringEquals: { 'sts:ExternalId': 'analytics-7f3a' },
    };
    writeFileSync(file, JSON.stringify(details));
    const fixed = await syncAws(executor, { snapshotDir: snapshot });
    expect(fixed.load.cleanedScopes).toContain('aws:222222222222');
    expect(fixed.load.deleted.AnalysisFlag).toBe(1);
    const remaining = await readFlags();
    expect(remaining.filter((f) => f.rule === RULE)).toEqual([]);
    expect(remaining.map((f) => f.id)).toEqual(flags.filter((f) => f.rule !== RULE).map((f) => f.id));
  });
});
