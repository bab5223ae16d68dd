import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/graph/loader.js';
import { parseInventoryText } from '../../../src/model/validate.js';
import { computeReachability } from '../../../src/reachability/compute.js';
import { lastReport, recordReport } from '../../../src/records/report-runs.js';
import { diffFindings } from '../../../src/reports/diff.js';
import { summarize } from '../../../src/reports/summary.js';
import {
  type Finding,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleDeclaration,
} from '../../../src/reports/types.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlData, tokenApi } from '../../helpers/graphql.js';

// The fields the explorer's pages read, over the sample inventory: search through the full-text
// index, blast-radius and who-can-reach counts that equal the rows of the matching drill-down (from
// the summary and without one), findings new since a report, and what a report run changed.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_explorer';
const api = tokenApi(executor, TOKEN);
const gql = (query: string, variables: Record<string, unknown> = {}): Promise<Json> =>
  graphqlData(api, query, { token: TOKEN, variables });

const A = '111111111111';
const ids = {
  ciDeploy: `arn:aws:iam::${A}:user/ci-deploy`,
  toolingAdmin: `arn:aws:iam::${A}:role/tooling-admin`,
  bucket: 'arn:aws:s3:::prod-payments-bucket',
};

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../../examples/sample-inventory.json', import.meta.url), 'utf8');
  await loadInventory(executor, parseInventoryText(text, 'sample'));
}, 600_000);
afterAll(() => executor.close());

const names = (connection: Json, end: 'from' | 'to') =>
  connection.edges.map((e: Json) => e.node[end].name as string).sort();

