import neo4j from 'neo4j-driver';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { ensureSchema } from '../graph/schema.js';
import { toDateTime } from '../graph/values.js';
import { chunk } from '../util/collections.js';
import {
  type Finding,
  type Report,
  type RuleDeclaration,
  SEVERITIES,
  type Severity,
  severityRank,
} from './types.js';

/**
 * The finding store: every report run is a `ReportRun` node, every finding a `Finding` node merged
 * on its fingerprint, and `(ReportRun)-[:FOUND]->(Finding)` says which report saw it, with the
 * finding's detail as that report saw it (a JSON string: Neo4j properties cannot hold nested
 * maps). Scalar copies (rule, severity, subject, status…) on the Finding node serve filtering.
 *
 * Neither label is an inventory `Entity` and findings refer to nodes by id, not by relationship,
 * so the inventory's scoped cleanup never deletes or detaches them.
 */

export const FINDING_STATUSES = ['open', 'suppressed', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_STATUS_MEANINGS: Record<FindingStatus, string> = {
  open: 'The latest report found it and no suppression covers it.',
  suppressed: 'The latest report found it under an unexpired suppression (an accepted risk).',
  resolved: 'A later report that ran its rule no longer found it (see resolvedAt).',
};

/** A finding as the store holds it now: its latest detail and where it stands. */
export interface StoredFinding extends Finding {
  status: FindingStatus;
  /** The rule as it ran when the finding was last seen (effective severity and parameters). */
  rule: RuleDeclaration | null;
  firstSeen: string;
  lastSeen: string;
  /** The last report run that found it. */
  lastReportId: string;
  /** Its place in report order, the findings API's page cursor (see `sortKey`). */
  sortKey: string;
}

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

export interface FindingFilter {
  severity?: readonly Severity[] | null;
  ruleId?: readonly string[] | null;
  status?: readonly FindingStatus[] | null;
  /** Id of the finding's subject. */
  subject?: string | null;
  /** Id of the finding's target. */
  target?: string | null;
  /** Case-insensitive part of the subject's or the target's name. */
  nameContains?: string | null;
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
  const generatedAt = toDateTime(report.generatedAt);
  const seen = [...report.findings, ...report.suppressed];
  const rulesById = new Map(report.rules.map((r) => [r.id, r]));
  const findings = seen.map((finding) => findingRow(finding, rulesById.get(finding.ruleId) ?? null));
  const action = `recording report ${report.id}`;
  await executor.write(
    cypherFile('reports/record-run'),
    { id: report.id, generatedAt, props: runProperties(report), status: 'recording' },
    { action },
  );
  try {
    for (const batch of chunk(findings, RECORD_BATCH))
      await executor.write(
        cypherFile('reports/record-findings'),
        { reportId: report.id, generatedAt, findings: batch },
        { action },
      );
    await executor.transaction(
      'WRITE',
      async (tx) => {
        await tx.run(cypherFile('reports/resolve-missing').text, {
          ruleIds: report.rules.map((r) => r.id),
          reportId: report.id,
          generatedAt,
        });
        await tx.run(cypherFile('reports/finish-run').text, { id: report.id, status: 'succeeded' });
      },
      { action },
    );
  } catch (error) {
    await executor
      .write(cypherFile('reports/finish-run'), { id: report.id, status: 'failed' }, { action })
      .catch(() => undefined);
    throw error;
  }
  await executor.write(
    cypherFile('reports/prune-runs'),
    { job: report.job, keep: neo4j.int(keep) },
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
    let beforeTime: unknown = null;
    if (options.before !== undefined) {
      const before = await reportRunById(executor, options.before);
      if (!before) throw new Error(`no report run with id "${options.before}" to look before`);
      beforeTime = toDateTime(String(before.generatedAt));
    }
    const [row] = await executor.read<{ run: Record<string, unknown> }>(
      cypherFile('reports/last-report-run'),
      { job: options.job ?? null, beforeTime, beforeId: options.before ?? null },
      { action: 'reading the last report run' },
    );
    run = row?.run ?? null;
  }
  if (!run) return null;
  const id = String(run.id);
  const rows = await executor.read<{ detail: string; firstSeen: string | null; lastSeen: string | null }>(
    cypherFile('reports/report-findings'),
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
    cypherFile('reports/list-report-runs'),
    { limit: neo4j.int(Math.max(1, Math.floor(last))) },
    { action: 'listing report runs' },
  );
  return rows.map((row) => toRunRecord(row.run));
}

/**
 * Stored findings matching `filter`, in report order (most severe first, then rule id, subject
 * name), at most `limit`, starting after the sort key `after` (keyset paging: see `sortKey`).
 */
export async function listFindings(
  executor: GraphExecutor,
  filter: FindingFilter = {},
  page: { limit: number; after?: string | null } = { limit: 100 },
): Promise<StoredFinding[]> {
  const list = <T>(value: readonly T[] | null | undefined) => (value && value.length > 0 ? [...value] : null);
  const rows = await executor.read<{ finding: Record<string, unknown> }>(
    cypherFile('reports/list-findings'),
    {
      severities: list(filter.severity),
      ruleIds: list(filter.ruleId),
      statuses: list(filter.status),
      subject: filter.subject ?? null,
      target: filter.target ?? null,
      nameContains: filter.nameContains ? filter.nameContains.toLowerCase() : null,
      after: page.after ?? null,
      limit: neo4j.int(Math.max(0, Math.floor(page.limit))),
    },
    { action: 'listing findings' },
  );
  return rows.map((row) => toStoredFinding(row.finding));
}

/** When the store first saw each fingerprint it knows (for a report's firstSeen before it is recorded). */
export async function firstSeenOf(
  executor: GraphExecutor,
  fingerprints: readonly string[],
): Promise<Map<string, string>> {
  if (fingerprints.length === 0) return new Map();
  const rows = await executor.read<{ fingerprint: string; firstSeen: string | null }>(
    cypherFile('reports/finding-history'),
    { fingerprints: [...fingerprints] },
    { action: 'reading finding history' },
  );
  return new Map(rows.filter((r) => r.firstSeen).map((r) => [r.fingerprint, String(r.firstSeen)]));
}

/**
 * The order findings are listed in, as one string: severity (most severe first), rule id, subject
 * name, then the fingerprint, which makes every key unique so a page cursor is exact.
 */
export function sortKey(finding: Pick<Finding, 'severity' | 'ruleId' | 'subject' | 'fingerprint'>): string {
  return [
    SEVERITIES.length - 1 - severityRank(finding.severity),
    finding.ruleId,
    finding.subject.name,
    finding.fingerprint,
  ].join('|');
}

// ── Conversions ────────────────────────────────────────────────────────────────────────────────

const STORE_FIELDS = ['firstSeen', 'lastSeen', 'resolvedAt'] as const;

/** The finding as a report saw it, without the fields the store keeps itself. */
function detailOf(finding: Finding): string {
  const detail: Record<string, unknown> = { ...finding };
  for (const field of STORE_FIELDS) delete detail[field];
  return JSON.stringify(detail);
}

function findingRow(finding: Finding, rule: RuleDeclaration | null) {
  const suppressed = finding.suppression !== undefined;
  const detail = detailOf(finding);
  return {
    fingerprint: finding.fingerprint,
    detail,
    props: {
      ruleId: finding.ruleId,
      title: finding.title,
      category: finding.category,
      severity: finding.severity,
      subjectId: finding.subject.id,
      subjectName: finding.subject.name,
      subjectKind: finding.subject.kind,
      targetId: finding.target?.id ?? null,
      targetName: finding.target?.name ?? null,
      targetKind: finding.target?.kind ?? null,
      message: finding.message,
      conditional: finding.conditional,
      suppressed,
      status: suppressed ? 'suppressed' : 'open',
      sortKey: sortKey(finding),
      detail,
      rule: rule ? JSON.stringify(rule) : null,
    },
  };
}

function runProperties(report: Report): Record<string, unknown> {
  const int = (n: number) => neo4j.int(n);
  return {
    job: report.job,
    graphRunId: report.graphRun?.id ?? null,
    previousReportId: report.diff.previousReportId,
    total: int(report.summary.total),
    ...Object.fromEntries(SEVERITIES.map((s) => [s, int(report.summary.bySeverity[s] ?? 0)])),
    byRule: JSON.stringify(report.summary.byRule),
    suppressed: int(report.summary.suppressed),
    conditional: int(report.summary.conditional),
    newCount: int(report.diff.newFindings.length),
    resolvedCount: int(report.diff.resolvedFindings.length),
    unchangedCount: int(report.diff.unchangedCount),
    ruleIds: report.rules.map((r) => r.id),
  };
}

function parseDetail(detail: unknown, where: string): Finding {
  try {
    return JSON.parse(String(detail)) as Finding;
  } catch {
    throw new Error(
      `the finding store holds an unreadable finding (${where}): ${String(detail).slice(0, 80)}`,
    );
  }
}

async function reportRunById(executor: GraphExecutor, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await executor.read<{ run: Record<string, unknown> }>(
    cypherFile('reports/report-run'),
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

function toStoredFinding(props: Record<string, unknown>): StoredFinding {
  const fingerprint = String(props.fingerprint);
  const finding = parseDetail(props.detail, `finding ${fingerprint}`);
  const resolvedAt = strOrNull(props.resolvedAt);
  return {
    ...finding,
    status: (FINDING_STATUSES as readonly unknown[]).includes(props.status)
      ? (props.status as FindingStatus)
      : 'open',
    rule: props.rule ? (JSON.parse(String(props.rule)) as RuleDeclaration) : null,
    firstSeen: String(props.firstSeen),
    lastSeen: String(props.lastSeen),
    lastReportId: String(props.lastReportId),
    sortKey: String(props.sortKey),
    ...(resolvedAt ? { resolvedAt } : {}),
  };
}
