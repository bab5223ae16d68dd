import { randomUUID } from 'node:crypto';
import { describeFile, discoverFiles, type LogFile } from './files.js';
import type { ActivitySource, ActivityStore, Coverage, Malformed, UnresolvedActor } from './store.js';

/** What a source's reader counted of the files it was given. */
export interface ReadTotals {
  filesRead: number;
  /** Files nothing could be read from, with why (the reader records them as malformed). */
  failed: { file: string; reason: string }[];
  events: number;
  duplicates: number;
  unresolved: number;
}

/** The outcome of one ingest run, whatever the source; `Extra` is what a source counts beside. */
export type IngestRunResult<S extends ActivitySource, Extra extends object = object> = {
  runId: string;
  source: S;
  /** Files whose events were counted in this run. */
  filesRead: number;
  /** Files whose content was already ingested (by SHA-256), or repeated in this run. */
  filesSkipped: number;
  /** Files nothing could be read from, with why; the command fails when there is one. */
  filesFailed: { file: string; reason: string }[];
  /** Paths given that do not exist. */
  missing: string[];
  events: number;
  duplicates: number;
} & Extra & {
    malformed: Malformed[];
    unresolved: number;
    unresolvedActors: UnresolvedActor[];
    coverage: Coverage[];
    durationMs: number;
  };

/**
 * The steps every ingest shares, around a source's reader: find the files under `paths` that the
 * store has not ingested yet (by content's SHA-256, a file repeated in the run read once), open a run
 * in the ledger, let `read` aggregate them, drop aggregates older than the retention window, compact
 * what the run touched, and close the run with its counts.
 */
export async function runIngest<S extends ActivitySource, Extra extends object>(
  store: ActivityStore,
  source: S,
  paths: string[],
  accept: (path: string) => boolean,
  read: (runId: string, fresh: LogFile[]) => Promise<{ totals: ReadTotals; extra: Extra }>,
  options: { now?: Date; retentionDays?: number; onProgress?: (message: string) => void },
): Promise<IngestRunResult<S, Extra>> {
  const started = Date.now();
  store.touchedSince = undefined;
  const now = options.now ?? new Date();
  const runId = `ingest-${now.toISOString()}-${randomUUID().slice(0, 8)}`;
  const { files: found, missing } = await discoverFiles(paths, accept);
  const described: LogFile[] = [];
  for (const path of found) described.push(await describeFile(path));
  const known = await store.knownFiles(described);
  const seen = new Set<string>();
  const fresh = described.filter((f) => {
    if (known.has(f.sha256) || seen.has(f.sha256)) return false;
    seen.add(f.sha256);
    return true;
  });
  options.onProgress?.(
    `${described.length} files found, ${fresh.length} not ingested before${missing.length ? `, ${missing.length} missing` : ''}`,
  );
  await store.beginRun(runId, source, now);
  const { totals, extra } = await read(runId, fresh);
  await store.applyRetention(now, options.retentionDays ?? 90);
  if (store.touchedSince) await store.compact(store.touchedSince);
  const malformed = await store.malformedOf(runId);
  const result = {
    runId,
    source,
    filesRead: totals.filesRead,
    filesSkipped: described.length - fresh.length,
    filesFailed: totals.failed,
    missing,
    events: totals.events,
    duplicates: totals.duplicates,
    ...extra,
    malformed,
    unresolved: totals.unresolved,
    unresolvedActors: await store.unresolvedActors(source),
    coverage: await store.coverage(source),
    durationMs: Date.now() - started,
  } as IngestRunResult<S, Extra>;
  await store.finishRun(runId, {
    filesRead: result.filesRead,
    filesSkipped: result.filesSkipped,
    filesFailed: result.filesFailed.length,
    events: result.events,
    duplicates: result.duplicates,
    malformed: malformed.length,
    unresolved: result.unresolved,
  });
  return result;
}
