import { clusterPrincipals, type K8sPrincipal } from '../analyzers/kubernetes/principals.js';
import { RbacAuthorizer } from '../analyzers/kubernetes/rbac/authorizer.js';
import { MASTERS, serviceAccountUser, userInfoOf } from '../analyzers/kubernetes/rbac/subjects.js';
import type { KubernetesClusterData } from '../model/kubernetes/environment.js';
import type {
  PolicyRule,
  RequestAttributes,
  RuleGrant,
  Subject,
  UserInfo,
} from '../model/kubernetes/rbac.js';
import { parseResourceName } from '../model/kubernetes/resources.js';
import type { ValidInventory } from '../model/validate.js';
import { byKeys } from './answer-shape.js';
import type { GraphReader } from './graph-reader.js';
import { rbacClusters, rbacObjectsOfInventory, readRbacObjects } from './kubernetes-rbac-objects.js';

/**
 * The Kubernetes authorization questions, answered by the one RBAC authorizer
 * (analyzers/kubernetes/rbac/) over a cluster's RBAC objects: who may make a request (`who-can`),
 * and what one requester may do (`can-i`), each with the binding, the role and the rule index that
 * grant it. What the API server decides, not an approximation: `pods/*` matches no resource,
 * `resourceNames` narrow a rule, a RoleBinding grants only in its namespace, members of
 * `system:masters` are allowed everything before RBAC is asked.
 */

/** The evidence of one grant: the binding, its role and the rule (index in the effective rules). */
export interface RbacEvidence {
  binding: RuleGrant['binding'];
  role: RuleGrant['role'];
  ruleIndex: number;
  rule: PolicyRule;
  /** An aggregated ClusterRole's rule: the ClusterRole it comes from. */
  aggregatedFrom?: string;
}

/** One requester allowed a request, and why. */
export interface RbacWhoCanAnswer {
  cluster: string;
  subject: Subject;
  /** Allowed as a member of `system:masters`, before RBAC is asked (then `grant` is null). */
  masters: boolean;
  /** The binding subject that names the requester when it is not the requester itself (a group it is in). */
  through: Subject | null;
  grant: RbacEvidence | null;
}

/** One rule a requester holds, where it holds it. */
export interface RbacRightAnswer {
  cluster: string;
  /** The requester as the API server sees it: its user name and every group, implicit ones included. */
  user: UserInfo;
  /** The namespace a RoleBinding grants it in; null for a ClusterRoleBinding (everywhere). */
  namespace: string | null;
  /** Allowed everything as a member of `system:masters` (then `grant` is null). */
  masters: boolean;
  /** The binding subject that names the requester (itself or one of its groups). */
  through: Subject | null;
  grant: RbacEvidence | null;
}

export interface RbacWhoCanOptions {
  verb: string;
  /** `RESOURCE[.GROUP][/SUBRESOURCE]`, or a non-resource URL starting with `/`. */
  resource: string;
  namespace?: string;
  name?: string;
  cluster?: string;
}

export interface RbacCanIOptions {
  /** A user name, `system:serviceaccount:NS:NAME` or `system:node:NAME`. */
  as: string;
  /** Groups to add to the requester's own (kubectl's --as-group). */
  groups?: readonly string[];
  namespace?: string;
  cluster?: string;
}

/**
 * The questions over clusters' RBAC objects: those the graph stores (`fromGraph`), those an
 * inventory in memory holds (`fromInventory`, a snapshot), read back the same way
 * (kubernetes-rbac-objects.ts), or collected clusters as they are.
 */
export class KubernetesRbacQueries {
  constructor(private readonly clusters: readonly KubernetesClusterData[]) {}

  static async fromGraph(reader: GraphReader, cluster?: string): Promise<KubernetesRbacQueries> {
    return new KubernetesRbacQueries(rbacClusters(await readRbacObjects(reader, cluster)));
  }

  static fromInventory(valid: ValidInventory): KubernetesRbacQueries {
    return new KubernetesRbacQueries(rbacClusters(rbacObjectsOfInventory(valid)));
  }

  whoCan(options: RbacWhoCanOptions): RbacWhoCanAnswer[] {
    if (!/^[a-z*]+$/i.test(options.verb)) throw new Error(`who-can: "${options.verb}" is not a verb`);
    const answers: RbacWhoCanAnswer[] = [];
    for (const cluster of this.selected(options.cluster)) {
      const request = requestOf(options);
      const rbac = new RbacAuthorizer(cluster);
      const named = new Set<string>();
      const add = (answer: Omit<RbacWhoCanAnswer, 'cluster'>) => {
        named.add(subjectKey(answer.subject));
        answers.push({ cluster: cluster.name, ...answer });
      };
      add({ subject: { kind: 'Group', name: MASTERS }, masters: true, through: null, grant: null });
      for (const grant of rbac.whoCan(request))
        if (!named.has(subjectKey(grant.subject)))
          add({ subject: grant.subject, masters: false, through: null, grant: evidenceOf(grant) });
      // The known users, service accounts and nodes allowed through a group they are in.
      for (const p of clusterPrincipals(cluster)) {
        const subject = subjectOf(p);
        if (!subject || named.has(subjectKey(subject))) continue;
        const decision = rbac.decide(p.user, request);
        if (!decision.allowed) continue;
        const first = decision.grants[0];
        add({
          subject,
          masters: decision.masters,
          through: decision.masters ? { kind: 'Group', name: MASTERS } : (first?.subject ?? null),
          grant: decision.masters || !first ? null : evidenceOf(first),
        });
      }
    }
    return answers.sort(whoCanOrder);
  }

