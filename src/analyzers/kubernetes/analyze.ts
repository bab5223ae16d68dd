import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { Evidence } from '../../model/evidence.js';
import type { InventoryNode, InventoryRelationship } from '../../model/inventory.js';
import type {
  KubernetesClusterData,
  KubernetesEnvironment,
  Pod,
  ServiceAccount,
} from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type { PolicyRule, RequestAttributes, RuleGrant } from '../../model/kubernetes/rbac.js';
import { unitedLevels } from '../../model/properties.js';
import { groupBy } from '../../util/collections.js';
import { clusterFindings } from './findings.js';
import { type HubSpec, KubernetesGrantHubs, type TargetLeg } from './grant-hubs.js';
import { enforcedLevel, podEscapes } from './pod-escapes.js';
import { isMirrorPod, podSecretReferences } from './pod-references.js';
import { clusterPrincipals, type K8sPrincipal, podServiceAccount } from './principals.js';
import { RbacAuthorizer } from './rbac/authorizer.js';
import { uncovered } from './rbac/covers.js';
import { ruleAllows, verbMatches } from './rbac/match.js';
import { MASTERS } from './rbac/subjects.js';
import { type K8sTechniqueId, k8sTechnique } from './techniques.js';

export interface KubernetesAnalysis {
  /** The Grant hubs (src/model/grants.ts); their legs are among the edges. */
  nodes: InventoryNode[];
  edges: InventoryRelationship[];
  findings: AnalysisFinding[];
  issues: CollectionIssue[];
  stats: Record<string, number | Record<string, number>>;
}

export interface KubernetesAnalysisOptions {
  /**
   * Store the products of one right and a set the cluster's structure decides (every service
   * account of a namespace, every pod of a namespace or a node, every node) as Grant hubs
   * (grant-hubs.ts); default true. False writes one edge per pair: the same facts.
   */
  grantHubs?: boolean;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const EVERYTHING: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
const WORKLOADS: { group: string; resource: string }[] = [
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
  { group: '', resource: 'replicationcontrollers' },
];
const LEGACY_TOKEN = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/**
 * Derives every Kubernetes edge of every cluster from the RBAC authorizer (rbac/) and the pod specs:
 * identity hops (CAN_IMPERSONATE, CAN_ESCALATE with a technique), RUNS_AS from pods and workloads
 * to the service account whose token they mount, CAN_ACCESS to secrets, and ADMINISTERS for
 * cluster-admin and namespace-admin holders. Pure: the same environment gives the same edges.
 */
export function analyzeKubernetes(
  environment: KubernetesEnvironment,
  options: KubernetesAnalysisOptions = {},
): KubernetesAnalysis {
  const nodes: InventoryNode[] = [];
  const edges: InventoryRelationship[] = [];
  const findings: AnalysisFinding[] = [];
  for (const cluster of environment.clusters) {
    const analysis = new ClusterAnalysis(cluster, options.grantHubs ?? true);
    const out = analysis.edges();
    nodes.push(...out.nodes);
    for (const e of out.edges) edges.push(e);
    findings.push(...analysis.findings());
  }
  const byType: Record<string, number> = {};
  for (const e of edges) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    nodes,
    edges,
    findings,
    issues: [],
    stats: { edges: edges.length, edgesByType: byType, grantHubs: nodes.length, findings: findings.length },
  };
}

class ClusterAnalysis {
  private readonly rbac: RbacAuthorizer;
  private readonly principals: K8sPrincipal[];
  private readonly namespaces: string[];
  private readonly out = new Map<string, InventoryRelationship>();
  // Looked up once per principal and namespace: indexed, not scanned.
  private readonly podsByNamespace: Map<string, Pod[]>;
  private readonly podsByNode: Map<string, Pod[]>;
  private readonly secretsByNamespace: Map<string, KubernetesClusterData['secrets']>;
  private readonly accountsByNamespace: Map<string, K8sPrincipal[]>;
  private readonly serviceAccounts: Map<string, ServiceAccount>;
  private readonly hubs: KubernetesGrantHubs;

