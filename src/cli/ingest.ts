import type { Command } from 'commander';
import { ingestCloudTrail } from '../activity/aws/ingest.js';
import type { CliContext } from './context.js';
import { registerAuditIngest } from './ingest-audit.js';
import { type IngestFlags, progressOf, runIngestCommand } from './ingest-command.js';

export function registerIngest(program: Command, context: () => CliContext): void {
  const ingest = program
    .command('ingest')
    .description(
      'Read activity logs into the activity store (docs/activity.md): per-day aggregates, coverage, last use',
    );
  ingest
    .command('aws-cloudtrail')
    .description(
      'Ingest CloudTrail logs: an S3 trail bucket copy (AWSLogs/…/*.json.gz), `aws cloudtrail lookup-events` output, or JSON lines',
    )
    .argument('<paths...>', 'files or directories (walked for *.json, *.json.gz, *.jsonl, *.ndjson)')
    .option('--json', 'print the result as JSON')
    .option('--no-graph', 'do not write lastActivity to the graph, even when one is configured or running')
    .action(async (paths: string[], options: IngestFlags) => {
      const ctx = context();
      await runIngestCommand(
        ctx,
        options,
        (store) =>
          ingestCloudTrail(store, paths, {
            retentionDays: ctx.config.activity.retentionDays,
            ...progressOf(ctx, options),
          }),
        {
          heading: (result, database, malformed) => [
            `Ingest ${result.runId} into ${database} in ${(result.durationMs / 1000).toFixed(1)} s.`,
            `  files: ${result.filesRead} read, ${result.filesSkipped} skipped (already ingested), ${result.filesFailed.length} failed`,
            `  events: ${result.events} counted, ${result.duplicates} duplicates, ${malformed.length} malformed, ${result.unresolved} unresolved`,
          ],
          scope: 'account',
          unresolved: {
            columns: ['type', 'principal id', 'events', 'reason'],
            cells: (u) => [u.actorType, u.principalId, u.count, u.reason],
          },
        },
      );
    });
  registerAuditIngest(ingest, context);
}
