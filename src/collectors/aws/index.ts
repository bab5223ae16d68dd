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

export type { AwsClassificationOptions } from './classification.js';
export { classificationOptions, DEFAULT_AWS_CLASSIFICATION } from './classification.js';
export { accessKeyNodeId, accountNodeId, accountScopeId, awsInventory, RESOURCE_KINDS } from './inventory.js';
export { type AwsCredentials, getAwsLive, type LiveOptions } from './live.js';
export type { AwsRaw, AwsRawScope } from './raw.js';
export { readAwsSnapshot, writeAwsSnapshot } from './snapshot.js';
export { allIssues, transformAws } from './transform.js';
