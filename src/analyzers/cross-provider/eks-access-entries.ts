import type { EksAccessEntry, EksAccessPolicyAssociation, EksClusterData } from '../../model/aws/eks.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { Evidence } from '../../model/evidence.js';
import { expandGrants } from '../../model/grants.js';
import type { InventoryNode, InventoryRelationship } from '../../model/inventory.js';
import type { KubernetesClusterData } from '../../model/kubernetes/environment.js';
import { k8sIds, k8sScope } from '../../model/kubernetes/ids.js';
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from '../../model/kubernetes/rbac.js';
import type { CrossProviderRule, CrossProviderUnion } from '../../pipeline/cross-provider.js';
import { kubernetesProvider } from '../../providers/kubernetes/index.js';
import { bindingProperties, clusterRoleProperties } from '../../providers/kubernetes/inventory.js';
import { analyzeKubernetes } from '../kubernetes/analyze.js';
import { ACCESS_POLICIES } from './eks-access-policies.js';
import { eksClusterFor, eksClustersOf, iamIdentitiesNamed } from './eks-clusters.js';

const RBAC = 'rbac.authorization.k8s.io';

/** The name of the ClusterRole that holds an access policy's rules as AWS documents them. */
export const documentedPolicyRole = (policy: string) =>
  `eks-access-policy:${policy} (rules as AWS documents them)`;

/**
 * EKS access entries (https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html): an
 * entry makes its IAM principal the Kubernetes user `username` (by default
 * `arn:aws:sts::<account>:assumed-role/<role>/{{SessionName}}` for a role, the user's ARN for a
 * user) in `kubernetesGroups`, and its associated access policies grant that user Kubernetes rights,
 * cluster-wide or in the listed namespaces, besides RBAC. Node entries (EC2_LINUX, EC2_WINDOWS,
 * FARGATE_LINUX, HYBRID_LINUX) place the principal in `system:nodes`
 * (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 *
 * The cluster's authentication mode decides whether entries count: `CONFIG_MAP` (also a cluster that
 * states no mode: it predates access entries) ignores them, `API` and `API_AND_CONFIG_MAP` use them
 * (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html#set-cam).
 *
 * Each entry gives its IAM identity FEDERATES_TO the entry's user and groups (evidence: the entry).
 * Its access policies go through the one RBAC authorizer: the cluster is analyzed again with the
 * policies as bindings of the user (a ClusterRoleBinding for cluster scope, a RoleBinding in each
 * namespace of a namespace scope) to the policy's Kubernetes equivalent (eks-access-policies.ts: the
 * cluster's built-in ClusterRole when collected, else the rules AWS documents), and the user in its groups;
 * the edges this adds to the cluster's own analysis are the entries' edges, each with a binding
 * named after the entry and policy as its evidence.
 */
export const eksAccessEntries: CrossProviderRule = {
  name: 'eks-access-entries',
  description:
    'AWS roles and users → the Kubernetes users and groups an EKS access entry makes them, with the rights of its access policies.',
  requires: ['aws', 'kubernetes'],
  emits: [
    'FEDERATES_TO',
    'RUNS_AS',
    'CAN_ESCALATE',
    'CAN_IMPERSONATE',
    'CAN_ACCESS',
    'ADMINISTERS',
    'BOUND_TO',
    'MEMBER_OF',
    'CONTAINS',
  ],
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html#set-cam',
  ],
  derive(union: CrossProviderUnion) {
    const kubernetes = union.dataOf(kubernetesProvider);
    const eks = eksClustersOf(union);
    if (!kubernetes || eks.length === 0) return { edges: [] };
    const present = new Set(union.nodes.map((n) => n.id));
    const nodes: InventoryNode[] = [];
    const edges: InventoryRelationship[] = [];
    const issues: CollectionIssue[] = [];
    // The pair edges the clusters' own analysis stands for (its Grant hubs expanded), read once.
    let known: Set<string> | undefined;
    const ownPairs = () => {
      known ??= new Set(
        expandGrants({
          nodes: kubernetes.analysis.nodes,
          relationships: kubernetes.analysis.edges,
        }).relationships.map(pairKey),
      );
      return known;
    };
    for (const cluster of kubernetes.environment.clusters) {
      const matched = eksClusterFor(cluster, eks);
      if (!matched || !usesAccessEntries(matched)) continue;
      const c = cluster.name;
      const grants: Synthetic = {
        clusterRoles: [],
        clusterRoleBindings: [],
        roleBindings: [],
        userGroups: {},
        entries: new Map(),
      };
      for (const entry of matched.accessEntries) {
        const user = entryUser(entry);
        const groups = entryGroups(entry);
        const evidence = entryEvidence(matched, entry, user, groups);
        const userId = k8sIds.user(c, user);
        const targets = [userId, ...groups.map((g) => k8sIds.group(c, g)).filter((g) => present.has(g))];
        if (!present.has(userId)) {
          present.add(userId);
          nodes.push({
            id: userId,
            kind: 'K8sUser',
            scope: k8sScope(c),
            properties: { cluster: c, name: user, nonHuman: false },
          });
        }
        for (const source of iamIdentitiesNamed(entry.principalArn, union.nodes))
          for (const to of targets)
            edges.push({ type: 'FEDERATES_TO', from: source.id, to, properties: {}, evidence: [evidence] });
        grants.userGroups[user] = [...new Set([...(grants.userGroups[user] ?? []), ...groups])];
        for (const association of entry.accessPolicies)
          issues.push(...policyBindings(cluster, matched, entry, user, association, grants));
        for (const g of groups)
          if (present.has(k8sIds.group(c, g)))
            edges.push(relationship('MEMBER_OF', c, userId, k8sIds.group(c, g), evidence));
        for (const name of bindingNames(entry)) grants.entries.set(name, evidence);
      }
      edges.push(...accessPolicyEdges(cluster, grants, ownPairs()));
      const stored = storedGrants(c, grants, present);
      nodes.push(...stored.nodes);
      edges.push(...stored.edges);
    }
    return { nodes, edges, issues };
  },
};

