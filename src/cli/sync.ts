import type { Command } from 'commander';
import type { CollectionIssue } from '../model/aws/environment.js';
import { type AwsSummary, syncAws } from '../pipeline/aws.js';
import { type AwsSourceFlags, awsSourceOf } from '../pipeline/aws-source.js';
import type { CliContext } from './context.js';
import { formatCounts, json, reachabilityLines } from './output.js';
import { batchSizeOf, runGraphLoad } from './progress.js';

/** Options naming where AWS data comes from, shared by `sync aws` and `analyze`. */
export function awsSourceOptions(command: Command): Command {
  return command
    .option('--snapshot <dir>', 'read a snapshot directory (docs/snapshots.md) instead of the live API')
    .option('--profile <name>', 'live: named profile of the shared AWS config (default: the default chain)')
    .option('--role-arn <arn...>', 'live: role to assume in each account to collect (repeatable)')
    .option('--region <region>', 'live: region for regional APIs')
    .option('--endpoint-url <url>', 'live: send every AWS call to this endpoint (a local stand-in)');
}

export function registerSync(program: Command, context: () => CliContext): void {
  const sync = program
    .command('sync')
    .description('Collect, analyze and load a cloud into the graph as one run');
  awsSourceOptions(
    sync
      .command('aws')
      .description(
        'Collect AWS (live or a snapshot), analyze IAM and load the graph: one run, scoped per account',
      ),
  )
    .option('--batch-size <n>', 'rows per transaction (default from config: load.batchSize)')
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'do not show progress')
    .option('--no-summary', 'do not recompute the reachability summary the API answers global questions from')
    .action(
      async (
        options: AwsSourceFlags & { batchSize?: string; json?: boolean; progress: boolean; summary: boolean },
      ) => {
        const ctx = context();
        const { config, output, logger } = ctx;
        const batchSize = batchSizeOf(options.batchSize, config.load.batchSize);
        const source = awsSourceOf(options, config.aws);
        // Live collection can take minutes: say what it is doing, on stderr.
        if ('live' in source && !options.json) source.live.onProgress = (m) => output.err(m);
        const result = await runGraphLoad(ctx, options.progress && !options.json, (executor, hooks) =>
          syncAws(executor, source, {
            batchSize,
            summary: options.summary,
            classification: { accountEnvironments: config.aws.accountEnvironments },
            ...hooks,
            onStep: (step) => logger.info({ step }, 'sync aws'),
          }),
        );
        const { load, summary } = result;
        if (options.json) {
          output.out(
            json({
              runId: load.runId,
              status: load.status,
              summary,
              counts: load.counts,
              deleted: load.deleted,
              cleanedScopes: load.cleanedScopes,
              protectedScopes: result.protectedScopes,
              issues: result.issues,
              timings: result.timings,
            }),
          );
          return;
        }
        const t = result.timings;
        output.out(
          [
            `Run ${load.runId} ${load.status} in ${seconds(t.collectMs + t.analyzeMs + t.loadMs)} s (collect ${seconds(t.collectMs)} s, analyze ${seconds(t.analyzeMs)} s, load ${seconds(t.loadMs)} s).`,
            ...summaryLines(summary, result.issues),
            `  written: ${formatCounts(load.counts)}`,
            `  deleted (stale): ${formatCounts(load.deleted)}`,
            `  cleaned scopes: ${load.cleanedScopes.join(', ') || 'none'}`,
            ...reachabilityLines(load.reachability),
            ...(result.protectedScopes.length
              ? [`  kept (edges into an incomplete account): ${result.protectedScopes.join(', ')}`]
              : []),
          ].join('\n'),
        );
      },
    );
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const MAX_ISSUES_SHOWN = 10;

/** The summary of a collection and analysis, as indented lines (shared with `analyze`). */
export function summaryLines(summary: AwsSummary, issues: CollectionIssue[]): string[] {
  const accounts = summary.accounts
    .map((a) => `${a.id}${a.complete ? '' : ' (incomplete: stale data kept)'}`)
    .join(', ');
  const errors = issues.filter((i) => i.severity === 'error');
  return [
    `  accounts: ${accounts || 'none'}`,
    `  principals: ${summary.principals}`,
    `  derived edges: ${formatCounts(summary.edges)}`,
    `  findings: ${formatCounts(summary.findings)}`,
    `  issues: ${summary.issues.error} errors, ${summary.issues.warning} warnings, ${summary.issues.info} notes`,
    ...errors
      .slice(0, MAX_ISSUES_SHOWN)
      .map((i) => `    error: ${i.source}${i.object ? ` (${i.object})` : ''}: ${i.message}`),
    ...(errors.length > MAX_ISSUES_SHOWN
      ? [`    … and ${errors.length - MAX_ISSUES_SHOWN} more errors`]
      : []),
  ];
}
