import type { AwsRoleData } from '../../../model/aws/environment.js';
import { type Statement, statementLabel } from '../../../model/aws/policy.js';
import { accountNamed } from '../authorizer/principal-ids.js';
import { arnMatches, statementMatchesAction } from '../engine/index.js';
import type { PolicySet } from '../engine/types.js';
import type { Authorizer, PrincipalInfo } from '../types.js';

/**
 * Trust classes: roles whose trust policy admits whole classes of AWS principals — an account
 * (`arn:aws:iam::A:root`, `"AWS": "A"`: every principal of A whose own policies allow
 * sts:AssumeRole on the role) or anyone (`"*"`) — admit callers × roles pairs. Roles of one account
 * whose trust has the same statements for AWS principals decide alike for every caller, except
 * through the caller's own statements; a caller whose own statements decide alike for all of them
 * (`UniformDecisions`) is decided once, on one role, and joins the group's Grant hub
 * (grant-hubs.ts) for that decision. The others are decided role by role.
 *
 * Why this is exact: for sts:AssumeRole AWS evaluates the caller's identity policies, boundary and
 * SCPs, the role's trust policy and the role account's RCPs
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 * Within one account and one set of trust statements for AWS principals, the role enters that
 * decision only through (a) the Resource/NotResource entries of the caller's statements, (b) the
 * role's tags where a statement reads `aws:ResourceTag`/`iam:ResourceTag`, and (c) policy variables.
 * A group's trust statements read no tags and no variables; a caller joins a hub only when each of
 * its entries matches all of the group's roles or none, and none of its statements reads tags or
 * uses variables in a Resource entry.
 */

/** Below this many roles with one trust, a hub saves nothing: each role is decided alone. */
const MIN_SHARED = 2;

export interface TrustClassGroup {
  /** Account and the trust statements for AWS principals, as text: what the group's roles share. */
  key: string;
  accountId: string;
  roles: AwsRoleData[];
}

/** The trust statements that may apply to an AWS principal (`*`, `AWS`, or `NotPrincipal`). */
function statementsForAwsPrincipals(role: AwsRoleData): Statement[] {
  return role.trustPolicy.document.Statement.filter(
    (s) => s.NotPrincipal !== undefined || s.Principal === '*' || s.Principal?.AWS !== undefined,
  );
}

/** Does an Allow statement for sts:AssumeRole admit an account's principals or anyone? */
function admitsClass(statement: Statement): boolean {
  if (statement.Effect !== 'Allow' || !statementMatchesAction(statement, 'sts:AssumeRole')) return false;
  if (statement.Principal === '*') return true;
  return (statement.Principal?.AWS ?? []).some((v) => v === '*' || accountNamed(v) !== undefined);
}

/**
 * Groups the roles whose trust admits a class of AWS principals by account and by their trust
 * statements for AWS principals; the roles left alone (no class, a trust reading tags or using
 * variables, or no other role like them) are returned apart.
 */
export function groupTrustClasses(roles: AwsRoleData[]): { groups: TrustClassGroup[]; alone: AwsRoleData[] } {
  const byKey = new Map<string, AwsRoleData[]>();
  const alone: AwsRoleData[] = [];
  for (const role of roles) {
    const statements = statementsForAwsPrincipals(role);
    const text = JSON.stringify(statements);
    const lower = text.toLowerCase();
    if (!statements.some(admitsClass) || lower.includes('${') || lower.includes('resourcetag')) {
      alone.push(role);
      continue;
    }
    const key = `${role.accountId}\u0000${text}`;
    const list = byKey.get(key);
    if (list) list.push(role);
    else byKey.set(key, [role]);
  }
  const groups: TrustClassGroup[] = [];
  for (const [key, list] of byKey) {
    if (list.length < MIN_SHARED) alone.push(...list);
    else groups.push({ key, accountId: (list[0] as AwsRoleData).accountId, roles: list });
  }
  return { groups, alone };
}

/** Whom a trust statement admits as a class, for the evidence: anyone, or these accounts. */
export interface StatementClass {
  anyone: boolean;
  accounts: Set<string>;
}

const classes = new WeakMap<AwsRoleData, Map<string, StatementClass>>();

/** The classes each of the role's trust statements admits, by statement label. */
export function trustStatementClasses(role: AwsRoleData): Map<string, StatementClass> {
  let byLabel = classes.get(role);
  if (!byLabel) {
    byLabel = new Map();
    for (const s of role.trustPolicy.document.Statement) {
      const values = s.Principal === '*' ? ['*'] : (s.Principal?.AWS ?? []);
      const accounts = new Set<string>();
      for (const v of values) {
        const account = accountNamed(v);
        if (account) accounts.add(account);
      }
      byLabel.set(statementLabel(s), { anyone: values.includes('*'), accounts });
    }
    classes.set(role, byLabel);
  }
  return byLabel;
}

/**
 * Is the caller's decision on an action the same for every role of a group? Entries are compared
 * once per group (cached), so a caller costs its own statements, not the group's roles.
 */
export class UniformDecisions {
  private readonly entries = new WeakMap<TrustClassGroup, Map<string, boolean>>();

  constructor(private readonly authorizer: Authorizer) {}

  sameForAll(caller: PrincipalInfo, group: TrustClassGroup, action: string): boolean {
    const representative = group.roles[0] as AwsRoleData;
    const set = this.authorizer.policySet?.(caller.id, action, representative.arn);
    if (!set) return false;
    for (const statement of callerStatements(set)) {
      if (!statementMatchesAction(statement, action)) continue;
      if (
        JSON.stringify(statement.Condition ?? {})
          .toLowerCase()
          .includes('resourcetag')
      )
        return false;
      for (const entry of statement.Resource ?? statement.NotResource ?? [])
        if (!this.uniform(group, entry)) return false;
    }
    return true;
  }

  /** Does the entry match all of the group's roles or none of them? (Entries with variables are not compared.) */
  private uniform(group: TrustClassGroup, entry: string): boolean {
    if (entry.includes('${')) return false;
    let byEntry = this.entries.get(group);
    if (!byEntry) {
      byEntry = new Map();
      this.entries.set(group, byEntry);
    }
    let same = byEntry.get(entry);
    if (same === undefined) {
      const first = arnMatches(entry, (group.roles[0] as AwsRoleData).arn);
      same = group.roles.every((role) => arnMatches(entry, role.arn) === first);
      byEntry.set(entry, same);
    }
    return same;
  }
}

function* callerStatements(set: PolicySet) {
  for (const policy of set.identityPolicies) yield* policy.document.Statement;
  if (set.permissionsBoundary) yield* set.permissionsBoundary.document.Statement;
  for (const policy of set.sessionPolicies ?? []) yield* policy.document.Statement;
  for (const level of set.serviceControlPolicies ?? []) for (const p of level) yield* p.document.Statement;
  for (const level of set.resourceControlPolicies ?? []) for (const p of level) yield* p.document.Statement;
}
