import { type NamedPolicy, type Statement, statementLabel } from '../../../model/aws/policy.js';
import { arnMatches, statementMatchesAction } from '../engine/index.js';
import type { Decision, StatementMatch, UndecidedCondition } from '../engine/types.js';

/**
 * What "administrator of its account" means here, precisely:
 *
 * 1. A full grant: one of the principal's identity-side Allow statements grants every action on
 *    every resource: `Action: "*"` (or a `NotAction` that excludes none of the probe actions below)
 *    with `Resource: "*"` (or a `NotResource` that does not exclude `*`).
 * 2. Nothing takes it back: the engine allows each probe action on `*` with every layer applied
 *    (explicit denies anywhere, the permissions boundary, the SCPs of the account's path). The
 *    probes are the actions through which one controls an account: writing IAM policies and
 *    credentials, passing and assuming roles, and reading or running anything (S3, KMS, Secrets
 *    Manager, EC2, Lambda).
 *
 * A probe allowed only under undecided conditions (MFA, source IP…) makes the principal a
 * *conditional* administrator: the decision is `conditional` with those conditions. A Deny aimed
 * at specific resources (not `*`) does not unmake an administrator: it still controls the account.
 */
const ADMIN_PROBE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:CreatePolicyVersion',
  'iam:CreateAccessKey',
  'iam:UpdateAssumeRolePolicy',
  'iam:PassRole',
  'sts:AssumeRole',
  's3:GetObject',
  'kms:Decrypt',
  'secretsmanager:GetSecretValue',
  'ec2:RunInstances',
  'lambda:CreateFunction',
] as const;

/** Identity-side statements that grant every action on every resource (rule 1). */
export function fullGrants(identityPolicies: NamedPolicy[]): { policy: NamedPolicy; statement: Statement }[] {
  const out: { policy: NamedPolicy; statement: Statement }[] = [];
  for (const policy of identityPolicies)
    for (const statement of policy.document.Statement)
      if (statement.Effect === 'Allow' && grantsEveryAction(statement) && grantsEveryResource(statement))
        out.push({ policy, statement });
  return out;
}

function grantsEveryAction(statement: Statement): boolean {
  if (statement.Action) return statement.Action.includes('*');
  return ADMIN_PROBE_ACTIONS.every((action) => statementMatchesAction(statement, action));
}

function grantsEveryResource(statement: Statement): boolean {
  if (statement.Resource) return statement.Resource.includes('*');
  return !(statement.NotResource ?? []).some((pattern) => arnMatches(pattern, '*'));
}

/**
 * Combines the probe decisions (rule 2) into one Decision: the first that does not allow decides
 * a "no"; otherwise allow, or conditional with every probe's conditions.
 */
export function adminDecision(
  grants: { policy: NamedPolicy; statement: Statement }[],
  probe: (action: string) => Decision,
): Decision {
  if (grants.length === 0) {
    return {
      outcome: 'implicit-deny',
      allowedBy: [],
      deniedBy: [],
      conditions: [],
      reason: 'no identity policy grants every action (Action "*") on every resource',
      warnings: [],
    };
  }
  const allowedBy = new Map<string, StatementMatch>();
  const deniedBy = new Map<string, StatementMatch>();
  const conditions = new Map<string, UndecidedCondition>();
  const warnings = new Set<string>();
  let conditional = false;
  for (const action of ADMIN_PROBE_ACTIONS) {
    const decision = probe(action);
    if (decision.outcome === 'explicit-deny' || decision.outcome === 'implicit-deny') {
      return {
        ...decision,
        reason: `not an administrator: ${action} on * is not allowed (${decision.reason})`,
      };
    }
    if (decision.outcome === 'conditional') conditional = true;
    for (const m of decision.allowedBy) allowedBy.set(`${m.policyId}\u0000${m.statement}`, m);
    for (const m of decision.deniedBy) deniedBy.set(`${m.policyId}\u0000${m.statement}`, m);
    for (const c of decision.conditions) conditions.set(`${c.operator}\u0000${c.key}\u0000${c.values}`, c);
    for (const w of decision.warnings) warnings.add(w);
  }
  const first = grants[0] as { policy: NamedPolicy; statement: Statement };
  const named = `${first.policy.name} statement ${statementLabel(first.statement)}`;
  return {
    outcome: conditional ? 'conditional' : 'allow',
    allowedBy: [...allowedBy.values()],
    deniedBy: [...deniedBy.values()],
    conditions: [...conditions.values()],
    reason: conditional
      ? `administrator if conditions hold: ${named} allows every action on every resource`
      : `administrator: ${named} allows every action on every resource and no deny, boundary or SCP restricts it`,
    warnings: [...warnings],
  };
}
