import { randomUUID } from 'node:crypto';
import { describeFile, discoverFiles, type LogFile } from '../files.js';
import type { ActivityStore, Coverage, Malformed, UnresolvedActor } from '../store.js';
import { readCloudTrailFiles } from './read.js';

export interface IngestResult {
  runId: string;
  source: 'aws-cloudtrail';
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
  malformed: Malformed[];
  unresolved: number;
  unresolvedActors: UnresolvedActor[];
  coverage: Coverage[];
  durationMs: number;
}

/**
 * CloudTrail's S3 layout (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`, and
 * `AWSLogs/<o-organization>/<account>/CloudTrail/…` for an organization trail,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html)
 * holds digest files (`CloudTrail-Digest/`, integrity proofs without events) and Insights events
 * (`CloudTrail-Insight/`, no caller) beside the logs: both are left out.
 */
export function isCloudTrailLogFile(path: string): boolean {
  const normalized = path.replaceAll('\\', '/');
  if (/\/CloudTrail-(Digest|Insight)\//.test(normalized)) return false;
  return /\.(json|jsonl|ndjson)(\.gz)?$/i.test(normalized);
}

/**
 * `reachgraph ingest aws-cloudtrail PATH…`: every CloudTrail file under the paths that the store has
 * not ingested yet is read into the per-day aggregates; aggregates older than the retention window
 * are dropped. Incremental and idempotent: a file is known by its content's SHA-256, and an event id
 * already counted is not counted again.
 */
export async function ingestCloudTrail(
  store: ActivityStore,
  paths: string[],
  options: {
    now?: Date;
    retentionDays?: number;
    batchFiles?: number;
    onProgress?: (message: string) => void;
  } = {},
): Promise<IngestResult> {
  const started = Date.now();
  store.touchedSince = undefined;
  const now = options.now ?? new Date();
  const runId = `ingest-${now.toISOString()}-${randomUUID().slice(0, 8)}`;
  const { files: found, missing } = await discoverFiles(paths, isCloudTrailLogFile);
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
  await store.beginRun(runId, 'aws-cloudtrail', now);
  const read = await readCloudTrailFiles(store, runId, fresh, {
    ...(options.batchFiles ? { batchFiles: options.batchFiles } : {}),
    onBatch: (done) => options.onProgress?.(`read ${done}/${fresh.length} files`),
  });
  await store.applyRetention(now, options.retentionDays ?? 90);
  if (store.touchedSince) await store.compact(store.touchedSince);
  const malformed = await store.malformedOf(runId);
  const result: IngestResult = {
    runId,
    source: 'aws-cloudtrail',
    filesRead: read.filesRead,
    filesSkipped: described.length - fresh.length,
    filesFailed: read.failed,
    missing,
    events: read.events,
    duplicates: read.duplicates,
    malformed,
    unresolved: read.unresolved,
    unresolvedActors: await store.unresolvedActors('aws-cloudtrail'),
    coverage: await store.coverage('aws-cloudtrail'),
    durationMs: Date.now() - started,
  };
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
