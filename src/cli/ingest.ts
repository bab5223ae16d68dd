import type { Command } from 'commander';
import { ingestCloudTrail } from '../activity/aws/ingest.js';
import { type ActivitySummaryResult, writeActivitySummary } from '../activity/graph-summary.js';
import { ActivityStore, activityDatabasePath } from '../activity/store.js';
import { localDataDir, openGraph } from '../graph/connection.js';
import { readServerState } from '../local-neo4j/index.js';
import type { CliContext } from './context.js';
import { registerAuditIngest } from './ingest-audit.js';
import { json, table } from './output.js';

interface IngestFlags {
  json?: boolean;
  graph: boolean;
}

/** How many malformed inputs and unresolved actors the text output lists (all are in --json and the store). */
const LISTED = 20;

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
      const { config, output } = ctx;
      const store = await ActivityStore.open(activityDatabasePath(config));
      let result: Awaited<ReturnType<typeof ingestCloudTrail>>;
      let summary: ActivitySummaryResult | undefined;
      try {
        result = await ingestCloudTrail(store, paths, {
          retentionDays: config.activity.retentionDays,
          ...(options.json ? {} : { onProgress: (m: string) => output.err(m) }),
        });
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
      // A file nothing could be read from, or a path that does not exist, fails the command; a
      // malformed line in a file that was read does not (it is named and counted).
      if (result.filesFailed.length > 0 || result.missing.length > 0) ctx.exitCode = 1;
      if (options.json) {
        output.out(json({ ...result, database: store.path, graph: summary ?? null }));
        return;
      }
      const failed = new Set(result.filesFailed.map((f) => f.file));
      const malformed = result.malformed.filter((m) => !failed.has(m.file));
      const lines = [
        `Ingest ${result.runId} into ${store.path} in ${(result.durationMs / 1000).toFixed(1)} s.`,
        `  files: ${result.filesRead} read, ${result.filesSkipped} skipped (already ingested), ${result.filesFailed.length} failed`,
        `  events: ${result.events} counted, ${result.duplicates} duplicates, ${malformed.length} malformed, ${result.unresolved} unresolved`,
        ...result.missing.map((p) => `  missing: ${p}`),
        ...result.filesFailed.map((f) => `  failed: ${f.file}: ${f.reason}`),
        ...malformed
          .slice(0, LISTED)
          .map(
            (m) =>
              `  malformed: ${m.file}${m.line ? `:${m.line}` : m.record ? ` record ${m.record}` : ''}: ${m.reason}`,
          ),
      ];
      output.out(lines.join('\n'));
      if (result.coverage.length > 0) {
        output.out('Coverage (every ingest so far):');
        output.out(
          table(
            ['account', 'first event', 'last event', 'days', 'events'],
            result.coverage.map((c) => [c.account, c.firstEvent, c.lastEvent, c.days, c.events]),
          ),
        );
      }
      if (result.unresolvedActors.length > 0) {
        output.out('Unresolved actors (counted, not attributed to an identity):');
        output.out(
          table(
            ['account', 'type', 'principal id', 'events', 'reason'],
            result.unresolvedActors
              .slice(0, LISTED)
              .map((u) => [u.account, u.actorType, u.principalId, u.count, u.reason]),
          ),
        );
      }
      if (summary)
        output.out(
          `Graph: lastActivity on ${summary.identities} identities and ${summary.accessKeys} access keys (window from ${summary.windowStart}), cleared on ${summary.cleared}.`,
        );
    });
  registerAuditIngest(ingest, context, graphAvailable);
}

/** A graph is configured (NEO4J_URI) or the local one is running: no server is started for an ingest. */
async function graphAvailable(ctx: CliContext): Promise<boolean> {
  if (ctx.config.neo4j.uri) return true;
  return (await readServerState(localDataDir(ctx.config))) !== undefined;
}
