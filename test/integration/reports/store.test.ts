import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/graph/loader.js';
import { parseInventoryText } from '../../../src/model/validate.js';
import { lastReport, listReportRuns, recordReport } from '../../../src/records/report-runs.js';
import { firstSeenOf, listFindings } from '../../../src/records/stored-findings.js';
import { diffFindings } from '../../../src/reports/diff.js';
import { summarize } from '../../../src/reports/summary.js';
import {
  type Finding,
  type FindingHop,
  type NodeRef,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleDeclaration,
  type Severity,
} from '../../../src/reports/types.js';
import { testExecutor, wipe } from '../../helpers/graph.js';

// The finding store against a real Neo4j, with the sample estate loaded: reports recorded one after
// the other keep each finding's history (firstSeen, lastSeen, resolvedAt), each report's own view of
// its findings, and survive a failed write and the inventory's scoped cleanup.

const executor = testExecutor();
const SAMPLE = new URL('../../../examples/sample-inventory.json', import.meta.url);

const A = '111111111111';
const B = '222222222222';
const ref = (id: string, kind: string, name: string, scope: string | null): NodeRef => ({
  id,
  kind,
  name,
  scope,
});
const ciDeploy = ref(`arn:aws:iam::${A}:user/ci-deploy`, 'AwsUser', 'ci-deploy', `aws:${A}`);
const toolingAdmin = ref(`arn:aws:iam::${A}:role/tooling-admin`, 'AwsRole', 'tooling-admin', `aws:${A}`);
const prodDeploy = ref(`arn:aws:iam::${B}:role/prod-deploy`, 'AwsRole', 'prod-deploy', `aws:${B}`);
const bucket = ref('arn:aws:s3:::prod-payments-bucket', 'AwsS3Bucket', 'prod-payments-bucket', `aws:${B}`);
const alice = ref(`arn:aws:iam::${A}:user/alice`, 'AwsUser', 'alice', `aws:${A}`);

function rule(id: string, category: RuleDeclaration['category'], severity: Severity): RuleDeclaration {
  return {
    id,
    title: `Rule ${id}`,
    category,
    severity,
    description: `What ${id} looks for.`,
    recommendation: `How to fix ${id}.`,
    compliance: { soc2: ['CC6.1'], iso27001: ['A.5.15'] },
    query: id,
    parameters: {},
    references: [],
  };
}
const REACH = rule('nhi-reaches-production', 'reach', 'high');
const KEYS = rule('access-key-not-rotated', 'credentials', 'medium');

function hop(from: NodeRef, type: string, to: NodeRef, levels: string[] = []): FindingHop {
  return {
    from,
    to,
    type,
    technique: null,
    levels,
    reason: `${from.name} ${type} ${to.name}`,
    evidence: [
      { source: 'trust-policy', ref: to.id, statement: 'AllowAssume', reason: 'trust policy allows it' },
    ],
    conditional: false,
  };
}

function reachFinding(subject: NodeRef, path: FindingHop[], severity: Severity = 'high'): Finding {
  return {
    fingerprint: `reach-${subject.name}`,
    ruleId: REACH.id,
    title: REACH.title,
    category: 'reach',
    severity,
    subject,
    target: bucket,
    message: `${subject.name} can write prod-payments-bucket`,
    path,
    conditional: false,
    facts: { levels: 'read,write', hops: path.length },
  };
}

function keyFinding(subject: NodeRef): Finding {
  return {
    fingerprint: `keys-${subject.name}`,
    ruleId: KEYS.id,
    title: KEYS.title,
    category: 'credentials',
    severity: 'medium',
    subject,
    target: null,
    message: `${subject.name} has an access key 400 days old`,
    path: [],
    conditional: false,
    facts: { ageDays: 400, accessKeyId: 'AKIAEXAMPLECIDEPLOY01', active: true, lastUsed: null },
  };
}

const viaTooling = [
  hop(ciDeploy, 'CAN_ASSUME', toolingAdmin),
  hop(toolingAdmin, 'CAN_ASSUME', prodDeploy),
  hop(prodDeploy, 'CAN_ACCESS', bucket, ['read', 'write']),
];
const direct = [hop(ciDeploy, 'CAN_ASSUME', prodDeploy), hop(prodDeploy, 'CAN_ACCESS', bucket, ['write'])];

