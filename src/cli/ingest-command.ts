import { type ActivitySummaryResult, writeActivitySummary } from '../activity/graph-summary.js';
import type { IngestRunResult } from '../activity/ingest-run.js';
import {
  type ActivitySource,
  ActivityStore,
  activityDatabasePath,
  type Malformed,
  type UnresolvedActor,
} from '../activity/store.js';
import { localDataDir, openGraph } from '../graph/connection.js';
import { readServerState } from '../local-neo4j/index.js';
import type { CliContext } from './context.js';
import { json, table } from './output.js';

export interface IngestFlags {
  json?: boolean;
  graph: boolean;
}

/** How many malformed inputs and unresolved actors the text output lists (all are in --json and the store). */
const LISTED = 20;

/** How one source's ingest is told in text; the rest of the output is the same for every source. */
export interface IngestText<R> {
  /** The first lines: the run and its counts (`malformed` leaves out the files that failed whole). */
  heading: (result: R, database: string, malformed: Malformed[]) => string[];
  /** What the coverage's and unresolved actors' first column names (account, project, cluster). */
  scope: string;
  /** The unresolved actors' columns after the scope, and a row's cells after its scope. */
  unresolved: { columns: string[]; cells: (u: UnresolvedActor) => unknown[] };
}

/**
 * `reachgraph ingest SOURCE PATH…`: ingest into the activity store, write the activity summary to the
 * graph when one is configured or running (unless --no-graph), and report. A file nothing could be
 * read from, or a path that does not exist, fails the command; a malformed line in a file that was
 * read does not (it is named and counted).
 */
export async function runIngestCommand<R extends IngestRunResult<ActivitySource>>(
  ctx: CliContext,
  options: IngestFlags,
  ingestFiles: (store: ActivityStore) => Promise<R>,
  text: IngestText<R>,
): Promise<void> {
  const { config, output } = ctx;
  const store = await ActivityStore.open(activityDatabasePath(config));
  let result: R;
  let summary: ActivitySummaryResult | undefined;
  try {
    result = await ingestFiles(store);
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
  if (result.filesFailed.length > 0 || result.missing.length > 0) ctx.exitCode = 1;
  if (options.json) {
    output.out(json({ ...result, database: store.path, graph: summary ?? null }));
    return;
  }
  const failed = new Set(result.filesFailed.map((f) => f.file));
  const malformed = result.malformed.filter((m) => !failed.has(m.file));
  output.out(
    [
      ...text.heading(result, store.path, malformed),
      ...result.missing.map((p) => `  missing: ${p}`),
      ...result.filesFailed.map((f) => `  failed: ${f.file}: ${f.reason}`),
      ...malformed
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
        [text.scope, 'first event', 'last event', 'days', 'events'],
        result.coverage.map((c) => [c.account, c.firstEvent, c.lastEvent, c.days, c.events]),
      ),
    );
  }
  if (result.unresolvedActors.length > 0) {
    output.out('Unresolved actors (counted, not attributed to an identity):');
    output.out(
      table(
        [text.scope, ...text.unresolved.columns],
        result.unresolvedActors.slice(0, LISTED).map((u) => [u.account, ...text.unresolved.cells(u)]),
      ),
    );
  }
  if (summary)
    output.out(
      `Graph: lastActivity on ${summary.identities} identities and ${summary.accessKeys} access keys (window from ${summary.windowStart}), cleared on ${summary.cleared}.`,
    );
}

/** A graph is configured (NEO4J_URI) or the local one is running: no server is started for an ingest. */
export async function graphAvailable(ctx: CliContext): Promise<boolean> {
  if (ctx.config.neo4j.uri) return true;
  return (await readServerState(localDataDir(ctx.config))) !== undefined;
}

/** The ingest's progress on stderr, unless the result is printed as JSON. */
export function progressOf(ctx: CliContext, options: IngestFlags): { onProgress?: (m: string) => void } {
  return options.json ? {} : { onProgress: (m: string) => ctx.output.err(m) };
}
