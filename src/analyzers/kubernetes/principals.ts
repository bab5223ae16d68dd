import type { KubernetesClusterData } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type { UserInfo } from '../../model/kubernetes/rbac.js';
import { MASTERS, userInfoOf } from './rbac/subjects.js';

/** A requester of one cluster the analysis decides for, with the node id its edges start at. */
export interface K8sPrincipal {
  id: string;
  kind: 'K8sServiceAccount' | 'K8sUser' | 'K8sGroup' | 'K8sNode';
  name: string;
  namespace?: string;
  user: UserInfo;
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
const NODE_USER = /^system:node:(.+)$/;

/**
 * Every requester the collection knows of in a cluster: its service accounts (collected, or named
 * by a pod or a binding), the users and groups that bindings, the users file and aws-auth name,
 * `system:masters`, and the kubelet of every node. Users are placed in the groups the users file
 * gives them; every principal carries the implicit groups (rbac/subjects.ts). A group on its own
 * stands for members the collection cannot list (an OIDC group): it decides with that group alone.
 * A User subject named like a service account or a node is that service account or node.
 */
export function clusterPrincipals(cluster: KubernetesClusterData): K8sPrincipal[] {
  const c = cluster.name;
  const serviceAccounts = new Map<string, { namespace: string; name: string }>();
  const users = new Set<string>(Object.keys(cluster.userGroups));
  const groups = new Set<string>([MASTERS, ...Object.values(cluster.userGroups).flat()]);
  const addServiceAccount = (namespace: string, name: string) =>
    serviceAccounts.set(`${namespace}/${name}`, { namespace, name });

  for (const sa of cluster.serviceAccounts)
    if (sa.metadata.namespace) addServiceAccount(sa.metadata.namespace, sa.metadata.name);
  for (const pod of cluster.pods)
    if (pod.metadata.namespace) addServiceAccount(pod.metadata.namespace, podServiceAccount(pod.spec));
  const bindings = [
    ...cluster.roleBindings.map((b) => ({ b, ns: b.metadata.namespace })),
    ...cluster.clusterRoleBindings.map((b) => ({ b, ns: undefined })),
  ];
  for (const { b, ns } of bindings)
    for (const s of b.subjects ?? []) {
      if (s.kind === 'ServiceAccount') {
        const namespace = s.namespace || ns;
        if (namespace) addServiceAccount(namespace, s.name);
      } else if (s.kind === 'Group') groups.add(s.name);
      else if (s.kind === 'User') {
        const sa = SA_USER.exec(s.name);
        if (sa) addServiceAccount(sa[1] as string, sa[2] as string);
        else if (!NODE_USER.test(s.name)) users.add(s.name);
      }
    }
  for (const mapping of cluster.awsAuth) {
    if (mapping.username && !mapping.username.includes('{{') && !NODE_USER.test(mapping.username))
      users.add(mapping.username);
    for (const g of mapping.groups) groups.add(g);
  }

  const out: K8sPrincipal[] = [];
  for (const { namespace, name } of [...serviceAccounts.values()].sort(byKey))
    out.push({
      id: k8sIds.serviceAccount(c, namespace, name),
      kind: 'K8sServiceAccount',
      name,
      namespace,
      user: userInfoOf({ kind: 'ServiceAccount', namespace, name }),
    });
  // A user's groups: the users file's, and those aws-auth maps its AWS identity's user name to
  // (https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html).
  const groupsOf = (name: string) => [
    ...new Set([
      ...(cluster.userGroups[name] ?? []),
      ...cluster.awsAuth.filter((m) => m.username === name).flatMap((m) => m.groups),
    ]),
  ];
  for (const name of [...users].sort())
    out.push({
      id: k8sIds.user(c, name),
      kind: 'K8sUser',
      name,
      user: userInfoOf({ kind: 'User', name, groups: groupsOf(name) }),
    });
  for (const name of [...groups].sort())
    out.push({ id: k8sIds.group(c, name), kind: 'K8sGroup', name, user: { name: '', groups: [name] } });
  for (const node of [...cluster.nodes].sort((a, b) => byKey(a.metadata, b.metadata)))
    out.push({
      id: k8sIds.node(c, node.metadata.name),
      kind: 'K8sNode',
      name: node.metadata.name,
      user: userInfoOf({ kind: 'Node', name: node.metadata.name }),
    });
  return out;
}

/** The service account a pod runs as: `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. */
export function podServiceAccount(spec: { serviceAccountName?: string; serviceAccount?: string }): string {
  return spec.serviceAccountName || spec.serviceAccount || 'default';
}

function byKey(a: { namespace?: string; name: string }, b: { namespace?: string; name: string }): number {
  const x = `${a.namespace ?? ''}/${a.name}`;
  const y = `${b.namespace ?? ''}/${b.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
