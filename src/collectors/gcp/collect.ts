import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../model/gcp/roles.js';
import { type GcpLiveOptions, getGcpLive } from './live.js';
import { readGcpSnapshot } from './snapshot.js';
import { transformGcp } from './transform.js';

/** Where GCP data comes from: a snapshot root or the live APIs (both give the same raw shapes). */
export type GcpSource = { snapshotDir: string } | { live: GcpLiveOptions };

/** The GCP collector: get (a snapshot directory or the live APIs), then the one pure transform. */
export async function collectGcp(source: GcpSource): Promise<GcpEnvironment> {
  const raw =
    'snapshotDir' in source ? await readGcpSnapshot(source.snapshotDir) : await getGcpLive(source.live);
  return transformGcp(raw, { dataset: shippedPredefinedRoles() });
}
