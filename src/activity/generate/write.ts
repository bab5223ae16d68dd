import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { groupBy } from '../../util/collections.js';
import { HOUR } from './calls.js';
import type { Random } from './random.js';
import {
  type AwsCall,
  cloudTrailRecord,
  type GcpCall,
  gcpAuditEntry,
  type K8sCall,
  k8sAuditEvent,
} from './records.js';

/** The folders of a generated set, one per source, under the output directory. */
export const LAYOUT = {
  cloudTrail: 'aws-cloudtrail',
  gcpAudit: 'gcp-audit',
  kubernetesAudit: 'kubernetes-audit',
} as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** Groups by key, the groups in key order (the files are written in a stable order). */
function byKey<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  return new Map([...groupBy(items, key).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const dayOf = (time: number) => Math.floor(time / (24 * HOUR)) * 24 * HOUR;
const DELIVERY = 6 * HOUR;
const deliveryOf = (time: number) => Math.floor(time / DELIVERY) * DELIVERY;

/**
 * CloudTrail as a trail delivers it to S3: one gzipped `{"Records": [...]}` per account, region and
 * delivery (CloudTrail delivers about every 5 minutes; here every 6 hours, to keep a month to a few
 * hundred files), named `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`
 * under `AWSLogs/<organization id>/<account>/CloudTrail/<region>/YYYY/MM/DD/` (an organization trail;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
 */
export function writeCloudTrail(
  root: string,
  organizationId: string | undefined,
  calls: AwsCall[],
  random: Random,
): number {
  let files = 0;
  const groups = byKey(
    calls,
    (c) => `${c.account}|${c.region}|${String(deliveryOf(c.time)).padStart(15, '0')}`,
  );
  for (const [key, group] of groups) {
    const [account, region, hour] = key.split('|') as [string, string, string];
    const delivered = new Date(Number(hour) + DELIVERY - 5 * 60_000);
    const y = delivered.getUTCFullYear();
    const m = pad(delivered.getUTCMonth() + 1);
    const d = pad(delivered.getUTCDate());
    const stamp = `${y}${m}${d}T${pad(delivered.getUTCHours())}${pad(delivered.getUTCMinutes())}Z`;
    const dir = join(
      root,
      'AWSLogs',
      ...(organizationId ? [organizationId] : []),
      account,
      'CloudTrail',
      region,
      String(y),
      m,
      d,
    );
    const name = `${account}_CloudTrail_${region}_${stamp}_${random.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}.json.gz`;
    const records = group.sort((a, b) => a.time - b.time).map((c) => cloudTrailRecord(c, random));
    write(join(dir, name), gzipSync(JSON.stringify({ Records: records })));
    files += 1;
  }
  return files;
}

/**
 * Cloud Audit Logs as a log sink exports them to Cloud Storage: newline-delimited LogEntry JSON,
 * `cloudaudit.googleapis.com/<activity|data_access>/YYYY/MM/DD/<start>_<end>_S0.json`
 * (https://cloud.google.com/logging/docs/export/storage#gcs-organization). A sink writes hourly
 * shards (`10:00:00_10:59:59_S0.json`); here one shard covers a day (`00:00:00_23:59:59_S0.json`),
 * to keep a month to a few dozen files.
 */
export function writeGcpAudit(root: string, calls: GcpCall[], random: Random): number {
  let files = 0;
  for (const [key, group] of byKey(calls, (c) => `${c.log}|${String(dayOf(c.time)).padStart(15, '0')}`)) {
    const [log, day] = key.split('|') as [string, string];
    const at = new Date(Number(day));
    const path = join(
      root,
      'cloudaudit.googleapis.com',
      log,
      String(at.getUTCFullYear()),
      pad(at.getUTCMonth() + 1),
      pad(at.getUTCDate()),
      '00:00:00_23:59:59_S0.json',
    );
    const lines = group.sort((a, b) => a.time - b.time).map((c) => JSON.stringify(gcpAuditEntry(c, random)));
    write(path, `${lines.join('\n')}\n`);
    files += 1;
  }
  return files;
}

/**
 * A Kubernetes API server's audit log as its log backend rotates it (`--audit-log-path`,
 * `--audit-log-compress`): one JSON Event per line, a gzipped file per day named after its rotation
 * time (`audit-YYYY-MM-DDTHH-MM-SS.sss.log.gz`), under a folder per cluster.
 */
export function writeKubernetesAudit(
  root: string,
  cluster: string,
  calls: K8sCall[],
  random: Random,
): number {
  let files = 0;
  for (const [key, group] of byKey(calls, (c) => String(dayOf(c.time)).padStart(15, '0'))) {
    const rotated = new Date(Number(key) + 24 * HOUR).toISOString().replace(/:/g, '-').replace('Z', '');
    const lines = group.sort((a, b) => a.time - b.time).map((c) => JSON.stringify(k8sAuditEvent(c, random)));
    write(join(root, cluster, `audit-${rotated}.log.gz`), gzipSync(`${lines.join('\n')}\n`));
    files += 1;
  }
  return files;
}

/** Thousands of small files: written synchronously, each folder created once. */
const made = new Set<string>();
function write(path: string, content: string | Buffer): void {
  const dir = dirname(path);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(path, content);
}
