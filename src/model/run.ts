/** Run and scope records: bookkeeping nodes the loader writes beside the inventory. */

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A `CollectionRun` node: one load of one inventory. */
export interface CollectionRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  sources: string[];
  scopes: string[];
  /** Scopes whose stale facts this run deleted (complete scopes of a successful run only). */
  cleanedScopes: string[];
  /** Rows written per label/type, e.g. `{ "AwsRole": 12, "CAN_ASSUME": 3 }`. */
  counts: Record<string, number>;
  /** Nodes and relationships deleted by scoped cleanup. */
  deleted: Record<string, number>;
  errors: string[];
  /** The time the run's analysis decided time conditions at (ISO 8601); null for runs loaded without one. */
  asOf: string | null;
}

/**
 * Run ids sort by start time, so "the last run" is a string comparison; the random suffix keeps
 * two runs started in the same millisecond apart.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}
