import type { PolicyRule, RequestAttributes } from '../../../model/kubernetes/rbac.js';

/**
 * Does one rule allow one request? Exactly the API server's RBAC matching
 * (kubernetes/kubernetes v1.32, plugin/pkg/auth/authorizer/rbac/rbac.go `RuleAllows` and
 * pkg/apis/rbac/v1/evaluation_helpers.go; https://kubernetes.io/docs/reference/access-authn-authz/rbac/):
 *
 * - verbs and apiGroups: `*` or the exact value;
 * - resources: `*` matches every resource and subresource; otherwise the exact `resource` or
 *   `resource/subresource`, or `*\/subresource` for that subresource of any resource. Nothing else is
 *   a pattern: `pods/*` matches only a subresource literally named `*`, neither `pods` nor `pods/exec`;
 * - resourceNames: none means every name; otherwise the request must name one of them, so a request
 *   without a name (list, watch, create, deletecollection) never matches a rule with resourceNames;
 * - nonResourceURLs: `*`, the exact path, or a prefix ending in `*`.
 */
export function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if ('path' in request) return nonResourceUrlMatches(rule, request.path);
  return (
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) =>
      r === '*' ||
      r === combined ||
      (subresource !== undefined && subresource !== '' && r === `*/${subresource}`),
  );
}

export function resourceNameMatches(rule: PolicyRule, name?: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && name !== '' && names.includes(name));
}

export function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}
