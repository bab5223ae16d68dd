import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../model/gcp/roles.js';
import type { GcpRaw } from './raw.js';
import { readGcpSnapshot } from './snapshot.js';
import { transformGcp } from './transform.js';

/** Where GCP data comes from: a snapshot root (the live APIs and a Cloud Asset Inventory export will give the same raw shapes). */
export type GcpSource = { snapshotDir: string } | { live: true };

/**
 * Live collection is not available yet: a live run (`sync` with no provider named collects every
 * provider live) gets no GCP scope and a warning saying how to collect instead.
 */
export async function collectGcp(source: GcpSource): Promise<GcpEnvironment> {
  const raw: GcpRaw =
    'snapshotDir' in source
      ? await readGcpSnapshot(source.snapshotDir)
      : {
          levels: [],
          issues: [
            {
              severity: 'warning',
              source: 'gcp live',
              message:
                'live GCP collection is not available yet: nothing was collected; write a snapshot with scripts/snapshot-gcp.sh and use --snapshot',
            },
          ],
        };
  return transformGcp(raw, { dataset: shippedPredefinedRoles() });
}
