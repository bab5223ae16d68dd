import { listReportRuns, type ReportRunRecord, reportRun } from '../records/report-runs.js';
import { reportChanges } from '../records/stored-findings.js';
import { SEVERITIES, type Severity } from '../reports/types.js';
import { builder } from './builder.js';
import { SeverityEnum } from './enums.js';
import { ApiError } from './errors.js';
import { FindingConnection, FindingRef } from './finding.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';

const SeverityCountRef = builder.objectRef<{ severity: Severity; count: number }>('SeverityCount').implement({
  description: 'Active findings of one severity.',
  fields: (t) => ({
    severity: t.field({ type: SeverityEnum, resolve: (c) => c.severity }),
    count: t.exposeInt('count'),
  }),
});

const RuleCountRef = builder.objectRef<{ ruleId: string; count: number }>('RuleCount').implement({
  description: 'Active findings of one rule.',
  fields: (t) => ({ ruleId: t.exposeID('ruleId'), count: t.exposeInt('count') }),
});

export const ReportRunRef = builder.objectRef<ReportRunRecord>('ReportRun').implement({
  description:
    'One run of the findings rules against the graph (`reachgraph report` or a scheduled job), with its counts and what changed since the report it was compared against.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pass to `reachgraph report --since` to diff against it.' }),
    generatedAt: t.exposeString('generatedAt', { description: 'ISO-8601.' }),
    job: t.string({
      nullable: true,
      description: 'The scheduler job that produced it; null when run by hand.',
      resolve: (r) => r.job,
    }),
    status: t.exposeString('status'),
    graphRunId: t.id({
      nullable: true,
      description: 'The collection run whose graph it described.',
      resolve: (r) => r.graphRunId,
    }),
    previousReportId: t.id({
      nullable: true,
      description: 'The report it was compared against; null for a first report.',
      resolve: (r) => r.previousReportId,
    }),
    total: t.exposeInt('total', { description: 'Active (unsuppressed) findings.' }),
    bySeverity: t.field({
      type: [SeverityCountRef],
      description: 'Active findings per severity, critical first (every severity listed).',
      resolve: (r) => SEVERITIES.map((severity) => ({ severity, count: r.bySeverity[severity] ?? 0 })),
    }),
    byRule: t.field({
      type: [RuleCountRef],
      description: 'Active findings per rule, rules without findings left out.',
      resolve: (r) =>
        Object.entries(r.byRule)
          .map(([ruleId, count]) => ({ ruleId, count }))
          .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    }),
    suppressed: t.exposeInt('suppressed', { description: 'Findings covered by an unexpired suppression.' }),
    conditional: t.exposeInt('conditional', {
      description: 'Active findings that hold only under undecided conditions.',
    }),
    newCount: t.exposeInt('newCount', { description: 'Findings new since the previous report.' }),
    resolvedCount: t.exposeInt('resolvedCount', {
      description: 'Findings of the previous report that are gone.',
    }),
    unchangedCount: t.exposeInt('unchangedCount', { description: 'Active in both reports.' }),
  }),
});

builder.queryField('reportRuns', (t) =>
  t.field({
    type: [ReportRunRef],
    description: 'The most recent report runs, newest first.',
    args: { last: t.arg.int({ defaultValue: 10 }) },
    complexity: (args) => ({ field: 2, multiplier: Math.max(1, args.last ?? 10) }),
    resolve: (_root, args, { graph, limits }) => {
      const last = args.last ?? 10;
      if (last < 1 || last > limits.maxPageSize)
        throw new ApiError(`last must be between 1 and ${limits.maxPageSize}, got ${last}`);
      return graph.timed('records/report-runs/list-report-runs', () => listReportRuns(graph.executor, last));
    },
  }),
);

// ── What a report changed ──────────────────────────────────────────────────────────────────────

interface Changes {
  report: ReportRunRecord;
  previous: ReportRunRecord | null;
}

const ReportChangesRef = builder.objectRef<Changes>('ReportChanges').implement({
  description:
    'What one report run changed against the report it was compared with (`previousReportId`): the findings it added and removed, as the report diff decided when it ran (`newCount`, `resolvedCount`).',
  fields: (t) => {
    const side = (name: 'added' | 'removed', description: string) =>
      t.connection(
        {
          type: FindingRef,
          description,
          complexity: (args) => connectionComplexity(args, 2),
          resolve: async (changes, args, { graph, limits }) => {
            const first = pageSize(args, limits.maxPageSize);
            const [after] = args.after ? decodeCursor(args.after, 1) : [null];
            const rows = await graph.timed(`records/stored-findings/changes-${name}`, () =>
              reportChanges(
                graph.executor,
                { report: changes.report.id, previous: changes.report.previousReportId, side: name },
                { limit: first + 1, after: after ?? null },
              ),
            );
            return toPage(rows, first, (f) => [f.sortKey], Boolean(args.after));
          },
        },
        FindingConnection,
      );
    return {
      report: t.field({ type: ReportRunRef, resolve: (c) => c.report }),
      previous: t.field({
        type: ReportRunRef,
        nullable: true,
        description: 'The report it was compared with; null for a first report or one no longer kept.',
        resolve: (c) => c.previous,
      }),
      added: side(
        'added',
        'Findings active in this report and not in the previous one (absent, or suppressed then), as this report saw them, most severe first.',
      ),
      removed: side(
        'removed',
        'Findings of the previous report (active or suppressed) this report no longer found, as the previous report saw them, most severe first.',
      ),
    };
  },
});

builder.queryField('reportChanges', (t) =>
  t.field({
    type: ReportChangesRef,
    nullable: true,
    description:
      'What a report run added and removed (default: the latest report run); null when no report has been recorded.',
    args: { report: t.arg.id({ description: 'A report run id; default the latest.' }) },
    complexity: 2,
    resolve: async (_root, args, { graph }) => {
      const report =
        args.report == null
          ? ((
              await graph.timed('records/report-runs/list-report-runs', () =>
                listReportRuns(graph.executor, 1),
              )
            )[0] ?? null)
          : await graph.timed('records/report-runs/report-run', () =>
              reportRun(graph.executor, String(args.report)),
            );
      if (!report) {
        if (args.report == null) return null;
        throw new ApiError(`no report run with id "${args.report}"`, 'NOT_FOUND');
      }
      const previous = report.previousReportId
        ? await graph.timed('records/report-runs/report-run', () =>
            reportRun(graph.executor, report.previousReportId as string),
          )
        : null;
      return { report, previous };
    },
  }),
);