/** Whether the cluster's authentication mode reads access entries (CONFIG_MAP, or none stated, does not). */
export function usesAccessEntries(cluster: EksClusterData): boolean {
  return cluster.authenticationMode === 'API' || cluster.authenticationMode === 'API_AND_CONFIG_MAP';
}

/** Whether the cluster's authentication mode reads kube-system/aws-auth (API does not). */
export function usesAwsAuth(cluster: EksClusterData | undefined): boolean {
  return cluster?.authenticationMode !== 'API';
}

function entryUser(entry: EksAccessEntry): string {
  if (entry.username) return entry.username;
  if (entry.type !== 'STANDARD') return 'system:node:{{EC2PrivateDNSName}}';
  // The default user name of a role's entry names its session; a user's is the user's ARN.
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry.principalArn);
  return role ? `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/{{SessionName}}` : entry.principalArn;
}

function entryGroups(entry: EksAccessEntry): string[] {
  return entry.type === 'STANDARD' ? entry.kubernetesGroups : ['system:nodes', ...entry.kubernetesGroups];
}

function entryEvidence(
  cluster: EksClusterData,
  entry: EksAccessEntry,
  user: string,
  groups: string[],
): Evidence {
  const policies = entry.accessPolicies.map((p) => policyName(p.policyArn));
  return {
    source: 'declared',
    ref: entry.accessEntryArn ?? `${cluster.arn}/access-entry/${entry.principalArn}`,
    statement: `access entry ${entry.principalArn} (${entry.type})`,
    reason: `EKS access entry of cluster ${cluster.name} maps ${entry.principalArn} to the user ${user}${groups.length ? ` in ${groups.join(', ')}` : ''}${policies.length ? `, with ${policies.join(', ')}` : ''}`,
  };
}

const policyName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const bindingName = (entry: EksAccessEntry, policy: string) =>
  `eks-access-entry:${entry.principalArn}:${policy}`;

const bindingNames = (entry: EksAccessEntry) =>
  entry.accessPolicies.map((p) => bindingName(entry, policyName(p.policyArn)));

interface Synthetic {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roleBindings: RoleBinding[];
  userGroups: Record<string, string[]>;
  /** The access entry behind each binding, by the binding's name. */
  entries: Map<string, Evidence>;
}

/** The bindings one access policy association stands for; an issue when its rights cannot be modelled. */
function policyBindings(
  cluster: KubernetesClusterData,
  eks: EksClusterData,
  entry: EksAccessEntry,
  user: string,
  association: EksAccessPolicyAssociation,
  out: Synthetic,
): CollectionIssue[] {
  const name = policyName(association.policyArn);
  const model = ACCESS_POLICIES[name];
  const object = `${eks.arn} ${entry.principalArn} ${name}`;
  if (!model)
    return [
      {
        severity: 'warning',
        source: 'cross-provider:eks-access-entries',
        object,
        message: `access policy ${association.policyArn} of ${entry.principalArn} on cluster ${eks.name} is not modelled: the rights it grants are not in the graph`,
      },
    ];
  // The cluster's own built-in ClusterRole when it was collected, else the rules AWS documents for
  // the policy: the role's name in every edge's evidence says which.
  const builtIn =
    model.clusterRole !== undefined && cluster.clusterRoles.some((r) => r.metadata.name === model.clusterRole)
      ? model.clusterRole
      : undefined;
  const roleName = builtIn ?? documentedPolicyRole(name);
  if (!builtIn && !out.clusterRoles.some((r) => r.metadata.name === roleName))
    out.clusterRoles.push({ metadata: { name: roleName }, rules: [...model.rules] });
  // The binding's name carries the entry and the policy: it is what the edges' evidence names.
  const binding = {
    metadata: { name: bindingName(entry, name) },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName },
    subjects: [{ kind: 'User', apiGroup: RBAC, name: user }],
  };
  if (association.accessScope.type === 'cluster') out.clusterRoleBindings.push(binding);
  else
    for (const ns of namespacesIn(cluster, association.accessScope.namespaces))
      out.roleBindings.push({ ...binding, metadata: { ...binding.metadata, namespace: ns } });
  return [];
}