  constructor(
    private readonly cluster: KubernetesClusterData,
    grantHubs: boolean,
  ) {
    this.hubs = new KubernetesGrantHubs(cluster.name, grantHubs, (type, from, to, properties, evidence) =>
      this.add(type, from, to, properties, evidence),
    );
    this.rbac = new RbacAuthorizer(cluster);
    this.principals = clusterPrincipals(cluster);
    this.podsByNamespace = groupBy(cluster.pods, (pod) => pod.metadata.namespace ?? '');
    this.podsByNode = groupBy(cluster.pods, (pod) => pod.spec.nodeName ?? '');
    this.secretsByNamespace = groupBy(cluster.secrets, (secret) => secret.metadata.namespace ?? '');
    this.accountsByNamespace = groupBy(
      this.principals.filter((q) => q.kind === 'K8sServiceAccount'),
      (q) => q.namespace ?? '',
    );
    this.serviceAccounts = new Map(
      cluster.serviceAccounts.map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa]),
    );
    const names = new Set(cluster.namespaces.map((n) => n.metadata.name));
    for (const o of [...cluster.pods, ...cluster.serviceAccounts, ...cluster.roleBindings])
      if (o.metadata.namespace) names.add(o.metadata.namespace);
    this.namespaces = [...names].sort();
  }

  findings(): AnalysisFinding[] {
    return clusterFindings(this.cluster, this.rbac, (pod) => this.tokenMounted(pod) !== undefined);
  }

  edges(): { nodes: InventoryNode[]; edges: InventoryRelationship[] } {
    this.podEdges();
    this.nodeEdges();
    for (const p of this.principals) this.principalEdges(p);
    const hubs = this.hubs.output();
    return { nodes: hubs.nodes, edges: [...this.out.values(), ...hubs.edges] };
  }

  // ── Pods, workloads and nodes ──────────────────────────────────────────────────────────────

  /** Pods and workloads RUNS_AS the service account whose token they mount; risky pods reach their node. */
  private podEdges(): void {
    const c = this.cluster.name;
    for (const pod of this.cluster.pods) {
      const ns = pod.metadata.namespace as string;
      const id = k8sIds.pod(c, ns, pod.metadata.name);
      const mounted = this.tokenMounted(pod);
      if (mounted)
        this.add('RUNS_AS', id, k8sIds.serviceAccount(c, ns, podServiceAccount(pod.spec)), {}, [
          specEvidence(
            id,
            mounted.field,
            `pod ${ns}/${pod.metadata.name} runs as service account ${podServiceAccount(pod.spec)} and mounts its token (${mounted.field})`,
          ),
        ]);
      if (pod.spec.nodeName)
        for (const way of podEscapes(pod.spec))
          this.escalate(id, k8sIds.node(c, pod.spec.nodeName), way.technique, [
            specEvidence(
              id,
              way.field,
              `pod ${ns}/${pod.metadata.name} ${way.detail}: a process in it reaches node ${pod.spec.nodeName}`,
            ),
          ]);
    }
    for (const workload of this.cluster.workloads) {
      const ns = workload.metadata.namespace as string;
      const id = k8sIds.workload(c, ns, workload.kind, workload.metadata.name);
      const sa = podServiceAccount(workload.template.spec);
      const field =
        workload.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
      if (this.tokenMounted({ metadata: { ...workload.metadata }, spec: workload.template.spec }))
        this.add('RUNS_AS', id, k8sIds.serviceAccount(c, ns, sa), {}, [
          specEvidence(
            id,
            `${field}.serviceAccountName`,
            `${workload.kind} ${ns}/${workload.metadata.name} creates pods that run as service account ${sa}`,
          ),
        ]);
    }
  }

  /**
   * A node's kubelet credential (`system:node:<name>`) may read what the pods bound to it need, and
   * only that: the Node authorizer (https://kubernetes.io/docs/reference/access-authn-authz/node/)
   * lets it request tokens for each pod's service account, whether or not the pod mounts one (its
   * graph adds the account unconditionally), and read the secrets the pod references
   * (pod-references.ts), among the collected ones. Mirror pods give it nothing. ConfigMaps and
   * PersistentVolumeClaims it may read too are not classified, so they give no edge. A
   * control-plane node holds the cluster's keys when static control-plane pods run there.
   */
  private nodeEdges(): void {
    const c = this.cluster.name;
    const collected = new Set(this.cluster.secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const pod of this.cluster.pods) {
      if (!pod.spec.nodeName) continue;
      const ns = pod.metadata.namespace as string;
      const podId = k8sIds.pod(c, ns, pod.metadata.name);
      const node = k8sIds.node(c, pod.spec.nodeName);
      const where = `pod ${ns}/${pod.metadata.name} is bound to node ${pod.spec.nodeName}`;
      if (isMirrorPod(pod)) {
        if (ns === 'kube-system' && /^kube-apiserver|^etcd/.test(pod.metadata.name))
          this.escalate(node, k8sIds.cluster(c), 'k8s-control-plane-node', [
            specEvidence(
              podId,
              'metadata.annotations[kubernetes.io/config.mirror]',
              `static control-plane pod ${pod.metadata.name} runs on node ${pod.spec.nodeName}: its host holds the cluster's keys`,
            ),
          ]);
        continue;
      }
      const account = podServiceAccount(pod.spec);
      this.escalate(node, k8sIds.serviceAccount(c, ns, account), 'k8s-node-credential', [
        specEvidence(
          podId,
          'spec.serviceAccountName',
          `${where}, whose kubelet may request tokens for its service account ${account}`,
        ),
      ]);
      for (const ref of podSecretReferences(pod.spec)) {
        if (!collected.has(`${ns}/${ref.name}`)) continue;
        this.add(
          'CAN_ACCESS',
          node,
          k8sIds.secret(c, ns, ref.name),
          { levels: ['read'], actions: ['get secrets'] },
          [
            specEvidence(
              podId,
              ref.field,
              `${where}, whose kubelet may read the secret ${ref.name} it references`,
            ),
          ],
        );
      }
    }
  }

  /**
   * Where a pod's service-account token is mounted: `automountServiceAccountToken` of the pod, else
   * of its service account, else true; or a projected serviceAccountToken volume
   * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting).
   * A mirror pod mounts none: the ServiceAccount admission plugin admits one only without a service
   * account, secret volumes or token projections (plugin/pkg/admission/serviceaccount).
   */
  private tokenMounted(pod: Pick<Pod, 'metadata' | 'spec'>): { field: string } | undefined {
    if (isMirrorPod(pod)) return undefined;
    const projected = (pod.spec.volumes ?? []).findIndex((v) =>
      (v.projected?.sources ?? []).some(
        (s) => typeof s === 'object' && s !== null && 'serviceAccountToken' in s,
      ),
    );
    if (projected >= 0) return { field: `spec.volumes[${projected}].projected` };
    if (pod.spec.automountServiceAccountToken === false) return undefined;
    if (pod.spec.automountServiceAccountToken === true) return { field: 'spec.automountServiceAccountToken' };
    const sa = this.serviceAccount(pod.metadata.namespace, podServiceAccount(pod.spec));
    if (sa?.automountServiceAccountToken === false) return undefined;
    return { field: 'spec.serviceAccountName' };
  }

  private serviceAccount(namespace: string | undefined, name: string): ServiceAccount | undefined {
    return this.serviceAccounts.get(`${namespace}/${name}`);
  }

  // ── What each principal's RBAC rights lead to ───────────────────────────────────────────────

  private principalEdges(p: K8sPrincipal): void {
    const can = (request: RequestAttributes) => this.grant(p, request);
    this.administers(p);
    if (p.user.groups.includes(MASTERS)) return; // ADMINISTERS covers everything else.
    this.impersonation(p, can);
    this.bindAndEscalate(p, can);
    this.certificates(p, can);
    this.admissionAndAwsAuth(p, can);
    const proxied = this.nodesProxy(p);
    let privileged = false;
    for (const ns of this.namespaces) {
      const rules = this.rulesOf(p, ns);
      if (rules.length === 0) continue;
      const rights = this.rightsIn(rules);
      const scoped: ScopedCan = (verb, group, resource, extra = {}) =>
        firstAllowing(rules, {
          verb,
          apiGroup: group,
          resource,
          namespace: ns,
          ...extra,
        } as RequestAttributes);
      const creation = this.workloadCreation(p, ns, rights, !privileged);
      if (creation === 'privileged') privileged = true;
      this.secrets(p, ns, rights, scoped, creation !== undefined);
      if (creation === undefined) this.serviceAccountTokens(p, ns, rights, scoped);
      this.podControl(p, ns, rights, scoped, proxied);
    }
  }

  /**
   * nodes/proxy reaches the kubelet API of a node: with `create`, and with `get` through a WebSocket
   * upgrade, that runs commands in every pod on it
   * (https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization).
   * The pods of a node are one hub per node. Returns the nodes reached, whose pods the other pod
   * techniques then leave alone (one edge per pair).
   */
  private nodesProxy(p: K8sPrincipal): Set<string> {
    const c = this.cluster.name;
    const rules = this.rulesOf(p, undefined);
    const proxied = new Set<string>();
    if (rules.length === 0) return proxied;
    const names = this.rightsIn(rules).names;
    const proxy = (name?: string) =>
      firstAllowing(rules, { verb: 'create', apiGroup: '', resource: 'nodes', subresource: 'proxy', name }) ??
      firstAllowing(rules, { verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy', name });
    const wide = proxy();
    for (const node of this.cluster.nodes) {
      const name = node.metadata.name;
      const grant = names.has(name) ? proxy(name) : wide;
      if (!grant) continue;
      proxied.add(name);
      this.join(
        {
          type: 'CAN_ESCALATE',
          family: 'k8s-nodes-proxy',
          key: `node ${name}`,
          name: `may run commands in every pod on node ${name} through its kubelet API`,
          targets: () =>
            (this.podsByNode.get(name) ?? []).map((pod) =>
              this.technique(
                'k8s-nodes-proxy',
                k8sIds.pod(c, pod.metadata.namespace as string, pod.metadata.name),
                specEvidence(
                  k8sIds.pod(c, pod.metadata.namespace as string, pod.metadata.name),
                  'spec.nodeName',
                  `pod ${pod.metadata.namespace}/${pod.metadata.name} runs on node ${name}`,
                ),
              ),
            ),
        },
        p.id,
        [
          rbacEvidence(
            c,
            grant,
            `${describe(p)} may reach the kubelet API of node ${name} (nodes/proxy; GET upgrades to a WebSocket) and run commands in its pods`,
          ),
        ],
      );
    }
    return proxied;
  }

  /** What one set of rules allows namespace-wide (no resource name), decided once per set. */
  private rightsIn(rules: RuleGrant[]): NamespaceRights {
    let rights = this.rightsMemo.get(rules);
    if (!rights) {
      const can = (verb: string, apiGroup: string, resource: string, subresource?: string) =>
        firstAllowing(rules, {
          verb,
          apiGroup,
          resource,
          namespace: '',
          ...(subresource ? { subresource } : {}),
        });
      const first = (grants: (RuleGrant | undefined)[]) => grants.find(Boolean);
      const create =
        can('create', '', 'pods') ?? first(WORKLOADS.map((w) => can('create', w.group, w.resource)));
      rights = {
        create,
        update: create
          ? undefined
          : first(
              WORKLOADS.flatMap((w) => ['update', 'patch'].map((verb) => can(verb, w.group, w.resource))),
            ),
        listSecrets: can('list', '', 'secrets') ?? can('watch', '', 'secrets'),
        getSecrets: can('get', '', 'secrets'),
        writeSecrets: first(['update', 'patch', 'delete'].map((verb) => can(verb, '', 'secrets'))),
        mintTokens: can('create', '', 'serviceaccounts', 'token'),
        podControl: POD_CONTROL.map(([, verb, sub]) => can(verb, '', 'pods', sub)),
        names: new Set(rules.flatMap((g) => g.rule.resourceNames ?? [])),
      };
      this.rightsMemo.set(rules, rights);
    }
    return rights;
  }

  private readonly rightsMemo = new WeakMap<RuleGrant[], NamespaceRights>();

  /**
   * Joins a hub. A node's kubelet credential already reaches the accounts of its pods one by one
   * (nodeEdges), and one edge per pair keeps the first: a node joins no hub, it gets its pairs.
   */
  private join(spec: HubSpec, from: string, evidence: Evidence[]): void {
    this.hubs.join(spec, from, evidence, from.startsWith(k8sIds.node(this.cluster.name, '')));
  }

  /** A target leg of a CAN_ESCALATE hub: the technique and why the target is in the set. */
  private technique(technique: K8sTechniqueId, to: string, evidence: Evidence): TargetLeg {
    return { to, properties: { technique, attack: k8sTechnique(technique).attack.id }, evidence: [evidence] };
  }

  /**
   * Cluster-admin: `*` on every resource of every group, cluster-wide, or `system:masters`; a
   * namespace's admin holds the same within it.
   */
  private administers(p: K8sPrincipal): void {
    const c = this.cluster.name;
    if (p.user.groups.includes(MASTERS)) {
      this.add('ADMINISTERS', p.id, k8sIds.cluster(c), {}, [
        {
          source: 'declared',
          ref: k8sIds.group(c, MASTERS),
          reason: `${describe(p)} is in system:masters, which the API server allows everything before RBAC is asked`,
        },
      ]);
      return;
    }
    const cluster = this.rulesOf(p, undefined);
    if (
      cluster.length &&
      uncovered(
        cluster.map((g) => g.rule),
        [EVERYTHING],
      ).length === 0
    ) {
      this.add(
        'ADMINISTERS',
        p.id,
        k8sIds.cluster(c),
        {},
        adminEvidence(c, cluster, `${describe(p)} holds every verb on every resource cluster-wide`),
      );
      return;
    }
    for (const ns of this.namespaces) {
      const rules = this.rulesOf(p, ns);
      if (
        rules !== cluster &&
        uncovered(
          rules.map((g) => g.rule),
          [EVERYTHING],
        ).length === 0
      )
        this.add(
          'ADMINISTERS',
          p.id,
          k8sIds.namespace(c, ns),
          {},
          adminEvidence(c, rules, `${describe(p)} holds every verb on every resource in namespace ${ns}`),
        );
    }
  }

  /**
   * `impersonate` on users, groups and service accounts lets the principal act as them
   * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
   * Groups are impersonated together with a user, so a group needs the right to impersonate some user.
   */
  private impersonation(p: K8sPrincipal, can: (r: RequestAttributes) => RuleGrant | undefined): void {
    if (!this.holdsVerb(p, 'impersonate')) return;
    const grants = this.principals.map((q) => [q, this.impersonates(q, can)] as const);
    const anyUser = grants.some(([q, g]) => g && (q.kind === 'K8sUser' || q.kind === 'K8sServiceAccount'));
    for (const [q, grant] of grants) {
      if (q.id === p.id || q.kind === 'K8sNode') continue;
      if (q.kind === 'K8sGroup' && !anyUser) continue;
      if (grant)
        this.add('CAN_IMPERSONATE', p.id, q.id, {}, [
          rbacEvidence(this.cluster.name, grant, `${describe(p)} may impersonate ${describe(q)}`),
        ]);
    }
  }

  private impersonates(
    q: K8sPrincipal,
    can: (r: RequestAttributes) => RuleGrant | undefined,
  ): RuleGrant | undefined {
    if (q.kind === 'K8sServiceAccount')
      return can({
        verb: 'impersonate',
        apiGroup: '',
        resource: 'serviceaccounts',
        name: q.name,
        namespace: q.namespace as string,
      });
    if (q.kind === 'K8sUser')
      return can({ verb: 'impersonate', apiGroup: '', resource: 'users', name: q.name });
    if (q.kind === 'K8sGroup')
      return can({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: q.name });
    return undefined;
  }

  /**
   * Creating a binding to a role with more permissions needs `bind` on it or holding them; adding
   * permissions to a role needs `escalate` or holding them
   * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping).
   * Either, with the right to create the binding or update a role the principal is bound to, leads to
   * cluster-admin (ClusterRoleBinding) or to a namespace's admin.
   */
  /** The ClusterRoles that hold every permission. */
  private adminRoles?: KubernetesClusterData['clusterRoles'];

  private bindAndEscalate(p: K8sPrincipal, can: (r: RequestAttributes) => RuleGrant | undefined): void {
    const c = this.cluster.name;
    this.adminRoles ??= this.cluster.clusterRoles.filter((r) => {
      const rules = this.rbac.rulesOfRef({ kind: 'ClusterRole', name: r.metadata.name }, undefined) ?? [];
      return (
        uncovered(
          rules.map((x) => x.rule),
          [EVERYTHING],
        ).length === 0
      );
    });
    const createCrb = can({ verb: 'create', apiGroup: RBAC_GROUP, resource: 'clusterrolebindings' });
    for (const role of this.adminRoles) {
      const ref = { kind: 'ClusterRole', name: role.metadata.name };
      const via = createCrb && this.rbac.bindingAllowed(p.user, ref);
      if (createCrb && via === 'bind') {
        const bind = can({
          verb: 'bind',
          apiGroup: RBAC_GROUP,
          resource: 'clusterroles',
          name: role.metadata.name,
        });
        this.escalate(p.id, k8sIds.cluster(c), 'k8s-bind-role', [
          rbacEvidence(c, createCrb, `${describe(p)} may create ClusterRoleBindings`),
          ...(bind
            ? [
                rbacEvidence(
                  c,
                  bind,
                  `and may bind ClusterRole ${role.metadata.name}, which holds every permission`,
                ),
              ]
            : []),
        ]);
        break;
      }
    }
    // Updating a ClusterRole bound to the principal cluster-wide, with `escalate`, adds any rule to it.
    const escalate = can({ verb: 'escalate', apiGroup: RBAC_GROUP, resource: 'clusterroles' });
    if (escalate)
      for (const g of this.rbac.rulesFor(p.user)) {
        if (g.role.kind !== 'ClusterRole') continue;
        const update =
          can({ verb: 'update', apiGroup: RBAC_GROUP, resource: 'clusterroles', name: g.role.name }) ??
          can({ verb: 'patch', apiGroup: RBAC_GROUP, resource: 'clusterroles', name: g.role.name });
        if (!update) continue;
        this.escalate(p.id, k8sIds.cluster(c), 'k8s-escalate-role', [
          rbacEvidence(c, escalate, `${describe(p)} may escalate ClusterRoles`),
          rbacEvidence(
            c,
            update,
            `and may update ClusterRole ${g.role.name}, bound to it by ${g.binding.kind} ${g.binding.name}`,
          ),
        ]);
        break;
      }
  }

  /**
   * A principal that may create a CertificateSigningRequest and approve it for the
   * kube-apiserver-client signer obtains a client certificate for any user and group, `system:masters`
   * included (https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization).
   */
  private certificates(p: K8sPrincipal, can: (r: RequestAttributes) => RuleGrant | undefined): void {
    const g = 'certificates.k8s.io';
    const create = can({ verb: 'create', apiGroup: g, resource: 'certificatesigningrequests' });
    const approval =
      can({ verb: 'update', apiGroup: g, resource: 'certificatesigningrequests', subresource: 'approval' }) ??
      can({ verb: 'patch', apiGroup: g, resource: 'certificatesigningrequests', subresource: 'approval' });
    const signer =
      can({
        verb: 'approve',
        apiGroup: g,
        resource: 'signers',
        name: 'kubernetes.io/kube-apiserver-client',
      }) ?? can({ verb: 'approve', apiGroup: g, resource: 'signers', name: 'kubernetes.io/*' });
    if (create && approval && signer)
      this.escalate(p.id, k8sIds.group(this.cluster.name, MASTERS), 'k8s-csr-signer', [
        rbacEvidence(this.cluster.name, create, `${describe(p)} may create certificate signing requests`),
        rbacEvidence(this.cluster.name, approval, 'may approve them'),
        rbacEvidence(
          this.cluster.name,
          signer,
          'for the kubernetes.io/kube-apiserver-client signer, with any subject and O=system:masters',
        ),
      ]);
  }

  /**
   * Control of a mutating admission webhook rewrites every object the API server admits (a pod
   * created by any controller, with any service account); `kube-system/aws-auth` maps AWS
   * identities to Kubernetes users and groups, `system:masters` included
   * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/,
   * https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html).
   */
  private admissionAndAwsAuth(p: K8sPrincipal, can: (r: RequestAttributes) => RuleGrant | undefined): void {
    const c = this.cluster.name;
    const webhook = ['create', 'update', 'patch']
      .map((verb) =>
        can({ verb, apiGroup: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' }),
      )
      .find(Boolean);
    if (webhook)
      this.escalate(p.id, k8sIds.cluster(c), 'k8s-mutating-webhook', [
        rbacEvidence(c, webhook, `${describe(p)} may configure mutating admission webhooks`),
      ]);
    const awsAuth = ['update', 'patch']
      .map((verb) =>
        can({ verb, apiGroup: '', resource: 'configmaps', name: 'aws-auth', namespace: 'kube-system' }),
      )
      .find(Boolean);
    if (awsAuth)
      this.escalate(p.id, k8sIds.cluster(c), 'k8s-edit-aws-auth', [
        rbacEvidence(
          c,
          awsAuth,
          `${describe(p)} may edit kube-system/aws-auth and map an AWS identity it controls to system:masters`,
        ),
      ]);
  }

  /**
   * Secrets: `get`, and `list`/`watch` which return whole objects, read their values
   * (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets). A legacy
   * token secret's value is its service account's token.
   */
  private secrets(
    p: K8sPrincipal,
    ns: string,
    rights: NamespaceRights,
    can: ScopedCan,
    everyAccount: boolean,
  ): void {
    const c = this.cluster.name;
    const list = rights.listSecrets;
    for (const secret of this.secretsByNamespace.get(ns) ?? []) {
      const name = secret.metadata.name;
      // A secret no rule names is decided by the rules without resourceNames, as every other one.
      const named = rights.names.has(name);
      const read = list ?? (named ? can('get', '', 'secrets', { name }) : rights.getSecrets);
      const write = named
        ? ['update', 'patch', 'delete'].map((verb) => can(verb, '', 'secrets', { name })).find(Boolean)
        : rights.writeSecrets;
      const levels = [...(read ? ['read'] : []), ...(write ? ['write'] : [])];
      if (levels.length === 0) continue;
      const id = k8sIds.secret(c, ns, name);
      const actions = [
        ...(read ? [list ? 'list secrets' : 'get secrets'] : []),
        ...(write ? ['write secrets'] : []),
      ];
      // One rule granting both read and write (`*`) is one piece of evidence, not two.
      const evidence = [read, write]
        .filter((g, i, all): g is RuleGrant => g !== undefined && all.indexOf(g) === i)
        .map((g) => rbacEvidence(c, g, `${describe(p)} may ${g.rule.verbs.join('/')} secret ${ns}/${name}`));
      this.add('CAN_ACCESS', p.id, id, { levels, actions }, evidence);
      // Creating a pod already reaches every account of the namespace (workloadCreation).
      const account = secret.metadata.annotations?.[SA_NAME_ANNOTATION];
      if (read && !list && !everyAccount && secret.type === LEGACY_TOKEN && account)
        this.escalate(p.id, k8sIds.serviceAccount(c, ns, account), 'k8s-read-token-secret', [
          rbacEvidence(
            c,
            read,
            `${describe(p)} may read secret ${ns}/${name}, a legacy token of service account ${account}`,
          ),
        ]);
    }
    if (list && !everyAccount)
      this.join(
        {
          type: 'CAN_ESCALATE',
          family: 'k8s-read-token-secret',
          key: `namespace ${ns}`,
          name: `may list the secrets of namespace ${ns}, legacy service-account tokens among them`,
          targets: () => this.tokenSecretAccounts(ns),
        },
        p.id,
        [
          rbacEvidence(
            c,
            list,
            `${describe(p)} may ${list.rule.verbs.join('/')} the secrets of ${ns}, values included`,
          ),
        ],
      );
  }

  /** The accounts with a legacy token secret in a namespace (the first such secret each). */
  private tokenSecretAccounts(ns: string): TargetLeg[] {
    const c = this.cluster.name;
    const out = new Map<string, TargetLeg>();
    for (const secret of this.secretsByNamespace.get(ns) ?? []) {
      const account = secret.metadata.annotations?.[SA_NAME_ANNOTATION];
      if (secret.type !== LEGACY_TOKEN || !account) continue;
      const to = k8sIds.serviceAccount(c, ns, account);
      if (!out.has(to))
        out.set(
          to,
          this.technique('k8s-read-token-secret', to, {
            source: 'declared',
            ref: k8sIds.secret(c, ns, secret.metadata.name),
            statement: `metadata.annotations[${SA_NAME_ANNOTATION}]`,
            reason: `secret ${ns}/${secret.metadata.name} is a legacy token of service account ${account}`,
          }),
        );
    }
    return [...out.values()];
  }

  /** `create` on `serviceaccounts/token` mints a token for that account (the TokenRequest API). */
  private serviceAccountTokens(p: K8sPrincipal, ns: string, rights: NamespaceRights, can: ScopedCan): void {
    // Listing secrets already reaches the accounts with a legacy token secret (the hub in secrets()).
    const listed = rights.listSecrets
      ? new Set(this.tokenSecretAccounts(ns).map((t) => t.to))
      : new Set<string>();
    for (const q of this.accountsByNamespace.get(ns) ?? []) {
      if (q.id === p.id || listed.has(q.id)) continue;
      const grant = rights.names.has(q.name)
        ? can('create', '', 'serviceaccounts', { subresource: 'token', name: q.name })
        : rights.mintTokens;
      if (grant)
        this.escalate(p.id, q.id, 'k8s-create-token', [
          rbacEvidence(
            this.cluster.name,
            grant,
            `${describe(p)} may request tokens for service account ${ns}/${q.name}`,
          ),
        ]);
    }
  }

  /**
   * Exec and attach are `create` on pods/exec and pods/attach, and `get` as well: a WebSocket upgrade
   * is a GET (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb);
   * ephemeral containers are an update of pods/ephemeralcontainers; updating a pod may change its
   * containers' images. Each runs the principal's code in the pod.
   */
  private podControl(
    p: K8sPrincipal,
    ns: string,
    rights: NamespaceRights,
    can: ScopedCan,
    proxied: Set<string>,
  ): void {
    const c = this.cluster.name;
    const pods = (this.podsByNamespace.get(ns) ?? []).filter((pod) => pod.spec.containers.length > 0);
    const wide = rights.podControl.findIndex(Boolean);
    if (pods.length === 0 || (wide < 0 && rights.names.size === 0)) return;
    const namedHere = pods.some((pod) => rights.names.has(pod.metadata.name));
    if (wide >= 0 && !namedHere && proxied.size === 0) {
      // The same right on every pod of the namespace: one hub per (namespace, technique).
      const [technique, verb, subresource] = POD_CONTROL[wide] as PodControl;
      const grant = rights.podControl[wide] as RuleGrant;
      this.join(
        {
          type: 'CAN_ESCALATE',
          family: technique,
          key: `namespace ${ns}`,
          name: `may run code in every pod of namespace ${ns} (${technique})`,
          targets: () =>
            pods.map((pod) => {
              const id = k8sIds.pod(c, ns, pod.metadata.name);
              return this.technique(technique, id, {
                source: 'declared',
                ref: id,
                statement: 'metadata.namespace',
                reason: `pod ${ns}/${pod.metadata.name} is in namespace ${ns}`,
              });
            }),
        },
        p.id,
        [
          rbacEvidence(
            c,
            grant,
            `${describe(p)} may ${podControlWhat(verb, subresource)} on the pods of ${ns}`,
          ),
        ],
      );
      return;
    }
    for (const pod of pods) {
      if (pod.spec.nodeName && proxied.has(pod.spec.nodeName)) continue; // nodesProxy reaches it.
      const name = pod.metadata.name;
      const named = rights.names.has(name);
      for (const [i, [technique, verb, subresource]] of POD_CONTROL.entries()) {
        const grant = named
          ? can(verb, '', 'pods', { name, ...(subresource ? { subresource } : {}) })
          : rights.podControl[i];
        if (!grant) continue;
        this.escalate(p.id, k8sIds.pod(c, ns, name), technique, [
          rbacEvidence(
            c,
            grant,
            `${describe(p)} may ${podControlWhat(verb, subresource)} on pod ${ns}/${name}`,
          ),
        ]);
        break;
      }
    }
  }

  /**
   * Creating a pod (or any workload controller that creates pods), or changing a workload's pod
   * template, runs code as any service account of the namespace
   * (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation); where Pod
   * Security admission enforces neither Baseline nor Restricted, the pod may be privileged and reach
   * any node (https://kubernetes.io/docs/concepts/security/pod-security-admission/). Admission
   * checks the pods a controller creates as it checks any other, so a changed pod template (a
   * privileged container, a host mount, a `nodeName`) reaches the nodes as a created pod does.
   */
  private workloadCreation(
    p: K8sPrincipal,
    ns: string,
    rights: NamespaceRights,
    firstPrivileged: boolean,
  ): 'accounts' | 'privileged' | undefined {
    const c = this.cluster.name;
    const { create } = rights;
    const grant = create ?? rights.update;
    if (!grant) return undefined;
    const technique: K8sTechniqueId = create ? 'k8s-create-pod' : 'k8s-update-workload';
    this.join(
      {
        type: 'CAN_ESCALATE',
        family: technique,
        key: `namespace ${ns}`,
        name: `may run a pod as any service account of namespace ${ns} (${technique})`,
        targets: () =>
          (this.accountsByNamespace.get(ns) ?? []).map((q) =>
            this.technique(technique, q.id, {
              source: 'declared',
              ref: q.id,
              statement: 'metadata.namespace',
              reason: `service account ${ns}/${q.name} is in namespace ${ns}: a pod there may name it in serviceAccountName`,
            }),
          ),
      },
      p.id,
      [
        rbacEvidence(
          c,
          grant,
          `${describe(p)} may ${grant.rule.verbs.join('/')} ${grant.rule.resources?.join(', ')} in ${ns}`,
        ),
      ],
    );
    if (!firstPrivileged || enforcedLevel(this.cluster, ns) !== 'privileged') return 'accounts';
    // The first such namespace names the edge, as for every pair.
    this.join(
      {
        type: 'CAN_ESCALATE',
        family: 'k8s-create-privileged-pod',
        key: 'every node',
        name: 'may create a privileged pod on any node',
        targets: () =>
          this.cluster.nodes.map((node) =>
            this.technique('k8s-create-privileged-pod', k8sIds.node(c, node.metadata.name), {
              source: 'declared',
              ref: k8sIds.node(c, node.metadata.name),
              statement: 'spec.nodeName',
              reason: `a pod may name node ${node.metadata.name} in spec.nodeName`,
            }),
          ),
      },
      p.id,
      [
        rbacEvidence(
          c,
          grant,
          create
            ? `${describe(p)} may create pods in ${ns}`
            : `${describe(p)} may change the pod template of ${grant.rule.resources?.join(', ')} in ${ns}`,
        ),
        {
          source: 'declared',
          ref: k8sIds.namespace(c, ns),
          statement: 'metadata.labels[pod-security.kubernetes.io/enforce]',
          reason: `namespace ${ns} enforces the privileged Pod Security level (or none), so a privileged pod is admitted`,
        },
      ],
    );
    return 'privileged';
  }

  // ── Output ──────────────────────────────────────────────────────────────────────────────────

  private grant(p: K8sPrincipal, request: RequestAttributes): RuleGrant | undefined {
    if (p.user.groups.includes(MASTERS)) return undefined; // ADMINISTERS covers it.
    const namespace = 'path' in request ? undefined : request.namespace;
    return firstAllowing(this.rulesOf(p, namespace), request);
  }

  /** The rules of the principal being decided, per namespace; kept for one principal at a time. */
  private rules?: { id: string; cluster: RuleGrant[]; byNamespace: Map<string, RuleGrant[]> };

  /**
   * The rules that apply to a principal in a namespace (or cluster-wide). A namespace where no
   * RoleBinding names it gets the cluster-wide array itself, so what is decided on it is decided once.
   */
  private rulesOf(p: K8sPrincipal, namespace: string | undefined): RuleGrant[] {
    if (this.rules?.id !== p.id)
      this.rules = { id: p.id, cluster: this.rbac.clusterRulesFor(p.user), byNamespace: new Map() };
    const { cluster, byNamespace } = this.rules;
    if (!namespace) return cluster;
    let rules = byNamespace.get(namespace);
    if (!rules) {
      const own = this.rbac.namespaceRulesFor(p.user, namespace);
      rules = own.length ? [...cluster, ...own] : cluster;
      byNamespace.set(namespace, rules);
    }
    return rules;
  }

  /** Whether any rule of the principal, in any namespace, holds the verb (or `*`). */
  private holdsVerb(p: K8sPrincipal, verb: string): boolean {
    const holds = (rules: RuleGrant[]) => rules.some((g) => verbMatches(g.rule, verb));
    return holds(this.rulesOf(p, undefined)) || this.namespaces.some((ns) => holds(this.rulesOf(p, ns)));
  }

  private escalate(from: string, to: string, technique: K8sTechniqueId, evidence: Evidence[]): void {
    const t = k8sTechnique(technique);
    this.add('CAN_ESCALATE', from, to, { technique, attack: t.attack.id }, evidence);
  }

  /**
   * One edge per (type, from, to), as for every provider: the first technique found names it. Pod
   * escapes keep every field that reaches the node in the evidence (privileged, hostPID, a host
   * path…), so removing one of them is seen not to remove the edge. CAN_ACCESS unites its levels
   * and actions and keeps each reason: a node reads a secret through the Node authorizer and may
   * hold more on it through RBAC.
   */
  private add(
    type: string,
    from: string,
    to: string,
    properties: Record<string, string | string[]>,
    evidence: Evidence[],
  ): void {
    if (from === to) return;
    const key = `${type}\u0000${from}\u0000${to}`;
    const known = this.out.get(key);
    if (!known) this.out.set(key, { type, from, to, properties, evidence });
    else if (type === 'CAN_ACCESS') {
      const union = (name: string) => [
        ...new Set([
          ...((known.properties?.[name] as string[]) ?? []),
          ...((properties[name] as string[]) ?? []),
        ]),
      ];
      known.properties = {
        ...known.properties,
        levels: unitedLevels(known.properties?.levels as string[], properties.levels as string[]),
        actions: union('actions'),
      };
      for (const e of evidence)
        if (!known.evidence.some((k) => k.ref === e.ref && k.statement === e.statement))
          known.evidence.push(e);
    } else if (
      evidence.every((e) => e.source === 'workload-spec') &&
      known.evidence.every((e) => e.source === 'workload-spec')
    )
      known.evidence.push(...evidence);
  }
}

/** The pod techniques in the order they name an edge: exec or attach, ephemeral containers, an update. */
type PodControl = readonly [K8sTechniqueId, string, string | undefined];
const POD_CONTROL: readonly PodControl[] = [
  ['k8s-exec', 'create', 'exec'],
  ['k8s-exec', 'get', 'exec'],
  ['k8s-exec', 'create', 'attach'],
  ['k8s-exec', 'get', 'attach'],
  ['k8s-ephemeral-container', 'update', 'ephemeralcontainers'],
  ['k8s-ephemeral-container', 'patch', 'ephemeralcontainers'],
  ['k8s-update-pod', 'update', undefined],
  ['k8s-update-pod', 'patch', undefined],
];

function podControlWhat(verb: string, subresource: string | undefined): string {
  return subresource ? `${verb} pods/${subresource}` : `${verb} pods`;
}

/**
 * What a set of rules allows in a namespace without naming an object: the same for every object
 * no rule names (a rule with resourceNames matches only requests naming one of them).
 */
interface NamespaceRights {
  /** Create pods or a workload controller. */
  create?: RuleGrant;
  /** Update a workload controller's pod template (when it cannot create). */
  update?: RuleGrant;
  listSecrets?: RuleGrant;
  getSecrets?: RuleGrant;
  writeSecrets?: RuleGrant;
  mintTokens?: RuleGrant;
  /** Per POD_CONTROL entry. */
  podControl: (RuleGrant | undefined)[];
  /** Every resourceName the rules name: those objects are decided one by one. */
  names: Set<string>;
}

function firstAllowing(rules: RuleGrant[], request: RequestAttributes): RuleGrant | undefined {
  return rules.find((g) => ruleAllows(g.rule, request));
}

type ScopedCan = (
  verb: string,
  group: string,
  resource: string,
  extra?: { name?: string; subresource?: string },
) => RuleGrant | undefined;

function describe(p: K8sPrincipal): string {
  const kind = { K8sServiceAccount: 'service account', K8sUser: 'user', K8sGroup: 'group', K8sNode: 'node' }[
    p.kind
  ];
  return p.namespace ? `${kind} ${p.namespace}/${p.name}` : `${kind} ${p.name}`;
}

function rbacEvidence(cluster: string, g: RuleGrant, reason: string): Evidence {
  const binding =
    g.binding.kind === 'RoleBinding'
      ? k8sIds.roleBinding(cluster, g.binding.namespace as string, g.binding.name)
      : k8sIds.clusterRoleBinding(cluster, g.binding.name);
  const from = g.aggregatedFrom ? ` (aggregated from ClusterRole ${g.aggregatedFrom})` : '';
  return {
    source: 'rbac-binding',
    ref: binding,
    statement: `${g.role.kind} ${g.role.name} rule #${g.ruleIndex}${from}`,
    reason: `${reason} (${g.binding.kind} ${g.binding.namespace ? `${g.binding.namespace}/` : ''}${g.binding.name} → ${g.role.kind} ${g.role.name}, rule #${g.ruleIndex}: ${ruleText(g.rule)})`,
  };
}

function adminEvidence(cluster: string, grants: RuleGrant[], reason: string): Evidence[] {
  const wide = grants.filter((g) => g.rule.verbs.includes('*') || (g.rule.resources ?? []).includes('*'));
  return (wide.length ? wide : grants).slice(0, 3).map((g) => rbacEvidence(cluster, g, reason));
}

function specEvidence(objectId: string, field: string, reason: string): Evidence {
  return { source: 'workload-spec', ref: objectId, statement: field, reason };
}

function ruleText(rule: PolicyRule): string {
  const parts = [`verbs ${rule.verbs.join(',')}`];
  if (rule.nonResourceURLs?.length) parts.push(`urls ${rule.nonResourceURLs.join(',')}`);
  else
    parts.push(
      `resources ${(rule.resources ?? []).join(',')}`,
      `groups ${(rule.apiGroups ?? []).map((g) => g || '""').join(',')}`,
    );
  if (rule.resourceNames?.length) parts.push(`names ${rule.resourceNames.join(',')}`);
  return parts.join('; ');
}
