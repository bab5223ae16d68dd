import { ingestParsed, isJsonLogFile, type ParsedIngestResult } from '../parsed-ingest.js';
import type { ActivityStore } from '../store.js';
import { gcpAuditRow } from './audit-log.js';

/**
 * `reachgraph ingest gcp-audit PATH…`: Cloud Audit Logs as `gcloud logging read --format=json` prints
 * them (a JSON array of LogEntry) or as a log sink exports them to Cloud Storage (newline-delimited
 * LogEntry JSON, https://cloud.google.com/logging/docs/export/storage), gzipped or not. Incremental
 * and idempotent as every ingest: a file is known by its content, an entry by log name and `insertId`.
 */
export function ingestGcpAudit(
  store: ActivityStore,
  paths: string[],
  options: { now?: Date; retentionDays?: number; onProgress?: (message: string) => void } = {},
): Promise<ParsedIngestResult> {
  return ingestParsed(store, 'gcp-audit', paths, isJsonLogFile, gcpAuditRow, options);
}
