import type { KubernetesClusterData } from '../../src/model/kubernetes/environment.js';

/** A cluster with nothing collected in it but what `overrides` gives. */
export function emptyCluster(overrides: Partial<KubernetesClusterData> = {}): KubernetesClusterData {
  return {
    name: 'prod',
    namespaces: [],
    nodes: [],
    serviceAccounts: [],
    pods: [],
    workloads: [],
    roles: [],
    clusterRoles: [],
    roleBindings: [],
    clusterRoleBindings: [],
    secrets: [],
    certificateSigningRequests: [],
    webhookConfigurations: [],
    services: [],
    endpointSlices: [],
    awsAuth: [],
    userGroups: {},
    collectedKinds: [],
    ...overrides,
  };
}
