import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { pageLimit } from './page-limit.js';

/**
 * Job run records: every run of a scheduler job is a `JobRun` node next to the collection and
 * report runs, so the API can count runs and tell when a job last succeeded, whichever scheduler
 * process ran it.
 */

const cypher = (name: string) => cypherFile(`records/job-runs/${name}`);

export const JOB_RUN_STATUSES = ['succeeded', 'failed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export interface JobRunRecord {
  id: string;
  job: string;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** Why it failed (the first line people need); null when it succeeded. */
  error: string | null;
  /** The report the run produced, when it got that far. */
  reportId: string | null;
}

/** A stored run as read back: timestamps as ISO strings. */
export interface StoredJobRun extends Omit<JobRunRecord, 'startedAt' | 'finishedAt'> {
  startedAt: string;
  finishedAt: string;
}

const MAX_ERROR_LENGTH = 2_000;

export async function recordJobRun(executor: GraphExecutor, run: JobRunRecord): Promise<void> {
  await executor.write(
    cypher('record-job-run'),
    {
      id: run.id,
      job: run.job,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      // Whole milliseconds, so it is stored as an INTEGER.
      durationMs: Math.round(run.durationMs),
      error: run.error === null ? null : run.error.slice(0, MAX_ERROR_LENGTH),
      reportId: run.reportId,
    },
    { action: `recording job run ${run.id} of job ${run.job}` },
  );
}

export async function listJobRuns(
  executor: GraphExecutor,
  options: { job?: string; last?: number } = {},
): Promise<StoredJobRun[]> {
  const rows = await executor.read<{ run: StoredJobRun }>(
    cypher('list-job-runs'),
    { job: options.job ?? null, limit: pageLimit(options.last ?? 20) },
    { action: 'listing job runs' },
  );
  return rows.map((r) => r.run);
}

export interface JobRunStats {
  /** Runs per job and status. */
  runs: { job: string; status: string; count: number }[];
  /** Per job with at least one successful run: when the last one finished (epoch seconds). */
  lastSuccess: { job: string; timestampSeconds: number }[];
}

/**
 * The figures /metrics shows, read at scrape time. A scrape must not hang on a slow or absent
 * database: the query has a server-side timeout and the caller stops waiting after `timeoutMs`.
 */
export async function readJobRunStats(
  executor: GraphExecutor,
  options: { timeoutMs: number },
): Promise<JobRunStats> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`job run statistics: no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
  });
  const query = executor.read<{ job: string; status: string; runs: number; lastSuccessMs: number | null }>(
    cypher('job-run-stats'),
    {},
    { action: 'reading job run statistics', timeoutMs: options.timeoutMs },
  );
  try {
    const rows = await Promise.race([query, timeout]);
    return {
      runs: rows.map((r) => ({ job: r.job, status: r.status, count: r.runs })),
      lastSuccess: rows
        .filter((r) => r.lastSuccessMs !== null)
        .map((r) => ({ job: r.job, timestampSeconds: (r.lastSuccessMs as number) / 1000 })),
    };
  } finally {
    clearTimeout(timer);
    // The losing query may still fail later; that is already reported as the timeout.
    query.catch(() => {});
  }
}
