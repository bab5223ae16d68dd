import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { KubernetesClusterData } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type { RoleBinding } from '../../model/kubernetes/rbac.js';
import { enforcedLevel, podEscapes } from './pod-escapes.js';
import type { RbacAuthorizer } from './rbac/authorizer.js';
import { ruleAllows } from './rbac/match.js';

/**
 * What the Kubernetes analysis notices besides edges, as analysis flags the report rules read
 * (rules/k8s-*.yaml, each mapped to the CIS Kubernetes Benchmark). Each names the object and the
 * field or binding that causes it.
 */
export function clusterFindings(
  cluster: KubernetesClusterData,
  rbac: RbacAuthorizer,
  tokenMounted: (pod: KubernetesClusterData['pods'][number]) => boolean,
): AnalysisFinding[] {
  const c = cluster.name;
  const out: AnalysisFinding[] = [];
  const bindings: { b: RoleBinding; id: string; kind: string }[] = [
    ...cluster.clusterRoleBindings.map((b) => ({
      b,
      id: k8sIds.clusterRoleBinding(c, b.metadata.name),
      kind: 'ClusterRoleBinding',
    })),
    ...cluster.roleBindings.map((b) => ({
      b,
      id: k8sIds.roleBinding(c, b.metadata.namespace as string, b.metadata.name),
      kind: 'RoleBinding',
    })),
  ];
  const evidence = (ref: string, statement: string, reason: string) => [
    { source: 'rbac-binding' as const, ref, statement, reason },
  ];

  // Roles with `*` verbs on `*` resources (CIS 5.1.3); bootstrap roles (system:*, cluster-admin) are the platform's own.
  const roles = [
    ...cluster.clusterRoles.map((r) => ({
      r,
      id: k8sIds.clusterRole(c, r.metadata.name),
      kind: 'ClusterRole',
    })),
    ...cluster.roles.map((r) => ({
      r,
      id: k8sIds.role(c, r.metadata.namespace as string, r.metadata.name),
      kind: 'Role',
    })),
  ];
  for (const { r, id, kind } of roles) {
    if (r.metadata.name === 'cluster-admin' || r.metadata.name.startsWith('system:')) continue;
    (r.rules ?? []).forEach((rule, i) => {
      const wild = rule.verbs.includes('*') || (rule.resources ?? []).includes('*');
      if (wild)
        out.push({
          rule: 'k8s-wildcard-role',
          severity: rule.verbs.includes('*') && (rule.resources ?? []).includes('*') ? 'high' : 'medium',
          subject: id,
          message: `${kind} ${r.metadata.name} rule #${i} grants ${rule.verbs.join(',')} on ${(rule.resources ?? rule.nonResourceURLs ?? []).join(',')}: every present and future resource of those groups`,
          evidence: evidence(id, `rule #${i}`, `${kind} ${r.metadata.name} rule #${i} uses a wildcard`),
        });
    });
  }

  for (const { b, id, kind } of bindings) {
    const where = `${kind} ${b.metadata.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata.name}`;
    const rules = rbac.rulesOfRef(b.roleRef, kind === 'RoleBinding' ? b.metadata.namespace : undefined);
    // A binding to a role that does not exist grants nothing now and everything that role gets once created.
    if (!rules)
      out.push({
        rule: 'k8s-binding-to-missing-role',
        severity: 'medium',
        subject: id,
        message: `${where} binds ${b.roleRef.kind} ${b.roleRef.name}, which does not exist: whoever creates it grants its rules to ${subjects(b)}`,
        evidence: evidence(id, 'roleRef', `${where} refers to a missing ${b.roleRef.kind}`),
      });
    const platform = b.metadata.name.startsWith('system:') && b.roleRef.name.startsWith('system:');
    for (const s of b.subjects ?? []) {
      if (s.kind === 'Group' && ['system:unauthenticated', 'system:anonymous'].includes(s.name) && !platform)
        out.push({
          rule: 'k8s-binding-to-everyone',
          severity: 'critical',
          subject: id,
          message: `${where} grants ${b.roleRef.kind} ${b.roleRef.name} to ${s.name}: anyone who can reach the API server`,
          evidence: evidence(id, `subject ${s.name}`, `${where} names ${s.name}`),
        });
      else if (s.kind === 'User' && s.name === 'system:anonymous' && !platform)
        out.push({
          rule: 'k8s-binding-to-everyone',
          severity: 'critical',
          subject: id,
          message: `${where} grants ${b.roleRef.kind} ${b.roleRef.name} to system:anonymous: anyone who can reach the API server`,
          evidence: evidence(id, 'subject system:anonymous', `${where} names system:anonymous`),
        });
      else if (s.kind === 'Group' && s.name === 'system:authenticated' && !platform)
        out.push({
          rule: 'k8s-binding-to-everyone',
          severity: 'high',
          subject: id,
          message: `${where} grants ${b.roleRef.kind} ${b.roleRef.name} to system:authenticated: every user and service account of the cluster`,
          evidence: evidence(id, 'subject system:authenticated', `${where} names system:authenticated`),
        });
      if (s.kind === 'ServiceAccount' && s.name === 'default')
        out.push({
          rule: 'k8s-default-service-account-bound',
          severity: 'low',
          subject: id,
          message: `${where} grants ${b.roleRef.kind} ${b.roleRef.name} to the default service account of ${s.namespace || b.metadata.namespace}: every pod that names no account gets it`,
          evidence: evidence(
            id,
            `subject ServiceAccount ${s.name}`,
            `${where} names a default service account`,
          ),
        });
    }
    // Secrets readable in every namespace (CIS 5.1.2).
    if (kind === 'ClusterRoleBinding' && rules) {
      const read = rules.find(({ rule }) =>
        ['get', 'list', 'watch'].some((verb) =>
          ruleAllows(rule, { verb, apiGroup: '', resource: 'secrets', name: 'any' }),
        ),
      );
      const admin = rules.some(
        ({ rule }) => rule.verbs.includes('*') && (rule.resources ?? []).includes('*'),
      );
      if (read && !admin && !platform)
        out.push({
          rule: 'k8s-secrets-readable-cluster-wide',
          severity: 'high',
          subject: id,
          message: `${where} lets ${subjects(b)} read secrets in every namespace (${b.roleRef.kind} ${b.roleRef.name})`,
          evidence: evidence(id, b.roleRef.name, `${where} grants reading secrets cluster-wide`),
        });
    }
  }

  // Pods that can reach their node and carry an API token (CIS 5.2.x, 5.1.6), and the namespaces that admit them.
  const unenforced = new Map<string, string[]>();
  for (const pod of cluster.pods) {
    const ns = pod.metadata.namespace as string;
    const ways = podEscapes(pod.spec);
    if (ways.length === 0) continue;
    const id = k8sIds.pod(c, ns, pod.metadata.name);
    if (tokenMounted(pod))
      out.push({
        rule: 'k8s-node-access-pod-with-token',
        severity: 'high',
        subject: id,
        message: `pod ${ns}/${pod.metadata.name} can reach its node (${ways.map((w) => w.field).join(', ')}) and mounts a service-account token`,
        evidence: ways.map((w) => ({
          source: 'workload-spec' as const,
          ref: id,
          statement: w.field,
          reason: w.detail,
        })),
      });
    if (enforcedLevel(cluster, ns) === 'privileged')
      unenforced.set(ns, [...(unenforced.get(ns) ?? []), pod.metadata.name]);
  }
  for (const [ns, pods] of unenforced)
    out.push({
      rule: 'k8s-namespace-without-pod-security',
      severity: 'medium',
      subject: k8sIds.namespace(c, ns),
      message: `namespace ${ns} enforces no Pod Security level above privileged and runs pods that reach their node: ${pods.slice(0, 5).join(', ')}${pods.length > 5 ? ', …' : ''}`,
      evidence: [
        {
          source: 'declared',
          ref: k8sIds.namespace(c, ns),
          statement: 'metadata.labels[pod-security.kubernetes.io/enforce]',
          reason: `namespace ${ns} has no baseline or restricted enforcement`,
        },
      ],
    });
  return out;
}

function subjects(b: RoleBinding): string {
  const names = (b.subjects ?? []).map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
  return names.length ? names.join(', ') : 'no subject yet';
}
