import { ingestParsed, isJsonLogFile, type ParsedIngestResult } from '../parsed-ingest.js';
import type { ActivityStore } from '../store.js';
import { k8sAuditRow } from './audit-event.js';

/** Log files by name, and the objects of a CloudWatch Logs export to S3 (`…/000000.gz`). */
export function isKubernetesAuditFile(path: string): boolean {
  return isJsonLogFile(path) || /(^|[/\\])\d+\.gz$/.test(path);
}

/**
 * `reachgraph ingest kubernetes-audit PATH… --cluster NAME`: the API server's audit log as its log
 * backend writes it (`--audit-log-path`, one `audit.k8s.io/v1` Event per line, rotated files gzipped
 * or not) and EKS control-plane audit logs as CloudWatch Logs gives them (`parseFile`'s `cloudWatch`). The events
 * do not name their cluster, so the caller does, as the cluster is named in the graph.
 */
export function ingestKubernetesAudit(
  store: ActivityStore,
  paths: string[],
  cluster: string,
  options: { now?: Date; retentionDays?: number; onProgress?: (message: string) => void } = {},
): Promise<ParsedIngestResult> {
  return ingestParsed(store, 'kubernetes-audit', paths, isKubernetesAuditFile, k8sAuditRow(cluster), {
    ...options,
    cloudWatch: true,
  });
}
