import type { AwsEnvironment } from '../../model/aws/environment.js';
import { getAwsLive, type LiveOptions } from './live.js';
import { readAwsSnapshot } from './snapshot.js';
import { transformAws } from './transform.js';

/** The AWS collector: get (a snapshot directory or the live API), then the one pure transform. */
export async function collectAws(
  source: { snapshotDir: string } | { live: LiveOptions },
): Promise<AwsEnvironment> {
  const raw =
    'snapshotDir' in source ? await readAwsSnapshot(source.snapshotDir) : await getAwsLive(source.live);
  return transformAws(raw);
}
