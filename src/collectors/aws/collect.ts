import type { AwsEnvironment } from '../../model/aws/environment.js';
import { getAwsLive, type LiveOptions } from './live.js';
import { readAwsSnapshot } from './snapshot.js';
import { transformAws } from './transform.js';

/** How a snapshot directory is read. */
export interface SnapshotSourceOptions {
  /** `--region`: the region of regional files at the top of an account folder. */
  region?: string;
  /** The configured home region (`aws.region`): that region when neither `--region` nor the snapshot says. */
  homeRegion?: string;
  /** Largest file read, in bytes. */
  maxFileBytes?: number;
}

/** The AWS collector: get (a snapshot directory or the live API), then the one pure transform. */
export async function collectAws(
  source: ({ snapshotDir: string } & SnapshotSourceOptions) | { live: LiveOptions },
): Promise<AwsEnvironment> {
  if ('live' in source) return transformAws(await getAwsLive(source.live));
  const { snapshotDir, region, homeRegion, maxFileBytes } = source;
  const raw = await readAwsSnapshot(snapshotDir, maxFileBytes !== undefined ? { maxFileBytes } : {});
  return transformAws(raw, {
    ...(region !== undefined ? { region } : {}),
    ...(homeRegion !== undefined ? { homeRegion } : {}),
  });
}
