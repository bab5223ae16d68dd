import type { PolicyRule } from '../../../model/kubernetes/rbac.js';

/**
 * Do the owner's rules cover the servant rules? The API server's escalation check: creating or
 * updating a Role or ClusterRole, or a binding to one, is allowed without the `escalate` / `bind`
 * verb only when the requester already holds every permission it grants in that scope
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping;
 * kubernetes v1.32 pkg/registry/rbac/validation/policy_comparator.go `Covers`). Each servant rule is
 * broken into atoms of one group, resource, verb and name (or one URL and verb), and each atom must be
 * covered by one owner rule. Returns the atoms left uncovered (none: covered).
 */
export function uncovered(
  ownerRules: readonly PolicyRule[],
  servantRules: readonly PolicyRule[],
): PolicyRule[] {
  return servantRules
    .flatMap(breakdown)
    .filter((atom) => !ownerRules.some((owner) => ruleCovers(owner, atom)));
}

export function covers(ownerRules: readonly PolicyRule[], servantRules: readonly PolicyRule[]): boolean {
  return uncovered(ownerRules, servantRules).length === 0;
}

function breakdown(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  const names = rule.resourceNames ?? [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs) {
        if (names.length === 0) atoms.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        else
          for (const name of names)
            atoms.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs) atoms.push({ nonResourceURLs: [url], verbs: [verb] });
  return atoms;
}

function hasAll(set: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => set.includes(w));
}

function resourcesCover(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes('*') || hasAll(owner, wanted)) return true;
  return wanted.every((path) => {
    if (owner.includes(path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && owner.includes(`*/${path.slice(slash + 1)}`);
  });
}

function urlCovers(owner: string, path: string): boolean {
  return owner === path || (owner.endsWith('*') && path.startsWith(owner.replace(/\*+$/, '')));
}

function ruleCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  const ownerNames = owner.resourceNames ?? [];
  const atomNames = atom.resourceNames ?? [];
  return (
    (owner.verbs.includes('*') || hasAll(owner.verbs, atom.verbs)) &&
    ((owner.apiGroups ?? []).includes('*') || hasAll(owner.apiGroups ?? [], atom.apiGroups ?? [])) &&
    resourcesCover(owner.resources ?? [], atom.resources ?? []) &&
    (atom.nonResourceURLs ?? []).every((path) =>
      (owner.nonResourceURLs ?? []).some((u) => urlCovers(u, path)),
    ) &&
    (ownerNames.length === 0 || (atomNames.length > 0 && hasAll(ownerNames, atomNames)))
  );
}
