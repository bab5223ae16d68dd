import type { Command } from 'commander';
import { ingestGcpAudit } from '../activity/gcp/ingest.js';
import { type ActivitySummaryResult, writeActivitySummary } from '../activity/graph-summary.js';
import { ingestKubernetesAudit } from '../activity/kubernetes/ingest.js';
import type { ParsedIngestResult } from '../activity/parsed-ingest.js';
import { ActivityStore, activityDatabasePath } from '../activity/store.js';
import { openGraph } from '../graph/connection.js';
import type { CliContext } from './context.js';
import { json, table } from './output.js';

interface AuditIngestFlags {
  json?: boolean;
  graph: boolean;
  cluster?: string;
}

/** How many malformed inputs and unresolved actors the text output lists (all are in --json and the store). */
const LISTED = 20;

/** Whether a graph is configured or running (`ingest.ts`), so the summary is written without starting one. */
type GraphAvailable = (ctx: CliContext) => Promise<boolean>;

/** `reachgraph ingest gcp-audit` and `reachgraph ingest kubernetes-audit` (docs/activity.md). */
export function registerAuditIngest(
  ingest: Command,
  context: () => CliContext,
  graphAvailable: GraphAvailable,
): void {
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
      run(context(), options, graphAvailable, 'project', (store, ctx) =>
        ingestGcpAudit(store, paths, {
          retentionDays: ctx.config.activity.retentionDays,
          ...(options.json ? {} : { onProgress: (m: string) => ctx.output.err(m) }),
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
      run(context(), options, graphAvailable, 'cluster', (store, ctx) =>
        ingestKubernetesAudit(store, paths, options.cluster as string, {
          retentionDays: ctx.config.activity.retentionDays,
          ...(options.json ? {} : { onProgress: (m: string) => ctx.output.err(m) }),
        }),
      ),
    );
}

async function run(
  ctx: CliContext,
  options: AuditIngestFlags,
  graphAvailable: GraphAvailable,
  scope: 'project' | 'cluster',
  ingestFiles: (store: ActivityStore, ctx: CliContext) => Promise<ParsedIngestResult>,
): Promise<void> {
  const { config, output } = ctx;
  const store = await ActivityStore.open(activityDatabasePath(config));
  let result: ParsedIngestResult;
  let summary: ActivitySummaryResult | undefined;
  try {
    result = await ingestFiles(store, ctx);
    if (options.graph && (await graphAvailable(ctx))) {
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        summary = await writeActivitySummary(graph.executor, store);
      } finally {
        await graph.close();
      }
    }
  } finally {
    store.close();
  }
  // As for CloudTrail: an unreadable file or a missing path fails the command, a malformed line does not.
  if (result.filesFailed.length > 0 || result.missing.length > 0) ctx.exitCode = 1;
  if (options.json) {
    output.out(json({ ...result, database: store.path, graph: summary ?? null }));
    return;
  }
  output.out(
    [
      `Ingest ${result.runId} (${result.source}) into ${store.path} in ${(result.durationMs / 1000).toFixed(1)} s.`,
      `  files: ${result.filesRead} read, ${result.filesSkipped} skipped (already ingested), ${result.filesFailed.length} failed`,
      `  events: ${result.events} counted, ${result.duplicates} duplicates, ${result.malformed.length} malformed, ${result.unresolved} unresolved, ${result.ignored} not counted (not audit events or not final stages)`,
      ...result.missing.map((p) => `  missing: ${p}`),
      ...result.filesFailed.map((f) => `  failed: ${f.file}: ${f.reason}`),
      ...result.malformed
        .filter((m) => !result.filesFailed.some((f) => f.file === m.file))
        .slice(0, LISTED)
        .map(
          (m) =>
            `  malformed: ${m.file}${m.line ? `:${m.line}` : m.record ? ` record ${m.record}` : ''}: ${m.reason}`,
        ),
    ].join('\n'),
  );
  if (result.coverage.length > 0) {
    output.out('Coverage (every ingest so far):');
    output.out(
      table(
        [scope, 'first event', 'last event', 'days', 'events'],
        result.coverage.map((c) => [c.account, c.firstEvent, c.lastEvent, c.days, c.events]),
      ),
    );
  }
  if (result.unresolvedActors.length > 0) {
    output.out('Unresolved actors (counted, not attributed to an identity):');
    output.out(
      table(
        [scope, 'caller', 'events', 'reason'],
        result.unresolvedActors.slice(0, LISTED).map((u) => [u.account, u.principalId, u.count, u.reason]),
      ),
    );
  }
  if (summary)
    output.out(
      `Graph: lastActivity on ${summary.identities} identities and ${summary.accessKeys} access keys (window from ${summary.windowStart}), cleared on ${summary.cleared}.`,
    );
}
