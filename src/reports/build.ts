import { reportAnomalies } from '../activity/anomalies/index.js';
import type { GraphExecutor } from '../graph/executor.js';
import { latestSucceededRun } from '../records/collection-runs.js';
import { lastReport, listReportRuns, recordReport } from '../records/report-runs.js';
import { firstSeenOf } from '../records/stored-findings.js';
import { diffFindings } from './diff.js';
import { findingOrder, runFindings } from './findings.js';
import { effectiveRules, type RulesConfig } from './rules/config.js';
import { loadRules } from './rules/registry.js';
import { summarize } from './summary.js';
import { applySuppressions, readSuppressions } from './suppressions.js';
import { type Finding, REPORT_SCHEMA_VERSION, type Report, type RuleDeclaration } from './types.js';

export interface BuildReportOptions {
  /** The rule declarations; default the registry (rules/). */
  rules?: RuleDeclaration[];
  /** Enabled rules, severities and parameters; its `suppressions` file is used unless one is given. */
  config?: RulesConfig;
  /** A suppression file (YAML or JSON); overrides `config.suppressions`. */
  suppressionsFile?: string;
  /** Compare against this report run instead of the last one. */
  since?: string;
  /** The scheduler job producing the report: the diff compares against that job's last report. */
  job?: string;
  now?: Date;
  /** Record the report in the finding store (default true). */
  record?: boolean;
  /** Report runs of the job to keep when recording (default DEFAULT_KEEP_REPORTS). */
  keep?: number;
  /**
   * The activity store (a DuckDB file): the anomaly rules run over its last `anomalyDays` days
   * (default 7) when it exists (docs/activity.md#anomaly-detectors).
   */
  activityDatabase?: string;
  anomalyDays?: number;
  /**
   * Only the findings whose subject this owner owns (docs/owners.md), compared with the same
   * owner's findings of the previous report. Such a report is a view: it is never recorded, so the
   * next full report still diffs against a full one.
   */
  owner?: string;
}

/**
 * One report: the effective rules run against the current graph, suppressions applied, diffed
 * against the previous report (of the job, or `since`), summarised, and recorded.
 */
export async function buildReport(
  executor: GraphExecutor,
  options: BuildReportOptions = {},
): Promise<Report> {
  const now = options.now ?? new Date();
  const generatedAt = now.toISOString();
  const rules = effectiveRules(options.rules ?? loadRules(), options.config);

  const all = await runFindings(executor, rules, { now });
  if (options.activityDatabase) {
    const anomalies = await reportAnomalies(executor, options.activityDatabase, rules, {
      ...(options.anomalyDays === undefined ? {} : { days: options.anomalyDays }),
    });
    all.push(...anomalies);
    all.sort(findingOrder);
  }
  const owned = (f: Finding) => options.owner === undefined || f.owner === options.owner;
  const found = all.filter(owned);
  const suppressionsFile = options.suppressionsFile ?? options.config?.suppressions;
  const suppressions = suppressionsFile ? await readSuppressions(suppressionsFile) : [];
  const { active, suppressed, expired } = applySuppressions(found, suppressions, now);

  const previous = await previousReport(executor, options);
  // Findings of rules that did not run this time (disabled since) are neither resolved nor kept:
  // switching a rule off says nothing about the problems it found.
  const ran = new Set(rules.map((r) => r.id));
  // An anomaly is something that happened on a day, not a standing state: one whose day has left the
  // days under review is not resolved, it is simply no longer reviewed.
  const anomalyRules = new Set(rules.filter((r) => r.detector !== undefined).map((r) => r.id));
  const foundNow = new Set(found.map((f) => f.fingerprint));
  const comparable = (f: Finding) =>
    ran.has(f.ruleId) && owned(f) && (!anomalyRules.has(f.ruleId) || foundNow.has(f.fingerprint));
  const diff = diffFindings(
    previous ? previous.findings.filter(comparable) : null,
    [...active, ...suppressed],
    previous ? { id: previous.id, generatedAt: previous.generatedAt } : null,
    generatedAt,
  );

  const firstSeen = await firstSeenOf(
    executor,
    found.map((f) => f.fingerprint),
  );
  const seen = (finding: Finding): Finding => ({
    ...finding,
    firstSeen: firstSeen.get(finding.fingerprint) ?? generatedAt,
    lastSeen: generatedAt,
  });

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: newReportId(now),
    generatedAt,
    job: options.job ?? null,
    graphRun: await latestSucceededRun(executor),
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    rules,
    summary: summarize(active, suppressed),
    diff: {
      ...diff,
      newFindings: diff.newFindings.map(seen),
      newPaths: diff.newPaths.map(seen),
      changedPaths: diff.changedPaths.map(({ before, after }) => ({ before, after: seen(after) })),
    },
    findings: active.map(seen),
    suppressed: suppressed.map(seen),
    expiredSuppressions: expired.map((s) => ({
      fingerprint: s.fingerprint,
      reason: s.reason,
      expires: s.expires,
    })),
  };
  if ((options.record ?? true) && options.owner === undefined)
    await recordReport(executor, report, options.keep === undefined ? {} : { keep: options.keep });
  return report;
}

async function previousReport(executor: GraphExecutor, options: BuildReportOptions) {
  if (options.since === undefined) return lastReport(executor, options.job ? { job: options.job } : {});
  const report = await lastReport(executor, { id: options.since });
  if (report) return report;
  const recent = (await listReportRuns(executor, 5)).map((r) => r.id);
  throw new Error(
    `no report run with id "${options.since}" to compare against (--since); ${
      recent.length > 0 ? `the latest are: ${recent.join(', ')}` : 'no report has been recorded yet'
    }`,
  );
}

/** Report ids sort by time, like collection run ids; the suffix keeps two in one millisecond apart. */
export function newReportId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `report-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}
