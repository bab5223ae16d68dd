import { type Finding, type NodeRef, type Report, type Severity, severityRank } from '../types.js';

/**
 * The content of an alert, independent of the sink: the versioned JSON the generic webhook posts
 * as is, and what the Slack and email renderers format. The outbox stores this payload, so a
 * pending alert is re-rendered for its sink when it is retried.
 */

export const ALERT_PAYLOAD_SCHEMA_VERSION = 1;
export const ALERT_EVENTS = ['report.new-findings', 'job.failed'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** A finding as alerts carry it: enough to act on, the full detail stays in the report. */
export interface AlertFinding {
  fingerprint: string;
  ruleId: string;
  title: string;
  severity: Severity;
  category: Finding['category'];
  subject: NodeRef;
  target: NodeRef | null;
  message: string;
  /** The route in one line, node names joined by " → " ("ci-deploy → prod-deploy → prod-data"); null without a path. */
  path: string | null;
  conditional: boolean;
  /** The subject's owner and its alert route (docs/owners.md), when it has one. */
  owner?: string;
  ownerRoute?: string;
}

export interface AlertPayload {
  schemaVersion: typeof ALERT_PAYLOAD_SCHEMA_VERSION;
  event: AlertEvent;
  /** The report the findings come from; null for job.failed. */
  reportId: string | null;
  /** When the report was generated, or when the failure was reported. */
  generatedAt: string;
  /** Scheduler job name, when a job produced the report or failed. */
  job: string | null;
  /** The report this one was diffed against (report.new-findings only). */
  previousReportId?: string | null;
  /** New, unsuppressed findings at or above the threshold, most severe first; empty for job.failed. */
  findings: AlertFinding[];
  /** The lowest severity that alerts (report.new-findings only). */
  minSeverity?: Severity;
  /** Why the job failed (job.failed only). */
  error?: { message: string };
}

/**
 * The findings that alert: new since the previous report (report.diff.newFindings), not covered by
 * a suppression, at or above `minSeverity`; most severe first, diff order otherwise.
 */
export function alertableFindings(report: Report, minSeverity: Severity): Finding[] {
  const suppressed = new Set(report.suppressed.map((finding) => finding.fingerprint));
  const threshold = severityRank(minSeverity);
  return report.diff.newFindings
    .filter((finding) => finding.suppression === undefined && !suppressed.has(finding.fingerprint))
    .filter((finding) => severityRank(finding.severity) >= threshold)
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** "a → b → c" from a finding's hops; null when it has no path. */
export function pathLine(finding: Finding): string | null {
  const first = finding.path[0];
  if (!first) return null;
  return [first.from.name, ...finding.path.map((hop) => hop.to.name)].join(' → ');
}

export function compactFinding(finding: Finding): AlertFinding {
  return {
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    category: finding.category,
    subject: finding.subject,
    target: finding.target,
    message: finding.message,
    path: pathLine(finding),
    conditional: finding.conditional,
    ...(finding.owner ? { owner: finding.owner } : {}),
    ...(finding.ownerRoute ? { ownerRoute: finding.ownerRoute } : {}),
  };
}

/**
 * What one sink receives (docs/owners.md): a sink routed to owners in `alerts.owners` gets only
 * the findings of identities those owners own (by alert route or owner name) and no job alerts;
 * every other sink gets the whole alert. Null: nothing to send to it.
 */
export function payloadForSink(
  payload: AlertPayload | null,
  sink: string,
  owners: Readonly<Record<string, readonly string[]>> | undefined,
): AlertPayload | null {
  if (payload === null || owners === undefined) return payload;
  const routes = Object.entries(owners)
    .filter(([, sinks]) => sinks.includes(sink))
    .map(([route]) => route);
  if (routes.length === 0) return payload;
  if (payload.event !== 'report.new-findings') return null;
  const findings = payload.findings.filter(
    (f) =>
      (f.ownerRoute !== undefined && routes.includes(f.ownerRoute)) ||
      (f.owner !== undefined && routes.includes(f.owner)),
  );
  return findings.length === 0 ? null : { ...payload, findings };
}

/** The alert for a report, or null when no finding qualifies (then nothing is sent). */
export function newFindingsPayload(report: Report, minSeverity: Severity): AlertPayload | null {
  const findings = alertableFindings(report, minSeverity);
  if (findings.length === 0) return null;
  return {
    schemaVersion: ALERT_PAYLOAD_SCHEMA_VERSION,
    event: 'report.new-findings',
    reportId: report.id,
    generatedAt: report.generatedAt,
    job: report.job,
    previousReportId: report.diff.previousReportId,
    minSeverity,
    findings: findings.map(compactFinding),
  };
}

export function jobFailedPayload(job: string, error: unknown, now: Date): AlertPayload {
  return {
    schemaVersion: ALERT_PAYLOAD_SCHEMA_VERSION,
    event: 'job.failed',
    reportId: null,
    generatedAt: now.toISOString(),
    job,
    findings: [],
    error: { message: errorMessage(error) },
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** "3 new findings (1 critical, 2 high)" — the headline every sink uses. */
export function headline(payload: AlertPayload): string {
  const job = payload.job ? ` (job ${payload.job})` : '';
  if (payload.event === 'job.failed') return `reachgraph: job failed${job}`;
  const counts = new Map<Severity, number>();
  for (const finding of payload.findings)
    counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  const bySeverity = [...counts].map(([severity, count]) => `${count} ${severity}`).join(', ');
  const n = payload.findings.length;
  return `reachgraph: ${n} new finding${n === 1 ? '' : 's'} (${bySeverity})${job}`;
}

/** "subject → target", or the subject alone. */
export function subjectTarget(finding: AlertFinding): string {
  return finding.target ? `${finding.subject.name} → ${finding.target.name}` : finding.subject.name;
}
