import type { KubernetesAnalysis } from '../../analyzers/kubernetes/analyze.js';
import { clusterPrincipals, podServiceAccount } from '../../analyzers/kubernetes/principals.js';
import { AUTHENTICATED } from '../../analyzers/kubernetes/rbac/subjects.js';
import { classificationOptions, classifyEnvironment } from '../../collectors/aws/classification.js';
import { issueScope } from '../../collectors/kubernetes/transform.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
  type InventoryRelationship,
  type PropertyValue,
} from '../../model/inventory.js';
import type {
  KubernetesClusterData,
  KubernetesEnvironment,
  Pod,
} from '../../model/kubernetes/environment.js';
import { k8sIds, k8sScope, userNameNode } from '../../model/kubernetes/ids.js';
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from '../../model/kubernetes/rbac.js';
import { NODE_KINDS } from '../../model/node-kinds.js';
import type { Environment } from '../../model/properties.js';
import { scopeRecord } from '../scope-record.js';

export interface KubernetesInventoryOptions {
  sourceName: string;
  /** Cluster name → environment, when a namespace's labels and name do not say. */
  clusterEnvironments?: Readonly<Record<string, Environment>>;
  generatedAt?: string;
}

const LEGACY_TOKEN = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/**
 * The Kubernetes part of a run's inventory: one scope per cluster (complete only when its
 * collection and analysis had no error), the cluster, its namespaces, every principal the analysis
 * decides for, pods, workloads, nodes, roles, bindings and secrets (metadata only), the structural
 * relationships between them (CONTAINS, BOUND_TO subject → binding → role, MEMBER_OF from the users
 * file, CHILD_OF pod → owning workload) and the analysis edges.
 */
export function buildKubernetesInventory(
  environment: KubernetesEnvironment,
  analysis: KubernetesAnalysis,
  options: KubernetesInventoryOptions,
): Inventory {
  const nodes = new Map<string, InventoryNode>();
  const relationships: InventoryRelationship[] = [];
  for (const cluster of environment.clusters) clusterInventory(cluster, options, nodes, relationships);
  for (const hub of analysis.nodes) nodes.set(hub.id, hub);
  // An analysis edge may name an object the collection did not list (a pod's node when nodes were
  // not collected): it gets a node of its kind, named by its id, so that the edge is kept.
  for (const edge of analysis.edges)
    for (const id of [edge.from, edge.to]) if (!nodes.has(id)) addNamedById(nodes, id);
  return {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    source: { name: options.sourceName, description: 'reachgraph Kubernetes collector and RBAC analyzer' },
    scopes: environment.clusters.map((c) => scopeOf(c.name, [...environment.issues, ...analysis.issues])),
    nodes: [...nodes.values()],
    relationships: [...relationships, ...analysis.edges],
  };
}

function scopeOf(cluster: string, issues: readonly CollectionIssue[]): Inventory['scopes'][number] {
  return scopeRecord({ id: k8sScope(cluster), provider: 'kubernetes', name: cluster }, issues, issueScope);
}

