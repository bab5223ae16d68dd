import type { ClusterRole, PolicyRule } from '../../../model/kubernetes/rbac.js';
import { selects } from './selector.js';

/** A rule of a ClusterRole's effective rules, with the ClusterRole it was aggregated from, if any. */
export interface EffectiveRule {
  rule: PolicyRule;
  aggregatedFrom?: string;
}

/**
 * The rules of every ClusterRole as the API server authorizes them. A ClusterRole with an
 * `aggregationRule` holds the union of the rules of every other ClusterRole its
 * `clusterRoleSelectors` select, in selector order then by name, without duplicates: what the
 * aggregation controller writes into it, computed here from the labels rather than read from a
 * possibly stale `rules` field
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles; kubernetes
 * v1.32 pkg/controller/clusterroleaggregation). Aggregating roles may select each other: the union
 * is taken to a fixed point.
 */
export function effectiveClusterRoleRules(
  clusterRoles: readonly ClusterRole[],
): Map<string, EffectiveRule[]> {
  const byName = [...clusterRoles].sort((a, b) => compare(a.metadata.name, b.metadata.name));
  const rules = new Map<string, EffectiveRule[]>();
  const aggregating: ClusterRole[] = [];
  for (const role of byName) {
    if (role.aggregationRule?.clusterRoleSelectors) {
      aggregating.push(role);
      rules.set(role.metadata.name, []);
    } else
      rules.set(
        role.metadata.name,
        (role.rules ?? []).map((rule) => ({ rule })),
      );
  }
  for (let changed = true, rounds = 0; changed && rounds <= aggregating.length; rounds++) {
    changed = false;
    for (const role of aggregating) {
      const union: EffectiveRule[] = [];
      const seen = new Set<string>();
      for (const selector of role.aggregationRule?.clusterRoleSelectors ?? [])
        for (const other of byName) {
          if (other.metadata.name === role.metadata.name || !selects(selector, other.metadata.labels))
            continue;
          for (const { rule, aggregatedFrom } of rules.get(other.metadata.name) ?? []) {
            const key = ruleKey(rule);
            if (seen.has(key)) continue;
            seen.add(key);
            union.push({ rule, aggregatedFrom: aggregatedFrom ?? other.metadata.name });
          }
        }
      if (union.length !== rules.get(role.metadata.name)?.length) changed = true;
      rules.set(role.metadata.name, union);
    }
  }
  return rules;
}

function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([
    rule.verbs,
    rule.apiGroups,
    rule.resources,
    rule.resourceNames,
    rule.nonResourceURLs,
  ]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
