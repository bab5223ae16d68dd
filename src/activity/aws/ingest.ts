import { type IngestRunResult, runIngest } from '../ingest-run.js';
import type { ActivityStore } from '../store.js';
import { readCloudTrailFiles } from './read.js';

export type IngestResult = IngestRunResult<'aws-cloudtrail'>;

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
  return runIngest(
    store,
    'aws-cloudtrail',
    paths,
    isCloudTrailLogFile,
    async (runId, fresh) => ({
      totals: await readCloudTrailFiles(store, runId, fresh, {
        ...(options.batchFiles ? { batchFiles: options.batchFiles } : {}),
        onBatch: (done) => options.onProgress?.(`read ${done}/${fresh.length} files`),
      }),
      extra: {},
    }),
    options,
  );
}