function clusterInventory(
  cluster: KubernetesClusterData,
  options: KubernetesInventoryOptions,
  nodes: Map<string, InventoryNode>,
  relationships: InventoryRelationship[],
): void {
  const c = cluster.name;
  const scope = k8sScope(c);
  const clusterId = k8sIds.cluster(c);
  const classification = classificationOptions({ accountEnvironments: { ...options.clusterEnvironments } });
  const add = (id: string, kind: string, properties: Record<string, PropertyValue | undefined>) => {
    if (nodes.has(id)) return;
    const defined = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined));
    nodes.set(id, {
      id,
      kind,
      scope,
      properties: { cluster: c, ...defined } as Record<string, PropertyValue>,
    });
  };
  const rel = (type: string, from: string, to: string) =>
    relationships.push({ type, from, to, scope, properties: {}, evidence: [] });
  const contains = (parent: string, id: string) => rel('CONTAINS', parent, id);

  // Namespaces: environment from their labels (env/environment/stage), then the cluster's configured
  // environment, then words in the namespace's and the cluster's names, as AWS accounts' resources.
  const clusterEnvironment = options.clusterEnvironments?.[c];
  add(clusterId, 'K8sCluster', {
    name: c,
    oidcIssuer: cluster.oidcIssuer,
    workloadPool: cluster.workloadPool,
    gkeCluster: cluster.gkeCluster,
    server: cluster.server,
    environment: clusterEnvironment,
    collectedKinds: cluster.collectedKinds,
  });
  const namespaceEnvironment = new Map<string, Environment>();
  const labelsOf = new Map(cluster.namespaces.map((n) => [n.metadata.name, n.metadata.labels ?? {}]));
  const namespaceObjects = new Map(cluster.namespaces.map((n) => [n.metadata.name, n]));
  const namespaceNames = new Set(labelsOf.keys());
  for (const o of [...cluster.pods, ...cluster.serviceAccounts, ...cluster.roleBindings, ...cluster.roles])
    if (o.metadata.namespace) namespaceNames.add(o.metadata.namespace);
  for (const ns of [...namespaceNames].sort()) {
    const labels = labelsOf.get(ns) ?? {};
    const environment = classifyEnvironment(
      { name: ns, tags: { ...labels }, accountId: c },
      c,
      classification,
    );
    namespaceEnvironment.set(ns, environment);
    const id = k8sIds.namespace(c, ns);
    const annotations = namespaceObjects.get(ns)?.metadata.annotations ?? {};
    add(id, 'K8sNamespace', {
      name: ns,
      environment,
      labels: keyValues(labels),
      annotations: keyValues(annotations),
    });
    contains(clusterId, id);
  }
  const envOf = (ns: string | undefined) => (ns ? namespaceEnvironment.get(ns) : clusterEnvironment);
  const inNamespace = (ns: string, id: string) => contains(k8sIds.namespace(c, ns), id);

  const serviceAccounts = new Map(
    cluster.serviceAccounts.map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa]),
  );
  for (const p of clusterPrincipals(cluster)) {
    if (p.kind === 'K8sServiceAccount') {
      const sa = serviceAccounts.get(`${p.namespace}/${p.name}`);
      add(p.id, p.kind, {
        name: p.name,
        namespace: p.namespace,
        nonHuman: true,
        nhiType: 'service-account',
        environment: envOf(p.namespace),
        labels: keyValues(sa?.metadata.labels ?? {}),
        annotations: keyValues(sa?.metadata.annotations ?? {}),
        collected: sa !== undefined,
      });
      inNamespace(p.namespace as string, p.id);
    } else if (p.kind === 'K8sNode') {
      const node = cluster.nodes.find((n) => n.metadata.name === p.name);
      const labels = node?.metadata.labels ?? {};
      add(p.id, p.kind, {
        name: p.name,
        nonHuman: true,
        nhiType: 'workload',
        environment: clusterEnvironment,
        controlPlane:
          'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels,
        providerId: node?.spec?.providerID,
      });
      contains(clusterId, p.id);
    } else {
      // Users and groups are names that bindings, the users file and aws-auth give; the components'
      // own identities (system:…, eks:…) are not people.
      const component = /^(system|eks):/.test(p.name);
      add(p.id, p.kind, {
        name: p.name,
        nonHuman: component,
        ...(component ? { nhiType: 'bot' } : {}),
      });
      contains(clusterId, p.id);
    }
  }
  // A user's groups (the users file's and aws-auth's): stored, so that the RBAC questions asked of
  // the graph place the user in them as the analysis did (answers/kubernetes-rbac-objects.ts).
  for (const p of clusterPrincipals(cluster))
    if (p.kind === 'K8sUser')
      for (const group of p.user.groups)
        if (group !== AUTHENTICATED) rel('MEMBER_OF', p.id, k8sIds.group(c, group));

  const workloadIds = new Map<string, string>();
  for (const w of cluster.workloads) {
    const ns = w.metadata.namespace as string;
    const id = k8sIds.workload(c, ns, w.kind, w.metadata.name);
    workloadIds.set(`${ns}/${w.kind}/${w.metadata.name}`, id);
    add(id, 'K8sWorkload', {
      name: w.metadata.name,
      namespace: ns,
      workloadKind: w.kind,
      serviceAccount: podServiceAccount(w.template.spec),
      nonHuman: true,
      nhiType: 'workload',
      environment: envOf(ns),
      // The owner labels of docs/owners.md (team, owner…) are on the controller.
      labels: keyValues(w.metadata.labels ?? {}),
      annotations: keyValues(w.metadata.annotations ?? {}),
      ...podSpecFlags(w.template.spec),
    });
    inNamespace(ns, id);
  }
  const childOf = (id: string, ns: string, owners: Pod['metadata']['ownerReferences']) => {
    for (const owner of owners ?? []) {
      const parent = workloadIds.get(`${ns}/${owner.kind}/${owner.name}`);
      if (parent) rel('CHILD_OF', id, parent);
    }
  };
  for (const w of cluster.workloads)
    childOf(
      workloadIds.get(`${w.metadata.namespace}/${w.kind}/${w.metadata.name}`) as string,
      w.metadata.namespace as string,
      w.metadata.ownerReferences,
    );
  for (const pod of cluster.pods) {
    const ns = pod.metadata.namespace as string;
    const id = k8sIds.pod(c, ns, pod.metadata.name);
    add(id, 'K8sPod', {
      name: pod.metadata.name,
      namespace: ns,
      serviceAccount: podServiceAccount(pod.spec),
      nodeName: pod.spec.nodeName,
      phase: pod.status?.phase,
      nonHuman: true,
      nhiType: 'workload',
      environment: envOf(ns),
      labels: keyValues(pod.metadata.labels ?? {}),
      annotations: keyValues(pod.metadata.annotations ?? {}),
      ...podSpecFlags(pod.spec),
    });
    inNamespace(ns, id);
    childOf(id, ns, pod.metadata.ownerReferences);
  }

  for (const role of cluster.roles) {
    const ns = role.metadata.namespace as string;
    const id = k8sIds.role(c, ns, role.metadata.name);
    add(id, 'K8sRole', { name: role.metadata.name, namespace: ns, rules: JSON.stringify(role.rules ?? []) });
    inNamespace(ns, id);
  }
  for (const role of cluster.clusterRoles) {
    const id = k8sIds.clusterRole(c, role.metadata.name);
    add(id, 'K8sClusterRole', clusterRoleProperties(role));
    contains(clusterId, id);
  }
  const principalIds = new Set([...nodes.keys()]);
  const bindings = [
    ...cluster.roleBindings.map((b) => ({ b, ns: b.metadata.namespace as string | undefined })),
    ...cluster.clusterRoleBindings.map((b) => ({ b, ns: undefined })),
  ];
  for (const { b, ns } of bindings) {
    const id = ns
      ? k8sIds.roleBinding(c, ns, b.metadata.name)
      : k8sIds.clusterRoleBinding(c, b.metadata.name);
    add(id, ns ? 'K8sRoleBinding' : 'K8sClusterRoleBinding', bindingProperties(b));
    if (ns) inNamespace(ns, id);
    else contains(clusterId, id);
    const role =
      b.roleRef.kind === 'Role' && ns
        ? k8sIds.role(c, ns, b.roleRef.name)
        : k8sIds.clusterRole(c, b.roleRef.name);
    // A binding to a role that does not exist grants nothing until someone creates that role.
    if (nodes.has(role)) rel('BOUND_TO', id, role);
    for (const s of b.subjects ?? []) {
      const subject = subjectId(c, s, ns);
      if (subject && principalIds.has(subject)) rel('BOUND_TO', subject, id);
    }
  }

  for (const secret of cluster.secrets) {
    const ns = secret.metadata.namespace as string;
    const id = k8sIds.secret(c, ns, secret.metadata.name);
    const token =
      secret.type === LEGACY_TOKEN ? secret.metadata.annotations?.[SA_NAME_ANNOTATION] : undefined;
    add(id, 'K8sSecret', {
      name: secret.metadata.name,
      namespace: ns,
      secretType: secret.type,
      serviceAccount: token,
      environment: envOf(ns),
    });
    inNamespace(ns, id);
  }
}

