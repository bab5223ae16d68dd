import type { NamedPolicy } from '../../../model/aws/policy.js';
import type { PolicySet } from '../engine/types.js';
import type { EscalationRun } from './context.js';
import type { AdminHypothesis, PermissionChange } from './types.js';

/**
 * Changes to one principal's policy set, as the authorizer applies them to answer "what would the
 * principal be allowed after this": administrator (see authorizer/admin.ts), or which edges it
 * would have (see states.ts). The principal's permissions boundary (unless a change drops it) and
 * its account's SCPs still apply.
 */

export function hypothesisKey(h: AdminHypothesis): string {
  return JSON.stringify([h.principalId, h.change]);
}

/**
 * A key for the state after a sequence of changes: the same groups joined, policies dropped or
 * rewritten and boundary removed in any order is the same state.
 */
export function stateKey(principalId: string, changes: readonly PermissionChange[]): string {
  const sorted = (list: string[]) => [...new Set(list)].sort();
  const replaced = new Map<string, unknown>();
  for (const c of changes)
    if (c.replacePolicy) replaced.set(c.replacePolicy.policyId, c.replacePolicy.document);
  return JSON.stringify([
    principalId,
    changes.some((c) => c.grantAll),
    changes.some((c) => c.dropBoundary),
    sorted(changes.flatMap((c) => c.addGroups ?? [])),
    sorted(changes.flatMap((c) => c.dropPolicies ?? [])),
    [...replaced].sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);
}

const allowAll = (principalId: string): NamedPolicy => ({
  id: `${principalId}#what-if/any-policy`,
  name: 'any policy the principal can write or attach',
  kind: 'inline',
  document: {
    Version: '2012-10-17',
    Statement: [{ index: 0, Effect: 'Allow', Action: ['*'], Resource: ['*'] }],
  },
});

/** The policy set after one change. */
function applyOne(run: EscalationRun, principalId: string, change: PermissionChange) {
  const added: NamedPolicy[] = (change.addGroups ?? []).flatMap((arn) => {
    const group = run.group(arn);
    if (!group) return [];
    return [
      ...group.inlinePolicies,
      ...group.attachedPolicyArns.flatMap((p) => run.managedPolicy(p)?.policy ?? []),
    ];
  });
  if (change.grantAll) added.push(allowAll(principalId));
  const dropped = new Set(change.dropPolicies ?? []);
  const replace = change.replacePolicy;
  return (set: PolicySet): PolicySet => {
    const kept = set.identityPolicies.filter((p) => !dropped.has(p.id));
    const identityPolicies = [
      ...kept.map((p) => (replace && p.id === replace.policyId ? { ...p, document: replace.document } : p)),
      // A group joined twice (or a policy already held) adds nothing.
      ...added.filter((p) => !kept.some((k) => k.id === p.id)),
    ];
    const next: PolicySet = { ...set, identityPolicies };
    if (change.dropBoundary) delete next.permissionsBoundary;
    return next;
  };
}

/** The policy set after the changes, in order. */
export function applyChanges(
  run: EscalationRun,
  principalId: string,
  changes: readonly PermissionChange[],
): (set: PolicySet) => PolicySet {
  const steps = changes.map((c) => applyOne(run, principalId, c));
  // The identity part depends only on the principal's own policies (one array per principal), and
  // it is asked for on every request: computed once, it also keeps one array for the changed set.
  let from: PolicySet['identityPolicies'] | undefined;
  let to: PolicySet | undefined;
  return (set) => {
    if (set.identityPolicies !== from || !to) {
      from = set.identityPolicies;
      to = steps.reduce((acc, step) => step(acc), set);
    }
    const next: PolicySet = { ...set, identityPolicies: to.identityPolicies };
    if (to.permissionsBoundary === undefined) delete next.permissionsBoundary;
    return next;
  };
}
