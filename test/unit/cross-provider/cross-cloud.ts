import { join } from 'node:path';

/** test/fixtures/cross-cloud: a GKE cluster, an AWS account and a GCP organization (its README explains each fact). */
export const CROSS_CLOUD_ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'cross-cloud');
