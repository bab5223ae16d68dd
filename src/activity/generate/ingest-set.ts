import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { ingestCloudTrail } from '../aws/ingest.js';
import { ingestGcpAudit } from '../gcp/ingest.js';
import type { IngestRunResult } from '../ingest-run.js';
import { ingestKubernetesAudit } from '../kubernetes/ingest.js';
import type { ActivitySource, ActivityStore } from '../store.js';
import type { Incident, Manifest } from './index.js';

/** Ingest every source of a generated set into `store`, each with its own ingest (as its command would). */
export async function ingestGenerated(
  store: ActivityStore,
  dir: string,
  manifest: Manifest,
  options: { now?: Date; retentionDays?: number } = {},
): Promise<IngestRunResult<ActivitySource>[]> {
  const { sources } = manifest;
  const k8s = sources['kubernetes-audit'];
  return [
    await ingestCloudTrail(store, [join(dir, sources['aws-cloudtrail'].path)], options),
    await ingestGcpAudit(store, [join(dir, sources['gcp-audit'].path)], options),
    await ingestKubernetesAudit(store, [join(dir, k8s.path)], k8s.cluster, options),
  ];
}

/** What the store holds of an incident: its events grouped by identity, action, resource, network and outcome. */
export interface IncidentEvents {
  firstTime: string;
  identity: string;
  action: string;
  /** The resource, an S3 object's bucket for short. */
  resource: string | null;
  network: string | null;
  regions: string[];
  outcome: string;
  count: number;
}

/**
 * The events of an incident's identities from the store's per-day aggregates whose first event of
 * the day falls between the incident's first and last event (a combination the identity also made
 * earlier that day is its normal behaviour), grouped by identity, action, resource (S3 objects by
 * bucket), network and outcome, in time order.
 */
export async function incidentEvents(store: ActivityStore, incident: Incident): Promise<IncidentEvents[]> {
  const rows = await store.rows<{
    first: string;
    identity: string;
    action: string;
    target: string | null;
    network: string | null;
    regions: string | null;
    outcome: string;
    count: string;
  }>(
    `SELECT strftime(min(first_time), '%Y-%m-%dT%H:%M:%SZ') AS first, identity, action,
            CASE WHEN starts_with(resource, 'arn:aws:s3:::') THEN split_part(resource, '/', 1) ELSE resource END AS target,
            network, string_agg(DISTINCT region, ' ' ORDER BY region) AS regions, outcome,
            sum(count)::VARCHAR AS count
     FROM daily
     WHERE list_contains($identities::VARCHAR[], identity)
       AND first_time BETWEEN $start::TIMESTAMP AND $end::TIMESTAMP
     GROUP BY identity, action, target, network, outcome
     ORDER BY first, identity, action, target NULLS FIRST`,
    {
      identities: listValue(incident.identities),
      start: incident.start.slice(0, 19),
      end: incident.end.slice(0, 19),
    },
  );
  return rows.map((r) => ({
    firstTime: r.first,
    identity: r.identity,
    action: r.action,
    resource: r.target,
    network: r.network,
    regions: r.regions ? r.regions.split(' ') : [],
    outcome: r.outcome,
    count: Number(r.count),
  }));
}
