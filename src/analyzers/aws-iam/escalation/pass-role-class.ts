import type { Decision } from '../engine/types.js';
import type { PassableRole, RoleForService } from './context.js';
import { MIN_SHARED } from './grant-hubs.js';

/**
 * Is a caller's `iam:PassRole` decision the same for every role of a service class (the roles of
 * its account that trust the service)? AWS decides PassRole per role: the caller's identity
 * policies, boundary and SCPs, with the role's ARN as the resource and `iam:PassedToService` in
 * the request (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService).
 * The analysis takes that decision for each role (`EscalationContext.passable`); this compares
 * the results. The caller's decision is shared by the class only when it may pass every role of
 * the class (a Resource pattern covering part of it, a Deny on one role, a role reading
 * `iam:ResourceTag` the others fail, or the caller being a role of the class itself leave some
 * role out) and each decision has the same outcome, the same Allow and Deny statements and the
 * same undecided conditions (a second statement on a pattern, a Deny conditional on one role,
 * differ). Then one decision, stated once, stands for every role; otherwise the caller's pairs
 * stay one edge each, each naming its role (as do those of a class of one role).
 */
export function sharedPassDecision(
  passable: readonly PassableRole[],
  trusting: readonly RoleForService[],
): Decision | undefined {
  if (passable.length !== trusting.length || trusting.length < MIN_SHARED) return undefined;
  return sameDecision(passable.map((p) => p.pass));
}

/** The first decision when every decision says the same (outcome, statements, conditions), else undefined. */
export function sameDecision(decisions: readonly Decision[]): Decision | undefined {
  const [first] = decisions;
  if (!first) return undefined;
  const shape = decisionShape(first);
  for (const d of decisions) if (d !== first && decisionShape(d) !== shape) return undefined;
  return first;
}

/** What a decision says, without the request it answered: outcome, statements, conditions. */
function decisionShape(d: Decision): string {
  return JSON.stringify([d.outcome, d.allowedBy, d.deniedBy, d.conditions, d.notBefore ?? null]);
}