describe('search', () => {
  const SEARCH = `query($text: String!, $filter: SearchFilter, $first: Int, $after: String) {
    search(text: $text, filter: $filter, first: $first, after: $after) {
      edges { node { score node { __typename id name tags } } } pageInfo { hasNextPage endCursor }
    }
  }`;
  const found = async (text: string, filter?: Json) =>
    ((await gql(SEARCH, { text, filter, first: 50 })).search.edges as Json[]).map((e) => e.node.node.name);

  it('finds identities and resources by a word of the name, typed whole or begun', async () => {
    expect((await found('deploy')).sort()).toEqual(['ci-deploy', 'github-actions-deploy', 'prod-deploy']);
    expect(await found('ci-dep')).toEqual(['ci-deploy']);
    expect(await found('payments bucket')).toEqual(['prod-payments-bucket']);
  });

  it('finds a node by its whole id, and ranks an exact name first', async () => {
    expect((await found(ids.toolingAdmin))[0]).toBe('tooling-admin');
    expect((await found('prod-deploy'))[0]).toBe('prod-deploy');
  });

  it('finds by tag and provider, and filters exactly', async () => {
    expect(await found('payments', { tag: ['data=payments'] })).toEqual(['prod-payments-bucket']);
    expect(await found('prod', { tag: ['env'] })).toEqual(['prod-payments-bucket']);
    expect(await found('prod', { tag: ['env=staging'] })).toEqual([]);
    const resources = await found('prod', { category: 'RESOURCE' });
    expect(resources.length).toBeGreaterThan(0);
    expect(resources).not.toContain('prod-deploy');
    expect(await found('deploy', { category: 'IDENTITY', kind: ['AwsUser'] })).toEqual(['ci-deploy']);
  });

  it('pages without skipping or repeating a hit, and refuses text without a word', async () => {
    const all = await found('prod');
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Json = (await gql(SEARCH, { text: 'prod', first: 2, after })).search;
      paged.push(...page.edges.map((e: Json) => e.node.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
    await expect(gql(SEARCH, { text: ' :: ' })).rejects.toThrow('at least one letter or digit');
  });
});

const BLAST = `query($id: ID!) {
  reachableFromSummary(identity: $id) {
    total byEnvironment { key count } bySensitivity { key count } byProvider { key count }
    byKind { key count } byLevel { key count } byHops { key count }
  }
}`;
const BLAST_ROWS = `query($id: ID!, $to: ResourceFilter, $levels: [AccessLevel!]) {
  reachableFrom(identity: $id, to: $to, levels: $levels, first: 100) { edges { node { to { name } length } } }
}`;
const WHO = `query($id: ID!) {
  whoCanReachSummary(resource: $id) {
    total nonHuman human byNhiType { key count } byLevel { key count } byHops { key count } byKind { key count }
  }
}`;
const WHO_ROWS = `query($id: ID!, $from: IdentityFilter, $levels: [AccessLevel!]) {
  whoCanReach(resource: $id, from: $from, levels: $levels, first: 100) { edges { node { from { name } length } } }
}`;

/** Every count of a summary equals the rows of the drill-down it names. */
async function checkDrillDowns() {
  for (const id of [ids.ciDeploy, ids.toolingAdmin]) {
    const summary = (await gql(BLAST, { id })).reachableFromSummary;
    const rows = async (to: Json, levels?: string[]) =>
      (await gql(BLAST_ROWS, { id, to, levels })).reachableFrom.edges.length;
    expect(summary.total).toBe(await rows(null));
    for (const { key, count } of summary.byEnvironment)
      expect(count).toBe(await rows({ environment: [key] }));
    for (const { key, count } of summary.bySensitivity)
      expect(count).toBe(await rows({ sensitivity: [key] }));
    for (const { key, count } of summary.byKind) expect(count).toBe(await rows({ kind: [key] }));
    for (const { key, count } of summary.byProvider) expect(count).toBe(await rows({ provider: [key] }));
    for (const { key, count } of summary.byLevel) expect(count).toBe(await rows(null, [key]));
  }
  const summary = (await gql(WHO, { id: ids.bucket })).whoCanReachSummary;
  const rows = async (from: Json, levels?: string[]) =>
    (await gql(WHO_ROWS, { id: ids.bucket, from, levels })).whoCanReach.edges.length;
  expect(summary.total).toBe(await rows(null));
  expect(summary.nonHuman).toBe(await rows({ nonHuman: true }));
  expect(summary.human).toBe(await rows({ nonHuman: false }));
  for (const { key, count } of summary.byNhiType) expect(count).toBe(await rows({ nhiType: [key] }));
  for (const { key, count } of summary.byLevel) expect(count).toBe(await rows(null, [key]));
  return summary;
}

describe('blast radius and who can reach, in counts', () => {
  it('without a summary: counts over the answer pages, equal to each drill-down', async () => {
    const who = await checkDrillDowns();
    expect(who).toMatchObject({ total: 6, nonHuman: 5, human: 1 });
    expect(who.byHops).toEqual([
      { key: '0', count: 2 },
      { key: '1', count: 2 },
      { key: '2', count: 2 },
    ]);
  });

  it('from the summary: the same counts, still equal to each drill-down', async () => {
    const before = await gql(BLAST, { id: ids.ciDeploy });
    const whoBefore = await gql(WHO, { id: ids.bucket });
    await computeReachability(executor, {});
    expect(await gql(BLAST, { id: ids.ciDeploy })).toEqual(before);
    expect(await gql(WHO, { id: ids.bucket })).toEqual(whoBefore);
    await checkDrillDowns();
    const blast = (await gql(BLAST, { id: ids.ciDeploy })).reachableFromSummary;
    expect(blast.total).toBe(3);
    expect(blast.byEnvironment).toEqual([
      { key: 'PRODUCTION', count: 2 },
      { key: 'STAGING', count: 1 },
    ]);
  });

  it('drill-down lists: non-human identities apart, and one row by both ends', async () => {
    const nonHuman = (await gql(WHO_ROWS, { id: ids.bucket, from: { nonHuman: true } })).whoCanReach;
    expect(names(nonHuman, 'from')).toEqual(
      ['billing-export', 'billing-export-role', 'ci-deploy', 'prod-deploy', 'tooling-admin'].sort(),
    );
    const one = (await gql(BLAST_ROWS, { id: ids.ciDeploy, to: { id: [ids.bucket] } })).reachableFrom;
    expect(one.edges.map((e: Json) => `${e.node.to.name} (${e.node.length - 1})`)).toEqual([
      'prod-payments-bucket (2)',
    ]);
  });
});

// ── Reports: new since, and what a run changed ───────────────────────────────────────────────
const RULE: RuleDeclaration = {
  id: 'nhi-without-owner',
  title: 'Non-human identity without an owner',
  category: 'hygiene',
  severity: 'low',
  description: 'Nobody owns it.',
  recommendation: 'Name an owner.',
  compliance: {},
  query: 'nhi-without-owner',
  parameters: {},
  references: [],
};
const finding = (name: string): Finding => ({
  fingerprint: `nhi-without-owner:${name}`,
  ruleId: RULE.id,
  title: RULE.title,
  category: RULE.category,
  severity: 'low',
  subject: { id: `arn:aws:iam::${A}:role/${name}`, kind: 'AwsRole', name, scope: `aws:${A}` },
  target: null,
  message: `${name} has no owner`,
  path: [],
  conditional: false,
  facts: {},
});

function report(id: string, at: string, findings: Finding[], suppressed: Finding[], previous: Json): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    generatedAt: at,
    job: null,
    graphRun: null,
    rules: [RULE],
    summary: summarize(findings, suppressed),
    diff: diffFindings(previous?.findings ?? null, [...findings, ...suppressed], previous, at),
    findings,
    suppressed,
    expiredSuppressions: [],
  };
}

