import {
  emptyCluster as emptyNamed,
  type KubernetesClusterData,
} from '../../src/model/kubernetes/environment.js';

/** A cluster with nothing collected in it but what `overrides` gives. */
export function emptyCluster(overrides: Partial<KubernetesClusterData> = {}): KubernetesClusterData {
  return emptyNamed('prod', overrides);
}
