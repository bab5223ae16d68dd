/**
 * The resource kinds the Kubernetes collector reads, in one place: the snapshot file each is kept
 * in (`kubernetes/<cluster>/<file>.json`, the `kubectl get <file> -A -o json` List), the API path
 * the live collector lists it from, and the object kind its items are. The snapshot reader, the
 * live collector, the snapshot writer and `scripts/snapshot-kubernetes.sh` (checked by a unit test)
 * all follow this list. Every verb used is read-only: `list` (and `get` of the one aws-auth ConfigMap).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
export interface CollectedKind {
  /** The snapshot file name without `.json`, and the `kubectl get` resource name. */
  file: string;
  /** The object kind of its items (`Pod`), set on every item (the API leaves it off List items). */
  kind: string;
  /** The items' apiVersion. */
  apiVersion: string;
  /** The collection path of the API, all namespaces. */
  path: string;
  /** Objects of a namespace (each item must name its namespace). */
  namespaced: boolean;
}

const core = (file: string, kind: string, namespaced: boolean): CollectedKind => ({
  file,
  kind,
  apiVersion: 'v1',
  path: `/api/v1/${file}`,
  namespaced,
});
const group = (api: string, file: string, kind: string, namespaced: boolean): CollectedKind => ({
  file,
  kind,
  apiVersion: api,
  path: `/apis/${api}/${file}`,
  namespaced,
});

export const COLLECTED_KINDS = [
  core('namespaces', 'Namespace', false),
  core('nodes', 'Node', false),
  core('serviceaccounts', 'ServiceAccount', true),
  core('pods', 'Pod', true),
  group('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false),
  group('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  group('rbac.authorization.k8s.io/v1', 'roles', 'Role', true),
  group('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true),
  group('apps/v1', 'deployments', 'Deployment', true),
  group('apps/v1', 'daemonsets', 'DaemonSet', true),
  group('apps/v1', 'statefulsets', 'StatefulSet', true),
  group('apps/v1', 'replicasets', 'ReplicaSet', true),
  group('batch/v1', 'jobs', 'Job', true),
  group('batch/v1', 'cronjobs', 'CronJob', true),
  // Metadata only: the live collector asks for a Table of metadata, the snapshot reader strips `data`.
  core('secrets', 'Secret', true),
  // Only kube-system/aws-auth is read (by name); every other ConfigMap is dropped.
  { ...core('configmaps', 'ConfigMap', true), path: '/api/v1/namespaces/kube-system/configmaps/aws-auth' },
  group('certificates.k8s.io/v1', 'certificatesigningrequests', 'CertificateSigningRequest', false),
  group(
    'admissionregistration.k8s.io/v1',
    'validatingwebhookconfigurations',
    'ValidatingWebhookConfiguration',
    false,
  ),
  group(
    'admissionregistration.k8s.io/v1',
    'mutatingwebhookconfigurations',
    'MutatingWebhookConfiguration',
    false,
  ),
  core('services', 'Service', true),
  group('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice', true),
] as const satisfies readonly CollectedKind[];

export type KindFile = (typeof COLLECTED_KINDS)[number]['file'];

/** The optional users file of a cluster folder: user name → the groups its credentials carry. */
export const USER_GROUPS_FILE = 'user-groups.json';
/** The optional cluster file of a cluster folder: `{"oidcIssuer": "https://…"}`. */
export const CLUSTER_FILE = 'cluster.json';

/** A cluster name is a folder or context name and part of every node id: no `:`, no `/`. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (/[:/\\\s]/.test(name))
    return 'holds ":", "/", "\\" or white space (it is part of every node id k8s:<cluster>:…)';
  return undefined;
}