describe('findings new since a report, and what a report changed', () => {
  let second: Report;
  beforeAll(async () => {
    const suppressed = { ...finding('c'), suppression: { reason: 'accepted', expires: '2099-01-01' } };
    await recordReport(
      executor,
      report('run-1', '2026-05-01T00:00:00.000Z', [finding('a'), finding('b')], [suppressed], null),
    );
    // b is gone, c's suppression was lifted (new again), d appeared.
    second = report(
      'run-2',
      '2026-05-02T00:00:00.000Z',
      [finding('a'), finding('c'), finding('d')],
      [],
      await lastReport(executor),
    );
    await recordReport(executor, second);
  }, 600_000);

  it('reportChanges lists what the diff counted, as each run saw it', async () => {
    const data = await gql(`{ reportChanges {
      report { id newCount resolvedCount } previous { id }
      added(first: 10) { edges { node { subject { name } status } } }
      removed(first: 10) { edges { node { subject { name } status } } }
    } }`);
    const changes = data.reportChanges;
    expect(changes.report).toEqual({ id: 'run-2', newCount: 2, resolvedCount: 1 });
    expect(changes.previous).toEqual({ id: 'run-1' });
    const subjects = (side: Json) => side.edges.map((e: Json) => e.node.subject.name).sort();
    expect(subjects(changes.added)).toEqual(second.diff.newFindings.map((f) => f.subject.name).sort());
    expect(subjects(changes.removed)).toEqual(second.diff.resolvedFindings.map((f) => f.subject.name).sort());
    expect(subjects(changes.added)).toEqual(['c', 'd']);
    expect(changes.removed.edges[0].node).toEqual({ subject: { name: 'b' }, status: 'RESOLVED' });
    const first = (
      await gql(
        `{ reportChanges(report: "run-1") { previous { id } added(first: 10) { edges { node { subject { name } } } } removed { edges { node { fingerprint } } } } }`,
      )
    ).reportChanges;
    expect(first.previous).toBeNull();
    expect(subjects(first.added)).toEqual(['a', 'b']);
    expect(first.removed.edges).toEqual([]);
  });

  it('findings(newSince) keeps what is open now and was not active in that report', async () => {
    const data = await gql(
      `{ findings(filter: {newSince: "run-1"}) { edges { node { subject { name } } } } }`,
    );
    expect(data.findings.edges.map((e: Json) => e.node.subject.name).sort()).toEqual(['c', 'd']);
    await expect(gql(`{ findings(filter: {newSince: "nope"}) { edges { cursor } } }`)).rejects.toThrow(
      'no report run with id "nope"',
    );
  });
});
