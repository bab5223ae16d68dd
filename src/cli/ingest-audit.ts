import type { Command } from 'commander';
import { ingestGcpAudit } from '../activity/gcp/ingest.js';
import { ingestKubernetesAudit } from '../activity/kubernetes/ingest.js';
import type { ParsedIngestResult } from '../activity/parsed-ingest.js';
import type { ActivityStore } from '../activity/store.js';
import type { CliContext } from './context.js';
import { type IngestFlags, progressOf, runIngestCommand } from './ingest-command.js';

interface AuditIngestFlags extends IngestFlags {
  cluster?: string;
}

/** `reachgraph ingest gcp-audit` and `reachgraph ingest kubernetes-audit` (docs/activity.md). */
export function registerAuditIngest(ingest: Command, context: () => CliContext): void {
  ingest
    .command('gcp-audit')
    .description(
      'Ingest GCP Cloud Audit Logs: `gcloud logging read --format=json` output or a log sink export (LogEntry JSON lines, gzipped or not)',
    )
    .argument(
      '<paths...>',
      'files or directories (walked for *.json, *.jsonl, *.ndjson, *.log, gzipped or not)',
    )
    .option('--json', 'print the result as JSON')
    .option('--no-graph', 'do not write lastActivity to the graph, even when one is configured or running')
    .action(async (paths: string[], options: AuditIngestFlags) =>
      run(context(), options, 'project', (store, ctx) =>
        ingestGcpAudit(store, paths, {
          retentionDays: ctx.config.activity.retentionDays,
          ...progressOf(ctx, options),
        }),
      ),
    );
  ingest
    .command('kubernetes-audit')
    .description(
      'Ingest Kubernetes audit logs: audit.k8s.io/v1 Events as JSON lines, as the API server log backend writes them',
    )
    .argument(
      '<paths...>',
      'files or directories (walked for *.log, *.json, *.jsonl, *.ndjson, gzipped or not)',
    )
    .requiredOption(
      '--cluster <name>',
      'the cluster the logs are of, as the graph names it (the snapshot or context name)',
    )
    .option('--json', 'print the result as JSON')
    .option('--no-graph', 'do not write lastActivity to the graph, even when one is configured or running')
    .action(async (paths: string[], options: AuditIngestFlags) =>
      run(context(), options, 'cluster', (store, ctx) =>
        ingestKubernetesAudit(store, paths, options.cluster as string, {
          retentionDays: ctx.config.activity.retentionDays,
          ...progressOf(ctx, options),
        }),
      ),
    );
}

async function run(
  ctx: CliContext,
  options: AuditIngestFlags,
  scope: 'project' | 'cluster',
  ingestFiles: (store: ActivityStore, ctx: CliContext) => Promise<ParsedIngestResult>,
): Promise<void> {
  await runIngestCommand(ctx, options, (store) => ingestFiles(store, ctx), {
    // The malformed count includes the files that failed whole, as it always has for these sources.
    heading: (result, database) => [
      `Ingest ${result.runId} (${result.source}) into ${database} in ${(result.durationMs / 1000).toFixed(1)} s.`,
      `  files: ${result.filesRead} read, ${result.filesSkipped} skipped (already ingested), ${result.filesFailed.length} failed`,
      `  events: ${result.events} counted, ${result.duplicates} duplicates, ${result.malformed.length} malformed, ${result.unresolved} unresolved, ${result.ignored} not counted (not audit events or not final stages)`,
    ],
    scope,
    unresolved: {
      columns: ['caller', 'events', 'reason'],
      cells: (u) => [u.principalId, u.count, u.reason],
    },
  });
}
