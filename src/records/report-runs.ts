import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { ensureSchema } from '../graph/schema.js';
import { type Finding, type Report, SEVERITIES, type Severity } from '../reports/types.js';
import { chunk } from '../util/collections.js';
import { pageLimit } from './page-limit.js';
import { findingRow, parseDetail } from './stored-findings.js';

/**
 * Report run records: every report run is a `ReportRun` node, and `(ReportRun)-[:FOUND]->(Finding)`
 * says which findings it saw (see stored-findings.ts), with each finding's detail as that report
 * saw it. A `ReportRun` is not an inventory `Entity`, so the inventory's cleanup never touches it.
 */

const cypher = (name: string) => cypherFile(`records/report-runs/${name}`);

/** A report run as recorded: when, for which job, and its counts. */
export interface ReportRunRecord {
  id: string;
  generatedAt: string;
  job: string | null;
  status: string;
  /** The collection run the report described. */
  graphRunId: string | null;
  /** The report it was compared against. */
  previousReportId: string | null;
  /** Active findings, by severity and by rule. */
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  suppressed: number;
  conditional: number;
  newCount: number;
  resolvedCount: number;
  unchangedCount: number;
}

/** Findings per write transaction: a report of tens of thousands stays within transaction memory. */
const RECORD_BATCH = 2_000;
/** Report runs kept per job by default: a month of daily reports to diff against with `since`. */
export const DEFAULT_KEEP_REPORTS = 30;

export interface RecordOptions {
  /**
   * Succeeded report runs of the report's job to keep, this one included (default 30); older ones
   * are deleted with their view of their findings. Finding nodes, with their history, stay.
   */
  keep?: number;
}

/**
 * Records a report: the run (status `recording`), its findings (active and suppressed) merged on
 * fingerprint in batches, the resolution of stored findings it no longer found, then the run marked
 * `succeeded`. Only succeeded runs are ever read back (diffs, `since`, the API), so a recording that
 * fails half-way leaves the previous report the latest: the run is marked `failed` when possible,
 * and the Finding nodes it touched are set right by the next recorded report.
 */
export async function recordReport(
  executor: GraphExecutor,
  report: Report,
  options: RecordOptions = {},
): Promise<void> {
  const keep = options.keep ?? DEFAULT_KEEP_REPORTS;
  if (!Number.isSafeInteger(keep) || keep < 1)
    throw new Error(`the number of report runs to keep must be a positive integer, got ${keep}`);
  await ensureSchema(executor);
  const generatedAt = new Date(report.generatedAt);
  const seen = [...report.findings, ...report.suppressed];
  const rulesById = new Map(report.rules.map((r) => [r.id, r]));
  const findings = seen.map((finding) => findingRow(finding, rulesById.get(finding.ruleId) ?? null));
  const action = `recording report ${report.id}`;
  await executor.write(
    cypher('record-run'),
    { id: report.id, generatedAt, props: runProperties(report), status: 'recording' },
    { action },
  );
  try {
    for (const batch of chunk(findings, RECORD_BATCH))
      await executor.write(
        cypher('record-findings'),
        { reportId: report.id, generatedAt, findings: batch },
        { action },
      );
    await executor.transaction(
      'WRITE',
      async (tx) => {
        await tx.run(cypher('resolve-missing'), {
          ruleIds: report.rules.map((r) => r.id),
          reportId: report.id,
          generatedAt,
        });
        await tx.run(cypher('finish-run'), { id: report.id, status: 'succeeded' });
      },
      { action },
    );
  } catch (error) {
    await executor
      .write(cypher('finish-run'), { id: report.id, status: 'failed' }, { action })
      .catch(() => undefined);
    throw error;
  }
  await executor.write(
    cypher('prune-runs'),
    { job: report.job, keep },
    { action: `keeping the newest ${keep} report runs` },
  );
}

/**
 * A recorded report with the findings it found (active and suppressed; suppressed ones carry
 * `suppression`), each with the detail as that report saw it. Which report:
 * - `id`: exactly that one (null when unknown);
 * - otherwise the latest, of `job` when given, generated before the report `before` when given
 *   (an unknown `before` id is an error).
 */
