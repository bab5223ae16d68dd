import type { NamedPolicy, Statement } from '../../../model/aws/policy.js';
import type { ContextValues, Decision, PolicySet } from '../engine/types.js';

/**
 * `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` of a principal whose account is not in the
 * collected organization. AWS sets them for every principal of an account in *some*
 * organization (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid),
 * so offline we know only that they are not the collected organization's: either absent (the
 * account is in no organization) or another organization's id and paths.
 *
 * A condition that compares them with the collected organization only (`StringNotEqualsIfExists
 * aws:PrincipalOrgID o-ours`, `ForAnyValue:StringLike aws:PrincipalOrgPaths o-ours/r-…/*`, a
 * `Null` test) is decided by evaluating both possibilities: when they agree, that is the answer;
 * when they differ (e.g. `StringEqualsIfExists`), or when a condition names another organization
 * or a wildcard, the keys stay undecided and the engine makes the decision conditional.
 */

const ORG_KEYS = ['aws:principalorgid', 'aws:principalorgpaths'];

/** How a policy set's conditions use the organization keys. Ordered: `none` < `own` < `other`. */
export type OrgKeyUse = 'none' | 'own' | 'other';
const RANK: Record<OrgKeyUse, number> = { none: 0, own: 1, other: 2 };

export class OrgKeyUses {
  private readonly byPolicy = new WeakMap<NamedPolicy, OrgKeyUse>();

  constructor(private readonly orgId: string) {}

  /** The strongest use across every policy of the set. */
  of(set: PolicySet): OrgKeyUse {
    let use: OrgKeyUse = 'none';
    const policies = [
      ...set.identityPolicies,
      ...(set.resourcePolicy ? [set.resourcePolicy] : []),
      ...(set.permissionsBoundary ? [set.permissionsBoundary] : []),
      ...(set.sessionPolicies ?? []),
      ...(set.serviceControlPolicies ?? []).flat(),
      ...(set.resourceControlPolicies ?? []).flat(),
    ];
    for (const policy of policies) {
      const own = this.policyUse(policy);
      if (RANK[own] > RANK[use]) use = own;
      if (use === 'other') break;
    }
    return use;
  }

  private policyUse(policy: NamedPolicy): OrgKeyUse {
    let use = this.byPolicy.get(policy);
    if (use === undefined) {
      use = 'none';
      for (const statement of policy.document.Statement) {
        const own = statementUse(statement, this.orgId);
        if (RANK[own] > RANK[use]) use = own;
      }
      this.byPolicy.set(policy, use);
    }
    return use;
  }
}

function statementUse(statement: Statement, orgId: string): OrgKeyUse {
  const text = JSON.stringify(statement).toLowerCase();
  if (!text.includes('aws:principalorg')) return 'none';
  // A variable naming the keys (in Resource or a condition value) is not analyzed: undecided.
  if (/\$\{\s*aws:principalorg/.test(text)) return 'other';
  let use: OrgKeyUse = 'none';
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const base = operator.replace(/^for(all|any)values:/i, '').replace(/ifexists$/i, '');
    for (const [key, values] of Object.entries(keys)) {
      if (!ORG_KEYS.includes(key.toLowerCase())) continue;
      // `Null` tests presence only, which the two possibilities cover.
      const own =
        base.toLowerCase() === 'null' || values.every((v) => v === orgId || v.startsWith(`${orgId}/`));
      if (!own) return 'other';
      use = 'own';
    }
  }
  return use;
}

/** The two possibilities for a principal outside the collected organization. */
export function outsideOrganizationContexts(orgId: string): [ContextValues, ContextValues] {
  let elsewhere = 'o-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
  if (elsewhere.startsWith(orgId)) elsewhere = 'o-0000000000000000000000000000000000';
  return [
    { 'aws:PrincipalOrgID': null, 'aws:PrincipalOrgPaths': null },
    { 'aws:PrincipalOrgID': [elsewhere], 'aws:PrincipalOrgPaths': [`${elsewhere}/r-zzzz/`] },
  ];
}

/** Do two decisions say the same thing (outcome, granting and denying statements, conditions)? */
export function sameDecision(a: Decision, b: Decision): boolean {
  const statements = (d: Decision) =>
    [...d.allowedBy, ...d.deniedBy].map((m) => `${m.effect}:${m.policyId}#${m.statement}`).join('|');
  const conditions = (d: Decision) =>
    d.conditions.map((c) => `${c.operator}:${c.key}:${c.values.join(',')}`).join('|');
  return a.outcome === b.outcome && statements(a) === statements(b) && conditions(a) === conditions(b);
}

/** Does the caller's context already say something about the organization keys? */
export function mentionsOrgKeys(context: ContextValues | undefined): boolean {
  return Object.keys(context ?? {}).some((k) => ORG_KEYS.includes(k.toLowerCase()));
}