/** A report as buildReport makes one: diffed against the previous one, summarised. */
function report(
  id: string,
  generatedAt: string,
  findings: Finding[],
  options: {
    previous?: { id: string; generatedAt: string; findings: Finding[] } | null;
    suppressed?: Finding[];
    rules?: RuleDeclaration[];
    job?: string;
  } = {},
): Report {
  const suppressed = options.suppressed ?? [];
  const previous = options.previous ?? null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    generatedAt,
    job: options.job ?? null,
    graphRun: null,
    rules: options.rules ?? [REACH, KEYS],
    summary: summarize(findings, suppressed),
    diff: diffFindings(previous?.findings ?? null, [...findings, ...suppressed], previous, generatedAt),
    findings,
    suppressed,
    expiredSuppressions: [],
  };
}

const T1 = '2026-03-01T06:00:00.000Z';
const T2 = '2026-03-02T06:00:00.000Z';
const T3 = '2026-03-03T06:00:00.000Z';

async function findingNode(fingerprint: string) {
  const [row] = await executor.read<{ f: Record<string, unknown> }>(
    'MATCH (f:Finding {fingerprint: $fingerprint}) RETURN f {.*} AS f',
    { fingerprint },
  );
  return row?.f ?? null;
}

beforeAll(async () => {
  await wipe(executor);
  await loadInventory(executor, parseInventoryText(readFileSync(SAMPLE, 'utf8'), 'sample'));
});
afterAll(() => executor.close());

