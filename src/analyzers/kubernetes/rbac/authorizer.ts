import type {
  PolicyRule,
  RbacObjects,
  RequestAttributes,
  Role,
  RoleBinding,
  RoleRef,
  RuleGrant,
  Subject,
  UserInfo,
} from '../../../model/kubernetes/rbac.js';
import { type EffectiveRule, effectiveClusterRoleRules } from './aggregation.js';
import { uncovered } from './covers.js';
import { ruleAllows } from './match.js';
import { MASTERS, subjectApplies } from './subjects.js';

export interface Decision {
  allowed: boolean;
  /** Allowed because the requester is in `system:masters`, before RBAC is asked. */
  masters: boolean;
  /** Every rule that allows the request, in the order the API server visits them. */
  grants: RuleGrant[];
}

/** A binding whose role does not exist: it grants nothing until someone creates that role. */
export interface DanglingBinding {
  binding: RuleGrant['binding'];
  roleRef: RoleRef;
}

/**
 * The RBAC authorizer over one cluster's collected objects
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/; kubernetes v1.32
 * plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go):
 *
 * - a ClusterRoleBinding grants its ClusterRole's rules in every namespace, for cluster-scoped
 *   resources and for non-resource URLs;
 * - a RoleBinding grants its Role (of its own namespace) or ClusterRole only for requests in its
 *   namespace: never cluster-scoped resources or non-resource URLs, since those requests carry no
 *   namespace. The caller gives a request a namespace exactly when its resource is namespaced;
 * - a binding whose role does not exist grants nothing;
 * - RBAC only adds permissions: there is no deny.
 * Members of `system:masters` are allowed everything before RBAC is asked
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#core-component-roles).
 */
export class RbacAuthorizer {
  private readonly clusterRules: Map<string, EffectiveRule[]>;
  private readonly roles = new Map<string, Role>();
  private readonly roleBindingsByNamespace = new Map<string, RoleBinding[]>();

  constructor(private readonly objects: RbacObjects) {
    this.clusterRules = effectiveClusterRoleRules(objects.clusterRoles);
    for (const role of objects.roles)
      this.roles.set(roleKey(role.metadata.namespace, role.metadata.name), role);
    for (const binding of objects.roleBindings) {
      const namespace = binding.metadata.namespace ?? '';
      const list = this.roleBindingsByNamespace.get(namespace);
      if (list) list.push(binding);
      else this.roleBindingsByNamespace.set(namespace, [binding]);
    }
  }

  decide(user: UserInfo, request: RequestAttributes): Decision {
    const masters = user.groups.includes(MASTERS);
    const namespace = 'path' in request ? undefined : request.namespace;
    const grants = this.rulesFor(user, namespace).filter((g) => ruleAllows(g.rule, request));
    return { allowed: masters || grants.length > 0, masters, grants };
  }

  /**
   * The rules that apply to the user in a namespace (or, without one, cluster-wide): every
   * ClusterRoleBinding naming it, then that namespace's RoleBindings naming it. What
   * `kubectl auth can-i --list` lists.
   */
  rulesFor(user: UserInfo, namespace?: string): RuleGrant[] {
    const grants = this.clusterRulesFor(user);
    if (namespace) grants.push(...this.namespaceRulesFor(user, namespace));
    return grants;
  }

  /** The rules every ClusterRoleBinding naming the user grants (in every namespace and cluster-wide). */
  clusterRulesFor(user: UserInfo): RuleGrant[] {
    const grants: RuleGrant[] = [];
    for (const binding of this.objects.clusterRoleBindings) {
      const subject = (binding.subjects ?? []).find((s) => subjectApplies(s, user, undefined));
      if (subject) grants.push(...this.grantsOf(binding, 'ClusterRoleBinding', subject));
    }
    return grants;
  }

  /** The rules the RoleBindings of one namespace grant the user there. */
  namespaceRulesFor(user: UserInfo, namespace: string): RuleGrant[] {
    const grants: RuleGrant[] = [];
    for (const binding of this.roleBindingsByNamespace.get(namespace) ?? []) {
      const subject = (binding.subjects ?? []).find((s) => subjectApplies(s, user, namespace));
      if (subject) grants.push(...this.grantsOf(binding, 'RoleBinding', subject));
    }
    return grants;
  }

  /**
   * Every binding subject the request is allowed to, with the rule that allows it: who can do it.
   * A ServiceAccount subject without a namespace is given its RoleBinding's namespace, and names
   * nobody in a ClusterRoleBinding (left out).
   */
  whoCan(request: RequestAttributes): RuleGrant[] {
    const namespace = 'path' in request ? undefined : request.namespace;
    const out: RuleGrant[] = [];
    const visit = (binding: RoleBinding, kind: RuleGrant['binding']['kind']) => {
      const rules = this.grantsOf(binding, kind, { kind: 'Group', name: '' }).filter((g) =>
        ruleAllows(g.rule, request),
      );
      if (rules.length === 0) return;
      const first = rules[0] as RuleGrant;
      for (const subject of binding.subjects ?? []) {
        const named = kind === 'RoleBinding' ? withNamespace(subject, binding.metadata.namespace) : subject;
        if (named.kind === 'ServiceAccount' && !named.namespace) continue;
        out.push({ ...first, subject: named });
      }
    };
    for (const binding of this.objects.clusterRoleBindings) visit(binding, 'ClusterRoleBinding');
    if (namespace)
      for (const binding of this.roleBindingsByNamespace.get(namespace) ?? []) visit(binding, 'RoleBinding');
    return out;
  }

