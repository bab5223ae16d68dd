import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { activityDatabasePath } from '../activity/store.js';
import { openGraph } from '../graph/connection.js';
import type { GraphExecutor } from '../graph/executor.js';
import { latestSucceededRun } from '../records/collection-runs.js';
import { DEFAULT_KEEP_REPORTS, recordReport } from '../records/report-runs.js';
import { buildReport } from '../reports/build.js';
import { formatReport, reportFileExtension } from '../reports/format/index.js';
import { writeReportFiles } from '../reports/output.js';
import { effectiveRules, readRulesConfig } from '../reports/rules/config.js';
import { loadRules } from '../reports/rules/registry.js';
import { readSuppressions } from '../reports/suppressions.js';
import {
  REPORT_FORMATS,
  type Report,
  type ReportFormat,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../reports/types.js';
import type { CliContext } from './context.js';
import { positiveInteger } from './flags.js';

/** The file name (before the format's extension) `--out-dir` writes, and the demo writes. */
export const REPORT_BASENAME = 'reachgraph-report';

/** Exit code when `--fail-on` finds an active finding at or above its severity (errors exit 1). */
export const EXIT_FINDINGS = 2;

interface ReportFlags {
  format?: string[];
  out?: string;
  outDir?: string;
  since?: string;
  rulesConfig?: string;
  suppressions?: string;
  record: boolean;
  failOn?: string;
  keep?: string;
  owner?: string;
}

export function registerReport(program: Command, context: () => CliContext): void {
  program
    .command('report')
    .description(
      'Run the findings rules against the graph and write the risk report: summary, what changed since the last report, each finding with its path and evidence',
    )
    .option(
      '-f, --format <format>',
      `${REPORT_FORMATS.join('|')}; repeatable or comma-separated (default: from --out's extension, else md)`,
      (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        ...value.split(',').filter(Boolean),
      ],
    )
    .option('-o, --out <file>', 'write the report to this file (one format) instead of stdout')
    .option('--out-dir <dir>', `write ${REPORT_BASENAME}.<extension> for each format into this directory`)
    .option('--since <report-id>', 'compare with this earlier report instead of the latest one')
    .option(
      '--rules-config <file>',
      'rules config (YAML or JSON): enable/disable rules, severities, thresholds, a suppressions file',
    )
    .option('--suppressions <file>', 'accepted risks (YAML or JSON list of fingerprint, reason, expires)')
    .option(
      '--no-record',
      'do not record this report in the graph (the next report diffs against the last recorded one)',
    )
    .option(
      '--keep <n>',
      `recorded report runs to keep, this one included; older ones are deleted (default ${DEFAULT_KEEP_REPORTS})`,
    )
    .option(
      '--owner <owner>',
      'only the findings of identities this team or person owns (docs/owners.md); such a report is never recorded',
    )
    .option(
      '--fail-on <severity>',
      `exit ${EXIT_FINDINGS} when an unsuppressed finding is at least this severe`,
    )
    .addHelpText(
      'after',
      `\nExit codes: 0 the report was written; 1 an error (no graph loaded yet, unknown --since, invalid options or files); ${EXIT_FINDINGS} --fail-on matched.\nSee docs/reports.md.`,
    )
    .action(async (flags: ReportFlags) => {
      const ctx = context();
      const { config, output } = ctx;
      const targets = reportTargets(flags);
      const keep = flags.keep === undefined ? DEFAULT_KEEP_REPORTS : positiveInteger(flags.keep, '--keep');
      const failOn = flags.failOn === undefined ? undefined : severityOf(flags.failOn, '--fail-on');
      const rules = flags.rulesConfig ? readRulesConfig(flags.rulesConfig) : undefined;
      // Unknown rule ids or parameters and bad suppression entries fail here, before Neo4j is touched.
      if (rules) effectiveRules(loadRules(), rules);
      const suppressionsFile = flags.suppressions ?? rules?.suppressions;
      if (suppressionsFile) await readSuppressions(suppressionsFile);
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        await requireLoadedGraph(graph.executor);
        const report = await buildReport(graph.executor, {
          config: rules,
          suppressionsFile,
          since: flags.since,
          record: false,
          activityDatabase: activityDatabasePath(config),
          ...(flags.owner === undefined ? {} : { owner: flags.owner }),
        });
        if (targets.kind === 'stdout') output.out(formatReport(report, targets.format).trimEnd());
        else {
          for (const path of await writeReportFiles(report, targets.files)) output.err(`Wrote ${path}`);
        }
        // Recorded once written: a report that could not be written is not the one the next diffs against.
        // A report of one owner's findings is a view of the full one, never what the next diffs against.
        const record = flags.record && flags.owner === undefined;
        if (record) await recordReport(graph.executor, report, { keep });
        for (const line of summaryLines(report, record)) output.err(line);
        if (failOn && report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) {
          output.err(`Unsuppressed findings at ${failOn} or above: exit ${EXIT_FINDINGS} (--fail-on).`);
          ctx.exitCode = EXIT_FINDINGS;
        }
      } finally {
        await graph.close();
      }
    });
}

