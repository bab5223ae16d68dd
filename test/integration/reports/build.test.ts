import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReportRuns } from '../../../src/records/report-runs.js';
import { listFindings } from '../../../src/records/stored-findings.js';
import { buildReport } from '../../../src/reports/build.js';
import type { Report } from '../../../src/reports/types.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// Reports built from the shipped rules over the hand-checked multi-account fixture, one after the
// other: the first makes everything new, an unchanged graph changes nothing, and switching a rule
// off, suppressing a finding or comparing with an older report each show in the diff and the store.

const executor = testExecutor();
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 6, minute));
const fingerprints = (findings: { fingerprint: string }[]) => findings.map((f) => f.fingerprint).sort();
let graphRunId = '';
let first: Report;
let second: Report;

beforeAll(async () => {
  await wipe(executor);
  const sync = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT });
  expect(sync.load.status).toBe('succeeded');
  graphRunId = sync.load.runId;
  first = await buildReport(executor, { now: at(0) });
  second = await buildReport(executor, { now: at(1) });
});
afterAll(() => executor.close());

describe('buildReport', () => {
  it('reports the fixture’s findings, every one new in the first report', () => {
    expect(first.findings.length).toBeGreaterThan(0);
    expect(first.graphRun?.id).toBe(graphRunId);
    expect(first.diff.previousReportId).toBeNull();
    expect(fingerprints(first.diff.newFindings)).toEqual(fingerprints(first.findings));
    expect(fingerprints(first.diff.newPaths)).toEqual(
      fingerprints(first.findings.filter((f) => f.category === 'reach')),
    );
    expect(first.summary.total).toBe(first.findings.length);
    expect(first.findings.every((f) => f.firstSeen === first.generatedAt)).toBe(true);
  });

  it('finds nothing new in an unchanged graph, and remembers when each finding was first seen', () => {
    expect(second.diff.previousReportId).toBe(first.id);
    expect(second.diff.newFindings).toEqual([]);
    expect(second.diff.resolvedFindings).toEqual([]);
    expect(second.diff.changedPaths).toEqual([]);
    expect(second.diff.unchangedCount).toBe(first.findings.length);
    expect(
      second.findings.every((f) => f.firstSeen === first.generatedAt && f.lastSeen === second.generatedAt),
    ).toBe(true);
  });

  it('records every report run', async () => {
    const runs = await listReportRuns(executor, 10);
    expect(runs.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(runs[0]).toMatchObject({
      graphRunId,
      total: second.summary.total,
      newCount: 0,
      previousReportId: first.id,
    });
  });

  it('neither resolves nor keeps the findings of a rule switched off', async () => {
    const ruleId = first.findings[0]?.ruleId ?? '';
    const third = await buildReport(executor, {
      now: at(2),
      config: { rules: { [ruleId]: { enabled: false } } },
    });
    expect(third.rules.map((r) => r.id)).not.toContain(ruleId);
    expect(third.findings.filter((f) => f.ruleId === ruleId)).toEqual([]);
    expect(third.diff.resolvedFindings).toEqual([]);
    expect(third.diff.newFindings).toEqual([]);
    const stored = await listFindings(executor, { ruleId: [ruleId] }, { limit: 1000 });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((f) => f.status === 'open')).toBe(true);
  });

  it('moves a suppressed finding out of the active list without calling it new or resolved', async () => {
    const target = second.findings[0];
    if (!target) throw new Error('no finding to suppress');
    const file = join(mkdtempSync(join(tmpdir(), 'reachgraph-suppressions-')), 'suppressions.yaml');
    writeFileSync(
      file,
      `- fingerprint: ${target.fingerprint}\n  reason: accepted for the test\n  expires: '2099-12-31'\n`,
    );
    // Compared with the second report (the third ran with a rule switched off).
    const report = await buildReport(executor, { now: at(3), suppressionsFile: file, since: second.id });
    expect(fingerprints(report.suppressed)).toEqual([target.fingerprint]);
    expect(report.findings.map((f) => f.fingerprint)).not.toContain(target.fingerprint);
    expect(report.summary.suppressed).toBe(1);
    expect(report.summary.total).toBe(second.summary.total - 1);
    expect(report.diff.newFindings).toEqual([]);
    expect(report.diff.resolvedFindings).toEqual([]);
    expect(fingerprints(await listFindings(executor, { status: ['suppressed'] }))).toEqual([
      target.fingerprint,
    ]);

    // Once the suppression has expired the finding is active again, and new, since it was not active before.
    const later = await buildReport(executor, {
      now: new Date('2100-01-02T00:00:00Z'),
      suppressionsFile: file,
    });
    expect(later.expiredSuppressions.map((s) => s.fingerprint)).toEqual([target.fingerprint]);
    expect(fingerprints(later.diff.newFindings)).toContain(target.fingerprint);
  });

  it('compares with an older report when asked, and names an unknown one', async () => {
    const report = await buildReport(executor, { now: at(5), since: first.id, record: false });
    expect(report.diff.previousReportId).toBe(first.id);
    expect(report.diff.previousGeneratedAt).toBe(first.generatedAt);
    await expect(buildReport(executor, { since: 'report-nope', record: false })).rejects.toThrow(
      /no report run with id "report-nope".*latest are: report-/,
    );
  });

  it('writes nothing when asked not to record', async () => {
    const before = (await listReportRuns(executor, 100)).length;
    await buildReport(executor, { now: at(6), record: false });
    expect((await listReportRuns(executor, 100)).length).toBe(before);
  });
});