  canI(options: RbacCanIOptions): RbacRightAnswer[] {
    const answers: RbacRightAnswer[] = [];
    for (const cluster of this.selected(options.cluster)) {
      const rbac = new RbacAuthorizer(cluster);
      const user = requesterOf(cluster, options.as, options.groups ?? []);
      const row = (namespace: string | null, grant: RuleGrant): RbacRightAnswer => ({
        cluster: cluster.name,
        user,
        namespace,
        masters: false,
        through: grant.subject,
        grant: evidenceOf(grant),
      });
      if (user.groups.includes(MASTERS))
        answers.push({
          cluster: cluster.name,
          user,
          namespace: null,
          masters: true,
          through: { kind: 'Group', name: MASTERS },
          grant: null,
        });
      for (const grant of rbac.rulesFor(user)) answers.push(row(null, grant));
      const namespaces = options.namespace
        ? [options.namespace]
        : [...new Set(cluster.roleBindings.map((b) => b.metadata.namespace ?? ''))].filter(Boolean).sort();
      for (const ns of namespaces)
        for (const grant of rbac.rulesFor(user, ns))
          if (grant.binding.kind === 'RoleBinding') answers.push(row(ns, grant));
    }
    return answers;
  }

  private selected(name: string | undefined): readonly KubernetesClusterData[] {
    if (name === undefined) return this.clusters;
    const found = this.clusters.filter((c) => c.name === name);
    if (found.length === 0)
      throw new Error(
        `--cluster: no cluster named "${name}"${this.clusters.length ? ` (known: ${this.clusters.map((c) => c.name).join(', ')})` : ''}`,
      );
    return found;
  }
}

/** The request `who-can` asks about; a resource's namespace only when it is namespaced. */
function requestOf(options: RbacWhoCanOptions): RequestAttributes {
  if (options.resource.startsWith('/')) {
    if (options.namespace !== undefined || options.name !== undefined)
      throw new Error(`${options.resource}: a non-resource URL takes neither a namespace nor a name`);
    return { verb: options.verb, path: options.resource };
  }
  const parsed = parseResourceName(options.resource);
  if (parsed.namespaced === false && options.namespace !== undefined)
    throw new Error(`${options.resource} is cluster-scoped: leave out -n/--namespace`);
  return {
    verb: options.verb,
    apiGroup: parsed.apiGroup,
    resource: parsed.resource,
    ...(parsed.subresource ? { subresource: parsed.subresource } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
const NODE_USER = /^system:node:([^:]+)$/;

/**
 * The requester `--as` names, with every group the API server would give it: a service account's
 * and a node's implicit groups, a user's groups from the users file and aws-auth, and
 * `system:authenticated` (rbac/subjects.ts), plus the groups asked for.
 */
function requesterOf(cluster: KubernetesClusterData, as: string, extra: readonly string[]): UserInfo {
  const sa = SA_USER.exec(as);
  const node = NODE_USER.exec(as);
  const base = sa
    ? userInfoOf({ kind: 'ServiceAccount', namespace: sa[1] as string, name: sa[2] as string })
    : node
      ? userInfoOf({ kind: 'Node', name: node[1] as string })
      : (clusterPrincipals(cluster).find((p) => p.kind === 'K8sUser' && p.name === as)?.user ??
        userInfoOf({ kind: 'User', name: as }));
  return { name: base.name, groups: [...new Set([...base.groups, ...extra])] };
}

function subjectOf(p: K8sPrincipal): Subject | undefined {
  if (p.kind === 'K8sServiceAccount') return { kind: 'ServiceAccount', name: p.name, namespace: p.namespace };
  if (p.kind === 'K8sUser') return { kind: 'User', name: p.name };
  if (p.kind === 'K8sNode') return { kind: 'User', name: p.user.name };
  return undefined; // a group is listed when a binding names it
}

function subjectKey(s: Subject): string {
  // A ServiceAccount named as its user name is the same requester.
  if (s.kind === 'ServiceAccount') return `User:${serviceAccountUser(s.namespace ?? '', s.name)}`;
  return `${s.kind}:${s.name}`;
}

function evidenceOf(grant: RuleGrant): RbacEvidence {
  return {
    binding: grant.binding,
    role: grant.role,
    ruleIndex: grant.ruleIndex,
    rule: grant.rule,
    ...(grant.aggregatedFrom ? { aggregatedFrom: grant.aggregatedFrom } : {}),
  };
}

const whoCanOrder = byKeys<RbacWhoCanAnswer>(
  (a) => a.cluster,
  (a) => a.subject.kind,
  (a) => a.subject.namespace ?? '',
  (a) => a.subject.name,
);
