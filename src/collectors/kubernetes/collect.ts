import type { KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { getKubernetesLive, type KubernetesLiveOptions } from './live.js';
import { type KubernetesSnapshotOptions, readKubernetesSnapshot } from './snapshot.js';
import { transformKubernetes } from './transform.js';

export type KubernetesSource =
  | ({ snapshotDir: string } & KubernetesSnapshotOptions)
  | { live: KubernetesLiveOptions };

/** The Kubernetes collector: get (a snapshot directory or the live API), then the one pure transform. */
export async function collectKubernetes(source: KubernetesSource): Promise<KubernetesEnvironment> {
  if ('live' in source) return transformKubernetes(await getKubernetesLive(source.live));
  const { snapshotDir, ...options } = source;
  return transformKubernetes(await readKubernetesSnapshot(snapshotDir, options));
}
