import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import {
  type Finding,
  type RuleDeclaration,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../reports/types.js';
import { pageLimit } from './page-limit.js';

/**
 * Finding records: every finding a report run sees is a `Finding` node merged on its fingerprint,
 * with scalar copies (rule, severity, subject, status…) for filtering and the detail as the last
 * report saw it (a JSON string: Neo4j properties cannot hold nested maps). Report runs write them
 * (report-runs.ts); the API and report diffs read them here.
 *
 * Findings are not inventory `Entity` nodes and refer to nodes by id, not by relationship, so the
 * inventory's scoped cleanup never deletes or detaches them.
 */

const cypher = (name: string) => cypherFile(`records/stored-findings/${name}`);

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
  /** The owner of the subject (docs/owners.md), as resolved. */
  owner?: string | null;
  /** True: only findings whose subject has no owner; false: only owned ones. */
  unowned?: boolean | null;
  /**
   * A report run id: only findings open now that were not active in that report (absent, or
   * suppressed then): new since it, as diffFindings (src/reports/diff.ts) counts new findings.
   */
  newSince?: string | null;
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
    cypher('list-findings'),
    {
      severities: list(filter.severity),
      ruleIds: list(filter.ruleId),
      statuses: list(filter.status),
      subject: filter.subject ?? null,
      target: filter.target ?? null,
      nameContains: filter.nameContains ? filter.nameContains.toLowerCase() : null,
      owner: filter.owner ?? null,
      unowned: filter.unowned ?? null,
      newSince: filter.newSince ?? null,
      after: page.after ?? null,
      limit: pageLimit(page.limit, 0),
    },
    { action: 'listing findings' },
  );
  return rows.map((row) => toStoredFinding(row.finding));
}

/**
 * What a report run changed against the report it was compared with (its previousReportId, null
 * for a first report), from the runs' FOUND links, as diffFindings (src/reports/diff.ts) decided
 * when the report ran: `added`, found active by `report` and not active in `previous` (absent, or
 * suppressed then), each as `report` saw it; `removed`, found by `previous` (active or suppressed)
 * and not at all by `report`, each as `previous` saw it. In report order, one page after `after`.
 */
export async function reportChanges(
  executor: GraphExecutor,
  change: { report: string; previous: string | null; side: 'added' | 'removed' },
  page: { limit: number; after?: string | null },
): Promise<StoredFinding[]> {
  const rows = await executor.read<{ finding: Record<string, unknown> }>(
    cypher(`changes-${change.side}`),
    {
      report: change.report,
      previous: change.previous,
      after: page.after ?? null,
      limit: pageLimit(page.limit, 0),
    },
    { action: `listing the findings report ${change.report} ${change.side}` },
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
    cypher('finding-history'),
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

const STORE_FIELDS = ['firstSeen', 'lastSeen', 'resolvedAt'] as const;

/** The finding as a report saw it, without the fields the store keeps itself. */
function detailOf(finding: Finding): string {
  const detail: Record<string, unknown> = { ...finding };
  for (const field of STORE_FIELDS) delete detail[field];
  return JSON.stringify(detail);
}

/** A finding as the record-findings Cypher writes it: the detail and its scalar copies. */
export function findingRow(finding: Finding, rule: RuleDeclaration | null) {
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
      owner: finding.owner ?? null,
      conditional: finding.conditional,
      suppressed,
      status: suppressed ? 'suppressed' : 'open',
      sortKey: sortKey(finding),
      detail,
      rule: rule ? JSON.stringify(rule) : null,
    },
  };
}

/** A finding's detail as stored; `where` names the record for the error. */
export function parseDetail(detail: unknown, where: string): Finding {
  try {
    return JSON.parse(String(detail)) as Finding;
  } catch {
    throw new Error(
      `the finding store holds an unreadable finding (${where}): ${String(detail).slice(0, 80)}`,
    );
  }
}

const strOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

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
