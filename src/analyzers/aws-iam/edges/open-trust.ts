import { createHash } from 'node:crypto';
import type { AwsRoleData } from '../../../model/aws/environment.js';
import { statementLabel } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import type { InventoryNode } from '../../../model/inventory.js';
import { arnMatches, statementMatchesAction } from '../engine/index.js';
import type { PolicySet } from '../engine/types.js';
import type { Authorizer, PrincipalInfo } from '../types.js';
import { scopeOf } from './nodes.js';

/**
 * Roles whose trust policy admits any AWS principal (`"Principal": "*"` or `{"AWS": "*"}`) admit
 * every principal of the estate, so relating each caller to each such role costs callers × roles
 * edges (250 open roles already gave tens of thousands). Roles of one account with the same trust
 * policy are instead put behind one Public node standing for "any AWS principal, as those roles'
 * trust admits it": each role gets one CAN_ASSUME from it, and each caller one CAN_ASSUME into it
 * when the caller's own decision is the same for every role behind it. A caller whose decision
 * may differ from role to role (its policies name some of the roles, or depend on their tags)
 * is still decided role by role, with direct edges.
 *
 * Within one account and one trust policy, the decision for a caller depends on the role only
 * through the Resource/NotResource entries of the statements that match sts:AssumeRole in the
 * caller's identity policies, boundary and SCPs and the role account's RCPs, and through the
 * role's tags where a statement reads them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). An
 * entry that matches all of the roles or none of them decides alike for all; so does a caller
 * with no such entry. A trust that reads the role's tags or uses policy variables is not shared.
 */

/** Below this many roles with one trust, a shared node saves nothing: each role is decided alone. */
const MIN_SHARED = 2;

export interface OpenTrustGroup {
  /** The Public node's id: `public:aws:open-trust:<account>:<digest of the trust policy>`. */
  id: string;
  accountId: string;
  roles: AwsRoleData[];
}

/** Groups the roles that trust anyone by account and trust policy; roles left alone are returned apart. */
export function groupOpenTrusts(roles: AwsRoleData[]): { groups: OpenTrustGroup[]; alone: AwsRoleData[] } {
  const byKey = new Map<string, AwsRoleData[]>();
  const alone: AwsRoleData[] = [];
  for (const role of roles) {
    const text = JSON.stringify(role.trustPolicy.document.Statement);
    const lower = text.toLowerCase();
    if (lower.includes('${') || lower.includes('resourcetag')) {
      alone.push(role);
      continue;
    }
    const key = `${role.accountId}\u0000${text}`;
    const list = byKey.get(key);
    if (list) list.push(role);
    else byKey.set(key, [role]);
  }
  const groups: OpenTrustGroup[] = [];
  for (const [key, list] of byKey) {
    if (list.length < MIN_SHARED) {
      alone.push(...list);
      continue;
    }
    const first = list[0] as AwsRoleData;
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 12);
    groups.push({
      id: `public:aws:open-trust:${first.accountId}:${digest}`,
      accountId: first.accountId,
      roles: list,
    });
  }
  return { groups, alone };
}

export function openTrustNode(group: OpenTrustGroup): InventoryNode {
  return {
    id: group.id,
    kind: 'Public',
    scope: scopeOf(group.accountId),
    properties: {
      name: `any AWS principal admitted by the open trust of ${group.roles.length} roles in account ${group.accountId}`,
      nonHuman: false,
    },
  };
}

/** Why the group's node may assume one of its roles: the trust statements that admit anyone. */
export function openTrustEvidence(group: OpenTrustGroup, role: AwsRoleData): Evidence[] {
  return role.trustPolicy.document.Statement.filter(
    (s) =>
      s.Effect === 'Allow' &&
      statementMatchesAction(s, 'sts:AssumeRole') &&
      (s.Principal === '*' || s.Principal?.AWS?.includes('*') === true),
  ).map((s) => {
    const name = statementLabel(s);
    return {
      source: 'trust-policy',
      ref: role.trustPolicy.id,
      statement: name,
      reason: `trust policy of role ${role.name} (statement ${name}) admits any AWS principal; which callers it admits is on their edges into ${group.id}`,
    };
  });
}

/**
 * Is the caller's decision on sts:AssumeRole the same for every role of the group? Entries are
 * compared once per group (`uniform` caches them), so a caller costs its own statements, not the roles.
 */
export class UniformDecisions {
  private readonly entries = new WeakMap<OpenTrustGroup, Map<string, boolean>>();

  constructor(private readonly authorizer: Authorizer) {}

  sameForAll(caller: PrincipalInfo, group: OpenTrustGroup, action: string): boolean {
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
  private uniform(group: OpenTrustGroup, entry: string): boolean {
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