/**
 * A ClusterRole's stored properties: its rules, and the labels and aggregation rule that aggregation
 * selects by, which the RBAC questions asked of the graph read back (answers/kubernetes-rbac-objects.ts).
 */
export function clusterRoleProperties(role: ClusterRole): Record<string, PropertyValue> {
  return {
    name: role.metadata.name,
    rules: JSON.stringify(role.rules ?? []),
    labels: keyValues(role.metadata.labels ?? {}),
    ...(role.aggregationRule?.clusterRoleSelectors
      ? { aggregationRule: JSON.stringify(role.aggregationRule) }
      : {}),
  };
}

/** A RoleBinding's or ClusterRoleBinding's stored properties, its subjects as the API serves them included. */
export function bindingProperties(b: RoleBinding | ClusterRoleBinding): Record<string, PropertyValue> {
  return {
    name: b.metadata.name,
    ...(b.metadata.namespace ? { namespace: b.metadata.namespace } : {}),
    roleRef: `${b.roleRef.kind}/${b.roleRef.name}`,
    subjects: (b.subjects ?? []).map((s) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`),
    subjectsJson: JSON.stringify(b.subjects ?? []),
  };
}

/**
 * The node a binding subject names: a ServiceAccount in its namespace, else the binding's (so in a
 * ClusterRoleBinding one without a namespace names nobody), as the authorizer decides it
 * (rbac/subjects.ts `subjectApplies`); a User (a service account's or a node's user name is that
 * principal); a Group.
 */
function subjectId(
  c: string,
  s: { kind: string; name: string; namespace?: string },
  bindingNamespace: string | undefined,
): string | undefined {
  if (s.kind === 'ServiceAccount') {
    const namespace = s.namespace || bindingNamespace;
    return namespace ? k8sIds.serviceAccount(c, namespace, s.name) : undefined;
  }
  if (s.kind === 'Group') return k8sIds.group(c, s.name);
  return s.kind === 'User' ? userNameNode(c, s.name).id : undefined;
}

function podSpecFlags(spec: Pod['spec']): Record<string, boolean> {
  const containers = [
    ...spec.containers,
    ...(spec.initContainers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  return {
    privileged: containers.some((x) => x.securityContext?.privileged === true),
    hostPath: (spec.volumes ?? []).some((v) => v.hostPath !== undefined),
    hostNetwork: spec.hostNetwork === true,
    hostPID: spec.hostPID === true,
  };
}

function keyValues(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
}

const K8S_KINDS = NODE_KINDS.filter((k) => k.provider === 'kubernetes');

function addNamedById(nodes: Map<string, InventoryNode>, id: string): void {
  const spec = K8S_KINDS.find((k) => k.idPattern.test(id));
  const cluster = /^k8s:([^:]+)/.exec(id)?.[1];
  if (!spec || !cluster) return;
  const principal = (spec.categories as readonly string[]).includes('principal');
  nodes.set(id, {
    id,
    kind: spec.label,
    scope: k8sScope(cluster),
    properties: {
      name: id.slice(id.lastIndexOf(':') + 1),
      cluster,
      collected: false,
      ...(principal ? { nonHuman: true, nhiType: 'workload' } : {}),
    },
  });
}
