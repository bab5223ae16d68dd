import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../model/gcp/roles.js';
import { readGcpSnapshot } from './snapshot.js';
import { transformGcp } from './transform.js';

/** Where GCP data comes from: a snapshot root today (the live APIs and a Cloud Asset Inventory export give the same raw shapes). */
export type GcpSource = { snapshotDir: string };

export async function collectGcp(source: GcpSource): Promise<GcpEnvironment> {
  const raw = await readGcpSnapshot(source.snapshotDir);
  return transformGcp(raw, { dataset: shippedPredefinedRoles() });
}