type Targets =
  | { kind: 'stdout'; format: ReportFormat }
  | { kind: 'files'; files: { format: ReportFormat; path: string }[] };

/** Where each format goes; every flag is checked before Neo4j is touched. */
function reportTargets(flags: ReportFlags): Targets {
  if (flags.out !== undefined && flags.outDir !== undefined)
    throw new Error(
      '--out and --out-dir: give one of them (--out for one file, --out-dir for several formats)',
    );
  const formats = [...new Set((flags.format ?? []).map((f) => formatOf(f)))];
  if (flags.outDir !== undefined) {
    const chosen = formats.length > 0 ? formats : (['md'] as ReportFormat[]);
    return {
      kind: 'files',
      files: chosen.map((format) => ({ format, path: join(flags.outDir as string, reportFileName(format)) })),
    };
  }
  if (formats.length > 1)
    throw new Error(`--format ${formats.join(',')}: several formats need --out-dir (one file each)`);
  if (flags.out !== undefined) {
    const format = formats[0] ?? formatFromExtension(flags.out);
    return { kind: 'files', files: [{ format, path: flags.out }] };
  }
  return { kind: 'stdout', format: formats[0] ?? 'md' };
}

/** `reachgraph-report.html`, `reachgraph-report.sarif`, … */
export function reportFileName(format: ReportFormat): string {
  return `${REPORT_BASENAME}.${reportFileExtension(format).replace(/^\./, '')}`;
}

function formatOf(value: string): ReportFormat {
  const format = value.trim().toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new Error(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${value}"`);
  return format as ReportFormat;
}

const EXTENSIONS: Record<string, ReportFormat> = {
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
  '.sarif': 'sarif',
  '.csv': 'csv',
};

function formatFromExtension(file: string): ReportFormat {
  if (file.toLowerCase().endsWith('.sarif.json')) return 'sarif';
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format)
    throw new Error(
      `--out ${file}: cannot tell the format from the extension; add --format ${REPORT_FORMATS.join('|')}`,
    );
  return format;
}

function severityOf(value: string, flag: string): Severity {
  const severity = value.trim().toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity))
    throw new Error(`${flag}: expected one of ${SEVERITIES.join(', ')}, got "${value}"`);
  return severity as Severity;
}

/** A report of an empty graph would claim "no findings": refuse instead, and say what to run. */
async function requireLoadedGraph(executor: GraphExecutor): Promise<void> {
  if ((await latestSucceededRun(executor)) === null)
    throw new Error(
      'no graph loaded yet: no collection run has succeeded. Load one first, e.g. `reachgraph sync aws --snapshot DIR` or `reachgraph load FILE`.',
    );
}

/** Counts, then what changed, for stderr. */
export function summaryLines(report: Report, recorded: boolean): string[] {
  const { summary, diff } = report;
  const bySeverity = SEVERITIES.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ');
  const lines = [
    `Report ${report.id}${recorded ? '' : ' (not recorded)'}: ${summary.total} finding(s): ${bySeverity}; ${summary.conditional} conditional, ${summary.suppressed} suppressed.`,
  ];
  if (report.expiredSuppressions.length > 0)
    lines.push(
      `${report.expiredSuppressions.length} suppression(s) expired: those findings are active again.`,
    );
  if (diff.previousReportId === null) lines.push('No earlier report: every finding is new.');
  else
    lines.push(
      `Since ${diff.previousReportId} (${diff.previousGeneratedAt}): ${diff.newFindings.length} new, ${diff.resolvedFindings.length} resolved, ${diff.unchangedCount} unchanged; paths to production data: ${diff.newPaths.length} new, ${diff.removedPaths.length} removed, ${diff.changedPaths.length} changed.`,
    );
  return lines;
}