export async function lastReport(
  executor: GraphExecutor,
  options: { job?: string; before?: string; id?: string } = {},
): Promise<{ id: string; generatedAt: string; findings: Finding[] } | null> {
  let run: Record<string, unknown> | null;
  if (options.id !== undefined) {
    run = await reportRunById(executor, options.id);
  } else {
    let beforeTime: Date | null = null;
    if (options.before !== undefined) {
      const before = await reportRunById(executor, options.before);
      if (!before) throw new Error(`no report run with id "${options.before}" to look before`);
      beforeTime = new Date(String(before.generatedAt));
    }
    const [row] = await executor.read<{ run: Record<string, unknown> }>(
      cypher('last-report-run'),
      { job: options.job ?? null, beforeTime, beforeId: options.before ?? null },
      { action: 'reading the last report run' },
    );
    run = row?.run ?? null;
  }
  if (!run) return null;
  const id = String(run.id);
  const rows = await executor.read<{ detail: string; firstSeen: string | null; lastSeen: string | null }>(
    cypher('report-findings'),
    { id },
    { action: `reading the findings of report ${id}` },
  );
  const findings = rows.map((row) => ({
    ...parseDetail(row.detail, id),
    ...(row.firstSeen ? { firstSeen: row.firstSeen } : {}),
    ...(row.lastSeen ? { lastSeen: row.lastSeen } : {}),
  }));
  return { id, generatedAt: String(run.generatedAt), findings };
}

/** The most recent report runs, newest first. */
export async function listReportRuns(executor: GraphExecutor, last: number): Promise<ReportRunRecord[]> {
  const rows = await executor.read<{ run: Record<string, unknown> }>(
    cypher('list-report-runs'),
    { limit: pageLimit(last) },
    { action: 'listing report runs' },
  );
  return rows.map((row) => toRunRecord(row.run));
}

/** One succeeded report run by id; null when there is none. */
export async function reportRun(executor: GraphExecutor, id: string): Promise<ReportRunRecord | null> {
  const run = await reportRunById(executor, id);
  return run ? toRunRecord(run) : null;
}

// ── Conversions ────────────────────────────────────────────────────────────────────────────────

function runProperties(report: Report): Record<string, unknown> {
  return {
    job: report.job,
    graphRunId: report.graphRun?.id ?? null,
    previousReportId: report.diff.previousReportId,
    total: report.summary.total,
    ...Object.fromEntries(SEVERITIES.map((s) => [s, report.summary.bySeverity[s] ?? 0])),
    byRule: JSON.stringify(report.summary.byRule),
    suppressed: report.summary.suppressed,
    conditional: report.summary.conditional,
    newCount: report.diff.newFindings.length,
    resolvedCount: report.diff.resolvedFindings.length,
    unchangedCount: report.diff.unchangedCount,
    ruleIds: report.rules.map((r) => r.id),
  };
}

async function reportRunById(executor: GraphExecutor, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await executor.read<{ run: Record<string, unknown> }>(
    cypher('report-run'),
    { id },
    { action: `reading report run ${id}` },
  );
  return row?.run ?? null;
}

const num = (value: unknown) => (typeof value === 'number' ? value : 0);
const strOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

function toRunRecord(run: Record<string, unknown>): ReportRunRecord {
  return {
    id: String(run.id),
    generatedAt: String(run.generatedAt),
    job: strOrNull(run.job),
    status: String(run.status ?? 'succeeded'),
    graphRunId: strOrNull(run.graphRunId),
    previousReportId: strOrNull(run.previousReportId),
    total: num(run.total),
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, num(run[s])])) as Record<Severity, number>,
    byRule: JSON.parse(strOrNull(run.byRule) ?? '{}') as Record<string, number>,
    suppressed: num(run.suppressed),
    conditional: num(run.conditional),
    newCount: num(run.newCount),
    resolvedCount: num(run.resolvedCount),
    unchangedCount: num(run.unchangedCount),
  };
}