describe('the finding store', () => {
  const first = report('report-1', T1, [reachFinding(ciDeploy, viaTooling), keyFinding(ciDeploy)], {
    suppressed: [
      { ...keyFinding(alice), suppression: { reason: 'break-glass user', expires: '2099-12-31' } },
    ],
  });

  it('records a first report and reads it back as it was written', async () => {
    await recordReport(executor, first);
    const read = await lastReport(executor);
    expect(read?.id).toBe('report-1');
    expect(read?.generatedAt).toBe(T1);
    const byFingerprint = new Map(read?.findings.map((f) => [f.fingerprint, f]));
    expect([...byFingerprint.keys()].sort()).toEqual(['keys-alice', 'keys-ci-deploy', 'reach-ci-deploy']);
    // Active and suppressed findings both come back, the suppressed one still saying so.
    for (const written of [...first.findings, ...first.suppressed])
      expect(byFingerprint.get(written.fingerprint)).toEqual({ ...written, firstSeen: T1, lastSeen: T1 });
  });

  it('declares the uniqueness constraints the store merges on', async () => {
    const names = (await executor.read<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name')).map(
      (r) => r.name,
    );
    expect(names).toEqual(expect.arrayContaining(['Finding_fingerprint_unique', 'ReportRun_id_unique']));
  });

  it('stores scalar copies for filtering and the status of every finding', async () => {
    const reach = await findingNode('reach-ci-deploy');
    expect(reach).toMatchObject({
      ruleId: REACH.id,
      severity: 'high',
      subjectId: ciDeploy.id,
      targetId: bucket.id,
      status: 'open',
      suppressed: false,
      firstSeen: T1,
      lastSeen: T1,
      lastReportId: 'report-1',
    });
    expect(reach?.resolvedAt ?? null).toBeNull();
    expect(JSON.parse(String(reach?.rule))).toEqual(REACH);
    expect((await findingNode('keys-alice'))?.status).toBe('suppressed');
  });

  describe('a second report', () => {
    let previous: Awaited<ReturnType<typeof lastReport>>;
    let second: Report;

    beforeAll(async () => {
      previous = await lastReport(executor);
      if (!previous) throw new Error('the first report was not recorded');
      // ci-deploy now reaches the bucket directly; its old key was rotated; alice's suppression stays.
      second = report('report-2', T2, [reachFinding(ciDeploy, direct)], {
        previous,
        suppressed: first.suppressed,
      });
      await recordReport(executor, second);
    });

    it('diffs against the stored previous report', () => {
      expect(second.diff.previousReportId).toBe('report-1');
      expect(second.diff.newFindings).toEqual([]);
      expect(second.diff.resolvedFindings.map((f) => f.fingerprint)).toEqual(['keys-ci-deploy']);
      expect(second.diff.changedPaths.map((c) => [c.before.path.length, c.after.path.length])).toEqual([
        [3, 2],
      ]);
    });

    it('keeps firstSeen, moves lastSeen and resolves what it no longer found', async () => {
      expect(await findingNode('reach-ci-deploy')).toMatchObject({
        firstSeen: T1,
        lastSeen: T2,
        status: 'open',
        lastReportId: 'report-2',
      });
      expect(await findingNode('keys-ci-deploy')).toMatchObject({
        firstSeen: T1,
        lastSeen: T1,
        resolvedAt: T2,
        status: 'resolved',
      });
    });

    it('keeps each report’s own view of its findings', async () => {
      const old = await lastReport(executor, { id: 'report-1' });
      const now = await lastReport(executor, { id: 'report-2' });
      const route = (r: typeof old) =>
        r?.findings
          .find((f) => f.fingerprint === 'reach-ci-deploy')
          ?.path.map((h) => h.to.name)
          .join(' > ');
      expect(route(old)).toBe('tooling-admin > prod-deploy > prod-payments-bucket');
      expect(route(now)).toBe('prod-deploy > prod-payments-bucket');
      expect(now?.findings.map((f) => f.fingerprint).sort()).toEqual(['keys-alice', 'reach-ci-deploy']);
    });

    it('finds the report before another one, and refuses an unknown one', async () => {
      expect((await lastReport(executor, { before: 'report-2' }))?.id).toBe('report-1');
      expect(await lastReport(executor, { before: 'report-1' })).toBeNull();
      expect(await lastReport(executor, { id: 'report-0' })).toBeNull();
      await expect(lastReport(executor, { before: 'report-0' })).rejects.toThrow(/report-0/);
    });

    it('lists report runs newest first with their counts', async () => {
      const runs = await listReportRuns(executor, 10);
      expect(runs.map((r) => r.id)).toEqual(['report-2', 'report-1']);
      expect(runs[1]).toMatchObject({
        generatedAt: T1,
        job: null,
        previousReportId: null,
        total: 2,
        bySeverity: { critical: 0, high: 1, medium: 1, low: 0, info: 0 },
        byRule: { [KEYS.id]: 1, [REACH.id]: 1 },
        suppressed: 1,
        newCount: 2,
        resolvedCount: 0,
      });
      expect(runs[0]).toMatchObject({
        previousReportId: 'report-1',
        total: 1,
        newCount: 0,
        resolvedCount: 1,
      });
      expect(await listReportRuns(executor, 1)).toHaveLength(1);
    });

    it('tells when it first saw each fingerprint', async () => {
      const seen = await firstSeenOf(executor, ['reach-ci-deploy', 'keys-ci-deploy', 'never-seen']);
      expect(Object.fromEntries(seen)).toEqual({ 'reach-ci-deploy': T1, 'keys-ci-deploy': T1 });
    });
  });

  describe('a third report', () => {
    beforeAll(async () => {
      const previous = await lastReport(executor);
      // The old key is back; only the keys rule ran, so the reach finding is not resolved by its absence.
      await recordReport(
        executor,
        report('report-3', T3, [keyFinding(ciDeploy)], { previous, rules: [KEYS], job: 'nightly' }),
      );
    });

    it('brings a resolved finding back open, firstSeen kept and resolvedAt cleared', async () => {
      const node = await findingNode('keys-ci-deploy');
      expect(node).toMatchObject({ firstSeen: T1, lastSeen: T3, status: 'open' });
      expect(node?.resolvedAt ?? null).toBeNull();
    });

    it('resolves nothing of rules that did not run', async () => {
      expect(await findingNode('reach-ci-deploy')).toMatchObject({ status: 'open', lastSeen: T2 });
      expect((await findingNode('keys-alice'))?.status).toBe('resolved');
    });

    it('finds the last report of one job', async () => {
      expect((await lastReport(executor, { job: 'nightly' }))?.id).toBe('report-3');
      expect(await lastReport(executor, { job: 'weekly' })).toBeNull();
      expect((await lastReport(executor))?.id).toBe('report-3');
    });
  });

  describe('listing findings', () => {
    it('filters by severity, rule, status, subject and name', async () => {
      const fps = async (filter: Parameters<typeof listFindings>[1]) =>
        (await listFindings(executor, filter)).map((f) => f.fingerprint);
      expect(await fps({})).toEqual(['reach-ci-deploy', 'keys-alice', 'keys-ci-deploy']);
      expect(await fps({ severity: ['medium'] })).toEqual(['keys-alice', 'keys-ci-deploy']);
      expect(await fps({ ruleId: [REACH.id] })).toEqual(['reach-ci-deploy']);
      expect(await fps({ status: ['resolved'] })).toEqual(['keys-alice']);
      expect(await fps({ status: ['open', 'suppressed'] })).toEqual(['reach-ci-deploy', 'keys-ci-deploy']);
      expect(await fps({ subject: alice.id })).toEqual(['keys-alice']);
      expect(await fps({ target: bucket.id })).toEqual(['reach-ci-deploy']);
      expect(await fps({ nameContains: 'PAYMENTS' })).toEqual(['reach-ci-deploy']);
      expect(await fps({ nameContains: 'ALI' })).toEqual(['keys-alice']);
    });

    it('returns the latest detail with the store’s history, page by page', async () => {
      const [page1] = await listFindings(executor, {}, { limit: 1 });
      expect(page1).toMatchObject({
        fingerprint: 'reach-ci-deploy',
        status: 'open',
        firstSeen: T1,
        lastSeen: T2,
        lastReportId: 'report-2',
        rule: REACH,
      });
      expect(page1?.path).toHaveLength(2);
      const rest = await listFindings(executor, {}, { limit: 10, after: page1?.sortKey ?? null });
      expect(rest.map((f) => f.fingerprint)).toEqual(['keys-alice', 'keys-ci-deploy']);
      expect(rest[0]?.resolvedAt).toBe(T3);
    });
  });

  it('never reads back a report whose recording failed: the previous report stays the latest', async () => {
    const findingsBefore = await executor.read<{ n: number }>('MATCH (f:Finding) RETURN count(f) AS n');
    // A property value Neo4j refuses (a map), in the batch of findings.
    const broken = keyFinding({ ...alice, name: { nested: true } as unknown as string, id: 'broken' });
    const failing = report('report-broken', '2026-03-04T06:00:00.000Z', [keyFinding(ciDeploy), broken]);
    await expect(recordReport(executor, failing)).rejects.toThrow(
      /^recording report report-broken: .*(Property values|map)/,
    );
    expect((await lastReport(executor))?.id).toBe('report-3');
    expect(await lastReport(executor, { id: 'report-broken' })).toBeNull();
    expect((await listReportRuns(executor, 10)).map((r) => r.id)).not.toContain('report-broken');
    // The run is kept as failed, with nothing linked to it; its batch of findings wrote nothing.
    expect(
      await executor.read(
        'MATCH (r:ReportRun {id: $id}) RETURN r.status AS status, COUNT { (r)-[:FOUND]->() } AS found',
        {
          id: 'report-broken',
        },
      ),
    ).toEqual([{ status: 'failed', found: 0 }]);
    expect(await executor.read('MATCH (f:Finding) RETURN count(f) AS n')).toEqual(findingsBefore);
    expect((await findingNode('keys-ci-deploy'))?.lastSeen).toBe(T3);
  });

  it('records a report of more findings than one write batch holds', async () => {
    const many = Array.from({ length: 4_500 }, (_, i) =>
      keyFinding(ref(`arn:aws:iam::${A}:user/bulk-${i}`, 'AwsUser', `bulk-${i}`, `aws:${A}`)),
    );
    const bulk = report('report-bulk', '2026-03-05T06:00:00.000Z', many, { rules: [KEYS], job: 'bulk' });
    await recordReport(executor, bulk);
    const stored = await lastReport(executor, { id: 'report-bulk' });
    expect(stored?.findings).toHaveLength(4_500);
    // Every finding of the rule the bulk report did not find is resolved by it.
    expect((await findingNode('keys-ci-deploy'))?.resolvedAt).toBe('2026-03-05T06:00:00.000Z');
    // Put the store back as the next test expects it: report-3 the latest of no job.
    await executor.write(
      'MATCH (r:ReportRun {id: $id}) OPTIONAL MATCH (r)-[:FOUND]->(f:Finding) DETACH DELETE r, f',
      { id: 'report-bulk' },
    );
  });

  it('keeps the newest report runs of a job and deletes older ones and failed ones, findings kept', async () => {
    const at = (day: number) => `2026-04-0${day}T06:00:00.000Z`;
    const runsOf = async () =>
      (
        await executor.read<{ id: string }>(
          'MATCH (r:ReportRun {job: "retention"}) RETURN r.id AS id ORDER BY r.generatedAt',
        )
      ).map((r) => r.id);
    await recordReport(executor, report('keep-1', at(1), [keyFinding(alice)], { job: 'retention' }));
    // A recording that fails (a map is no property value) leaves a failed run behind…
    const broken = keyFinding({ ...alice, name: { nested: true } as unknown as string, id: 'x' });
    await expect(
      recordReport(executor, report('keep-failed', at(2), [broken], { job: 'retention' })),
    ).rejects.toThrow();
    await recordReport(executor, report('keep-3', at(3), [keyFinding(alice)], { job: 'retention' }), {
      keep: 2,
    });
    // …which the next successful recording removes; two succeeded runs are within the bound.
    expect(await runsOf()).toEqual(['keep-1', 'keep-3']);
    await recordReport(executor, report('keep-4', at(4), [keyFinding(alice)], { job: 'retention' }), {
      keep: 2,
    });
    expect(await runsOf()).toEqual(['keep-3', 'keep-4']);
    // Runs of other jobs are untouched, and the finding keeps its history from the deleted run.
    expect((await listReportRuns(executor, 10)).map((r) => r.id)).toContain('report-3');
    const finding = await executor.read<{ firstSeen: string }>(
      'MATCH (f:Finding {fingerprint: "keys-alice"}) RETURN toString(f.firstSeen) AS firstSeen',
    );
    expect(finding).toHaveLength(1);
    await expect(recordReport(executor, report('keep-5', at(5), []), { keep: 0 })).rejects.toThrow(
      /positive integer/,
    );
    await executor.write('MATCH (r:ReportRun {job: "retention"}) DETACH DELETE r');
  });

  it('survives the inventory’s scoped cleanup when a changed inventory is loaded', async () => {
    const inventory = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    // ci-deploy and its key are gone from the tooling account, which was collected completely.
    const gone = new Set([ciDeploy.id, 'aws:key:AKIAEXAMPLECIDEPLOY01']);
    inventory.nodes = inventory.nodes.filter((n: { id: string }) => !gone.has(n.id));
    inventory.relationships = inventory.relationships.filter(
      (r: { from: string; to: string }) => !gone.has(r.from) && !gone.has(r.to),
    );
    const result = await loadInventory(executor, parseInventoryText(JSON.stringify(inventory), 'changed'));
    expect(result.status).toBe('succeeded');
    // Cleanup did run: the user is gone from the graph…
    expect(await executor.read('MATCH (n:AwsUser {id: $id}) RETURN n', { id: ciDeploy.id })).toEqual([]);
    // …while every report run, finding and FOUND link is still there, the findings about it included.
    const runs = await listReportRuns(executor, 10);
    expect(runs.map((r) => r.id)).toEqual(['report-3', 'report-2', 'report-1']);
    expect((await findingNode('reach-ci-deploy'))?.subjectId).toBe(ciDeploy.id);
    const found = await executor.read<{ id: string; n: number }>(
      'MATCH (r:ReportRun)-[:FOUND]->(:Finding) RETURN r.id AS id, count(*) AS n ORDER BY id',
    );
    expect(found).toEqual([
      { id: 'report-1', n: 3 },
      { id: 'report-2', n: 2 },
      { id: 'report-3', n: 1 },
    ]);
  });
});
