import { emptyCluster, type KubernetesClusterData } from '../model/kubernetes/environment.js';
import type { ClusterRole, Role, RoleBinding, Subject } from '../model/kubernetes/rbac.js';
import type { ValidInventory } from '../model/validate.js';
import { type GraphReader, storedJson } from './graph-reader.js';

/**
 * The RBAC objects the Kubernetes authorization questions need, read back from what the graph
 * stores: roles with their rules, ClusterRoles with their labels and aggregation rules, bindings
 * with their role and subjects, the service accounts, users (with the groups they are MEMBER_OF)
 * and nodes a cluster knows. The same rows come from Neo4j (`cypher/answers/kubernetes-rbac-objects`)
 * or from an inventory in memory (a snapshot), and become the clusters the one RBAC authorizer reads
 * (answers/kubernetes-rbac.ts), so the CLI, the API and a snapshot give the same answer.
 */

/** The node kinds the questions read (those cypher/answers/kubernetes-rbac-objects returns). */
const RBAC_OBJECT_KINDS = [
  'K8sRole',
  'K8sClusterRole',
  'K8sRoleBinding',
  'K8sClusterRoleBinding',
  'K8sServiceAccount',
  'K8sUser',
  'K8sNode',
] as const;

/** One stored object: its kind, its properties, and for a user the groups it is MEMBER_OF. */
export interface RbacObjectRow {
  kind: string;
  props: Record<string, unknown>;
  groups: string[];
}

/** The rows from Neo4j, for every cluster or one. */
export function readRbacObjects(reader: GraphReader, cluster?: string): Promise<RbacObjectRow[]> {
  return reader.query<RbacObjectRow>('answers/kubernetes-rbac-objects', { cluster: cluster ?? null });
}

/** The same rows from an inventory (what the loader would write). */
export function rbacObjectsOfInventory(valid: ValidInventory): RbacObjectRow[] {
  const kinds = new Set<string>(RBAC_OBJECT_KINDS);
  const nameOf = new Map<string, string>();
  const rows = new Map<string, RbacObjectRow>();
  for (const n of valid.nodes) {
    if (n.kind === 'K8sGroup') nameOf.set(n.id, String(n.properties.name));
    if (kinds.has(n.kind)) rows.set(n.id, { kind: n.kind, props: { ...n.properties }, groups: [] });
  }
  for (const r of valid.relationships) {
    const group = r.type === 'MEMBER_OF' ? nameOf.get(r.to) : undefined;
    if (group !== undefined) rows.get(r.from)?.groups.push(group);
  }
  return [...rows.values()];
}

/** The clusters the rows describe, in name order, holding what the RBAC authorizer reads. */
export function rbacClusters(rows: readonly RbacObjectRow[]): KubernetesClusterData[] {
  const clusters = new Map<string, KubernetesClusterData>();
  const clusterOf = (name: string) => {
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = emptyCluster(name, {
        collectedKinds: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'],
      });
      clusters.set(name, cluster);
    }
    return cluster;
  };
  for (const { kind, props, groups } of rows) {
    const cluster = clusterOf(String(props.cluster));
    const name = String(props.name);
    const namespace = typeof props.namespace === 'string' ? props.namespace : undefined;
    const meta = namespace === undefined ? { name } : { name, namespace };
    switch (kind) {
      case 'K8sRole':
        cluster.roles.push({ metadata: meta, rules: parsed(props, 'rules', []) } as Role);
        break;
      case 'K8sClusterRole':
        cluster.clusterRoles.push({
          metadata: { name, labels: labelsOf(props.labels) },
          rules: parsed(props, 'rules', []),
          ...(typeof props.aggregationRule === 'string'
            ? { aggregationRule: parsed(props, 'aggregationRule', {}) }
            : {}),
        } as ClusterRole);
        break;
      case 'K8sRoleBinding':
      case 'K8sClusterRoleBinding': {
        const binding = {
          metadata: meta,
          roleRef: roleRefOf(String(props.roleRef)),
          subjects: parsed<Subject[]>(props, 'subjectsJson', []),
        } as RoleBinding;
        (kind === 'K8sRoleBinding' ? cluster.roleBindings : cluster.clusterRoleBindings).push(binding);
        break;
      }
      case 'K8sServiceAccount':
        if (namespace !== undefined) cluster.serviceAccounts.push({ metadata: { name, namespace } });
        break;
      case 'K8sUser':
        (cluster.userGroups as Record<string, readonly string[]>)[name] = [...groups].sort();
        break;
      case 'K8sNode':
        // A node only an edge named (not collected) has no kubelet the collection knows.
        if (props.collected !== false) cluster.nodes.push({ metadata: { name } });
        break;
    }
  }
  return [...clusters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A JSON property the inventory wrote (providers/kubernetes/inventory.ts). */
function parsed<T>(props: Record<string, unknown>, key: string, fallback: T): T {
  return storedJson(props, key, fallback, 'sync the cluster again');
}

/** `ClusterRole/view` → the roleRef it was written from. */
function roleRefOf(text: string): RoleBinding['roleRef'] {
  const slash = text.indexOf('/');
  return {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: text.slice(0, slash) as RoleBinding['roleRef']['kind'],
    name: text.slice(slash + 1),
  };
}

/** `key=value` strings → labels. */
function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of Array.isArray(value) ? value : []) {
    const text = String(entry);
    const eq = text.indexOf('=');
    if (eq > 0) labels[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return labels;
}
