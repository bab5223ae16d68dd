/**
 * The RBAC objects as the Kubernetes API serves them (rbac.authorization.k8s.io/v1), reduced to
 * the fields authorization reads. Structurally compatible with @kubernetes/client-node's V1 types
 * and with `kubectl get … -o json`, so collected objects are used as they are.
 * https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/
 */

export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
}

export interface Role {
  metadata: ObjectMeta;
  rules?: readonly PolicyRule[] | null;
}

export interface ClusterRole extends Role {
  aggregationRule?: { clusterRoleSelectors?: readonly LabelSelector[] | null } | null;
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface RoleBinding {
  metadata: ObjectMeta;
  roleRef: RoleRef;
  subjects?: readonly Subject[] | null;
}

export type ClusterRoleBinding = RoleBinding;

export interface RbacObjects {
  roles: readonly Role[];
  clusterRoles: readonly ClusterRole[];
  roleBindings: readonly RoleBinding[];
  clusterRoleBindings: readonly ClusterRoleBinding[];
}

/**
 * An authenticated requester: its user name and every group it carries (the implicit groups
 * included: see `userInfoOf` in subjects.ts).
 */
export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/**
 * The attributes of one request the authorizer decides
 * (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#review-your-request-attributes).
 * A resource request names `resource` (and `subresource`, `name`, `namespace` where it has them; an
 * absent namespace is a cluster-scoped request or one across all namespaces); a non-resource request
 * names `path`.
 */
export type RequestAttributes =
  | {
      verb: string;
      apiGroup: string;
      resource: string;
      subresource?: string;
      name?: string;
      namespace?: string;
    }
  | { verb: string; path: string };

/** Which binding, which role and which of its rules grant a request: the evidence of a decision. */
export interface RuleGrant {
  binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string };
  role: { kind: 'Role' | 'ClusterRole'; name: string; namespace?: string };
  /** Index of the rule in the role's effective rules (after aggregation for a ClusterRole). */
  ruleIndex: number;
  rule: PolicyRule;
  /** For an aggregated ClusterRole: the ClusterRole the rule was aggregated from. */
  aggregatedFrom?: string;
  /** The binding's subject that names the requester (a user, a group, a service account). */
  subject: Subject;
}
