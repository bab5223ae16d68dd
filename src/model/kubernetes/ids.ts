/**
 * Node ids of Kubernetes objects (the formats are declared with their kinds in node-kinds.ts). One
 * home, so the collector's nodes and the analyzer's edges always name the same node. A cluster
 * name is the snapshot folder's or kubeconfig context's name; it holds no `:`.
 */

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'ReplicaSet' | 'Job' | 'CronJob';

export const k8sIds = {
  cluster: (cluster: string) => `k8s:${cluster}`,
  namespace: (cluster: string, namespace: string) => `k8s:${cluster}:ns:${namespace}`,
  serviceAccount: (cluster: string, namespace: string, name: string) =>
    `k8s:${cluster}:${namespace}:sa:${name}`,
  user: (cluster: string, name: string) => `k8s:${cluster}:user:${name}`,
  group: (cluster: string, name: string) => `k8s:${cluster}:group:${name}`,
  pod: (cluster: string, namespace: string, name: string) => `k8s:${cluster}:${namespace}:pod:${name}`,
  workload: (cluster: string, namespace: string, kind: WorkloadKind, name: string) =>
    `k8s:${cluster}:${namespace}:${kind.toLowerCase()}:${name}`,
  node: (cluster: string, name: string) => `k8s:${cluster}:node:${name}`,
  secret: (cluster: string, namespace: string, name: string) => `k8s:${cluster}:${namespace}:secret:${name}`,
  tokenSecret: (cluster: string, namespace: string, name: string) =>
    `k8s:${cluster}:${namespace}:token:${name}`,
  role: (cluster: string, namespace: string, name: string) => `k8s:${cluster}:${namespace}:role:${name}`,
  clusterRole: (cluster: string, name: string) => `k8s:${cluster}:clusterrole:${name}`,
  roleBinding: (cluster: string, namespace: string, name: string) =>
    `k8s:${cluster}:${namespace}:rolebinding:${name}`,
  clusterRoleBinding: (cluster: string, name: string) => `k8s:${cluster}:clusterrolebinding:${name}`,
} as const;

/**
 * The node a user name stands for: a service account's token authenticates as
 * `system:serviceaccount:NS:NAME`, a kubelet as `system:node:NAME`
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#users-in-kubernetes,
 * https://kubernetes.io/docs/reference/access-authn-authz/node/); any other name is a user.
 */
export function userNameNode(
  cluster: string,
  username: string,
): { id: string; kind: 'K8sServiceAccount' | 'K8sNode' | 'K8sUser' } {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa)
    return {
      id: k8sIds.serviceAccount(cluster, sa[1] as string, sa[2] as string),
      kind: 'K8sServiceAccount',
    };
  const node = /^system:node:(.+)$/.exec(username);
  if (node) return { id: k8sIds.node(cluster, node[1] as string), kind: 'K8sNode' };
  return { id: k8sIds.user(cluster, username), kind: 'K8sUser' };
}

/** The collection scope of a cluster. */
export function k8sScope(cluster: string): string {
  return `k8s:${cluster}`;
}