/**
 * The collected namespaces a namespace scope names; a trailing `*` matches every namespace with
 * that prefix (https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessScope.html).
 */
function namespacesIn(cluster: KubernetesClusterData, patterns: readonly string[]): string[] {
  const names = new Set(cluster.namespaces.map((n) => n.metadata.name));
  for (const o of [...cluster.pods, ...cluster.serviceAccounts, ...cluster.roleBindings])
    if (o.metadata.namespace) names.add(o.metadata.namespace);
  return [...names]
    .filter((ns) => patterns.some((p) => (p.endsWith('*') ? ns.startsWith(p.slice(0, -1)) : ns === p)))
    .sort();
}

/** The edges the access entries add to the cluster's own analysis, decided by the one RBAC analysis. */
function accessPolicyEdges(
  cluster: KubernetesClusterData,
  grants: Synthetic,
  known: ReadonlySet<string>,
): InventoryRelationship[] {
  if (Object.keys(grants.userGroups).length === 0) return [];
  const userGroups: Record<string, readonly string[]> = { ...cluster.userGroups };
  for (const [user, groups] of Object.entries(grants.userGroups))
    userGroups[user] = [...new Set([...(userGroups[user] ?? []), ...groups])];
  const augmented: KubernetesClusterData = {
    ...cluster,
    userGroups,
    clusterRoles: [...cluster.clusterRoles, ...grants.clusterRoles],
    clusterRoleBindings: [...cluster.clusterRoleBindings, ...grants.clusterRoleBindings],
    roleBindings: [...cluster.roleBindings, ...grants.roleBindings],
  };
  // Pair by pair: the entries' users are compared with, and added beside, the pairs the cluster's
  // own analysis stands for.
  return analyzeKubernetes({ clusters: [augmented], issues: [] }, { grantHubs: false }).edges.filter(
    (e) => !known.has(pairKey(e)),
  );
}

function pairKey(e: InventoryRelationship): string {
  return `${e.type}\u0000${e.from}\u0000${e.to}`;
}

/**
 * The access policies' bindings and documented roles as the graph stores a cluster's own RBAC
 * objects (providers/kubernetes/inventory.ts), with the user BOUND_TO each binding: the RBAC
 * questions asked of the graph or of a snapshot (answers/kubernetes-rbac-objects.ts) then answer
 * with the access policies beside RBAC, as the analysis above decided them.
 */
function storedGrants(
  c: string,
  grants: Synthetic,
  present: Set<string>,
): { nodes: InventoryNode[]; edges: InventoryRelationship[] } {
  const nodes: InventoryNode[] = [];
  const edges: InventoryRelationship[] = [];
  const node = (id: string, kind: string, properties: InventoryNode['properties']) => {
    if (present.has(id)) return;
    present.add(id);
    nodes.push({ id, kind, scope: k8sScope(c), properties: { cluster: c, ...properties } });
  };
  for (const role of grants.clusterRoles) {
    const id = k8sIds.clusterRole(c, role.metadata.name);
    node(id, 'K8sClusterRole', clusterRoleProperties(role));
    edges.push(relationship('CONTAINS', c, k8sIds.cluster(c), id));
  }
  const bindings = [
    ...grants.clusterRoleBindings.map((b) => ({ b, id: k8sIds.clusterRoleBinding(c, b.metadata.name) })),
    ...grants.roleBindings.map((b) => ({
      b,
      id: k8sIds.roleBinding(c, b.metadata.namespace as string, b.metadata.name),
    })),
  ];
  for (const { b, id } of bindings) {
    const evidence = grants.entries.get(b.metadata.name);
    const ns = b.metadata.namespace;
    node(id, ns ? 'K8sRoleBinding' : 'K8sClusterRoleBinding', bindingProperties(b));
    const parent = ns ? k8sIds.namespace(c, ns) : k8sIds.cluster(c);
    if (present.has(parent)) edges.push(relationship('CONTAINS', c, parent, id));
    edges.push(relationship('BOUND_TO', c, id, k8sIds.clusterRole(c, b.roleRef.name), evidence));
    for (const s of b.subjects ?? [])
      edges.push(relationship('BOUND_TO', c, k8sIds.user(c, s.name), id, evidence));
  }
  return { nodes, edges };
}

function relationship(
  type: string,
  c: string,
  from: string,
  to: string,
  evidence?: Evidence,
): InventoryRelationship & { evidence: Evidence[] } {
  return { type, from, to, scope: k8sScope(c), properties: {}, evidence: evidence ? [evidence] : [] };
}
