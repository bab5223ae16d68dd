import type { NamedPolicy } from '../../../model/aws/policy.js';
import type { EnvironmentAuthorizer } from '../authorizer/environment-authorizer.js';
import type { Decision, PolicySet } from '../engine/types.js';
import type { EscalationRun } from './context.js';
import type { AdminHypothesis, PermissionChange } from './types.js';

/**
 * Answers "would principal X be administrator after this change to its permissions?": the
 * authorizer re-evaluates X's administrator probes on X's own policy set with the change applied,
 * so its permissions boundary (unless the change drops it) and its account's SCPs still apply.
 */

export type WhatIfAuthorizer = Pick<EnvironmentAuthorizer, 'isAdminWith'>;

export function hypothesisKey(h: AdminHypothesis): string {
  return JSON.stringify([h.principalId, h.change]);
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

/** The policy set after the change. */
function applyChange(run: EscalationRun, principalId: string, change: PermissionChange) {
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
    const identityPolicies = [
      ...set.identityPolicies
        .filter((p) => !dropped.has(p.id))
        .map((p) => (replace && p.id === replace.policyId ? { ...p, document: replace.document } : p)),
      ...added,
    ];
    const next: PolicySet = { ...set, identityPolicies };
    if (change.dropBoundary) delete next.permissionsBoundary;
    return next;
  };
}

export function decideHypotheses(
  run: EscalationRun,
  authorizer: WhatIfAuthorizer,
  hypotheses: AdminHypothesis[],
): Map<string, Decision> {
  const results = new Map<string, Decision>();
  for (const h of hypotheses) {
    const key = hypothesisKey(h);
    if (results.has(key)) continue;
    results.set(key, authorizer.isAdminWith(h.principalId, applyChange(run, h.principalId, h.change)));
  }
  return results;
}