  /** The rules a binding's roleRef names, from the binding's namespace; undefined when the role does not exist. */
  rulesOfRef(roleRef: RoleRef, bindingNamespace: string | undefined): EffectiveRule[] | undefined {
    if (roleRef.kind === 'ClusterRole') return this.clusterRules.get(roleRef.name);
    if (roleRef.kind === 'Role' && bindingNamespace) {
      const role = this.roles.get(roleKey(bindingNamespace, roleRef.name));
      return role ? (role.rules ?? []).map((rule) => ({ rule })) : undefined;
    }
    return undefined;
  }

  danglingBindings(): DanglingBinding[] {
    const out: DanglingBinding[] = [];
    for (const binding of this.objects.clusterRoleBindings)
      if (!this.rulesOfRef(binding.roleRef, undefined))
        out.push({ binding: bindingRef(binding, 'ClusterRoleBinding'), roleRef: binding.roleRef });
    for (const binding of this.objects.roleBindings)
      if (!this.rulesOfRef(binding.roleRef, binding.metadata.namespace))
        out.push({ binding: bindingRef(binding, 'RoleBinding'), roleRef: binding.roleRef });
    return out;
  }

  /**
   * May the user create a binding to `roleRef` in `namespace` (a RoleBinding) or cluster-wide (a
   * ClusterRoleBinding, no namespace)? The API server allows it when the user may `bind` that role,
   * or already holds every permission the role grants in that scope
   * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update).
   * `via` names which; undefined when neither holds or the role does not exist.
   */
  bindingAllowed(user: UserInfo, roleRef: RoleRef, namespace?: string): 'bind' | 'holds-all' | undefined {
    const rules = this.rulesOfRef(roleRef, namespace);
    if (!rules) return undefined;
    if (user.groups.includes(MASTERS)) return 'holds-all';
    const bind = this.decide(user, {
      verb: 'bind',
      apiGroup: 'rbac.authorization.k8s.io',
      resource: roleRef.kind === 'ClusterRole' ? 'clusterroles' : 'roles',
      name: roleRef.name,
      ...(namespace ? { namespace } : {}),
    });
    if (bind.allowed) return 'bind';
    return this.holdsAll(
      user,
      rules.map((r) => r.rule),
      namespace,
    )
      ? 'holds-all'
      : undefined;
  }

  /**
   * May the user create or update a Role (in `namespace`) or ClusterRole (no namespace) with these
   * rules? Allowed with the `escalate` verb on roles/clusterroles, or when the user already holds
   * them all in that scope
   * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update).
   */
  roleWriteAllowed(
    user: UserInfo,
    rules: readonly PolicyRule[],
    namespace?: string,
  ): 'escalate' | 'holds-all' | undefined {
    if (user.groups.includes(MASTERS)) return 'holds-all';
    const escalate = this.decide(user, {
      verb: 'escalate',
      apiGroup: 'rbac.authorization.k8s.io',
      resource: namespace ? 'roles' : 'clusterroles',
      ...(namespace ? { namespace } : {}),
    });
    if (escalate.allowed) return 'escalate';
    return this.holdsAll(user, rules, namespace) ? 'holds-all' : undefined;
  }

  private holdsAll(user: UserInfo, rules: readonly PolicyRule[], namespace?: string): boolean {
    const owned = this.rulesFor(user, namespace).map((g) => g.rule);
    return uncovered(owned, rules).length === 0;
  }

  private grantsOf(binding: RoleBinding, kind: RuleGrant['binding']['kind'], subject: Subject): RuleGrant[] {
    const namespace = kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    const rules = this.rulesOfRef(binding.roleRef, namespace) ?? [];
    const role: RuleGrant['role'] =
      binding.roleRef.kind === 'Role'
        ? { kind: 'Role', name: binding.roleRef.name, ...(namespace ? { namespace } : {}) }
        : { kind: 'ClusterRole', name: binding.roleRef.name };
    return rules.map(({ rule, aggregatedFrom }, ruleIndex) => ({
      binding: bindingRef(binding, kind),
      role,
      ruleIndex,
      rule,
      ...(aggregatedFrom ? { aggregatedFrom } : {}),
      subject,
    }));
  }
}

function roleKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function bindingRef(binding: RoleBinding, kind: RuleGrant['binding']['kind']): RuleGrant['binding'] {
  return kind === 'RoleBinding' && binding.metadata.namespace
    ? { kind, name: binding.metadata.name, namespace: binding.metadata.namespace }
    : { kind, name: binding.metadata.name };
}

function withNamespace(subject: Subject, namespace: string | undefined): Subject {
  return subject.kind === 'ServiceAccount' && !subject.namespace && namespace
    ? { ...subject, namespace }
    : subject;
}
