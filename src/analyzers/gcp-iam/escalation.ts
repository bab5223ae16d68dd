import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { GcpContainer, GcpEnvironment } from '../../model/gcp/environment.js';
import { gcpIds, gcpScope } from '../../model/gcp/ids.js';
import type { AccessLevel } from '../../model/properties.js';
import { unitedLevels, unitedList } from '../../model/properties.js';
import type { DerivedRelationship } from '../../providers/contract.js';
import type { GcpAuthorizer, Grant, Target } from './authorizer.js';
import {
  byMember,
  type Escalation,
  edge,
  escalationEdge,
  isConditional,
  permissionSet,
  techniqueEscalation,
} from './edge.js';
import type { Member } from './principals.js';
import {
  HMAC_KEY_TECHNIQUE,
  POOL_PROVIDER_TECHNIQUE,
  ROLE_UPDATE_TECHNIQUE,
  SERVICE_AGENT_TECHNIQUES,
} from './techniques.js';

/** The escalation techniques that need more than one target's grants (techniques.ts cites each). */

type Node = (grant: Grant) => Member | undefined;

/**
 * `iam.roles.update` on the custom roles a member holds: for each updatable custom role, who may
 * update it (checked on the organization or project that defines it).
 */
export class RoleUpdates {
  private readonly updaters = new Map<string, Map<string, Grant[]>>();
  readonly roles: ReadonlySet<string>;

  constructor(environment: GcpEnvironment, authorizer: GcpAuthorizer) {
    const byParent = new Map<string, Map<string, Grant[]>>();
    const wanted = permissionSet('role-update', [ROLE_UPDATE_TECHNIQUE.permission]);
    for (const role of environment.roles.custom.values()) {
      if (role.deleted) continue;
      const parent = role.name.slice(0, role.name.indexOf('/roles/'));
      let holders = byParent.get(parent);
      if (!holders) {
        holders = new Map();
        for (const grant of environment.containers.has(parent)
          ? authorizer.grants({ container: parent }, wanted)
          : [])
          holders.set(grant.member, [...(holders.get(grant.member) ?? []), grant]);
        byParent.set(parent, holders);
      }
      if (holders.size > 0) this.updaters.set(role.name, holders);
    }
    this.roles = new Set(this.updaters.keys());
  }

  /**
   * Who would hold `permission` on the target were a custom role they hold and may update changed
   * to include it: per member, the role's binding (as an `added` grant) and the update grants.
   */
  escalations(authorizer: GcpAuthorizer, target: Target, permission: string): Map<string, Escalation> {
    const out = new Map<string, Escalation>();
    if (this.roles.size === 0) return out;
    const grants = authorizer.grants(target, permissionSet(`added:${permission}`, [permission]), {
      extend: { roles: this.roles, permission },
    });
    for (const grant of grants) {
      const update = grant.added ? this.updaters.get(grant.role)?.get(grant.member) : undefined;
      if (!update) continue;
      const found = techniqueEscalation(ROLE_UPDATE_TECHNIQUE, update, [grant]);
      if (!found) continue;
      const known = out.get(grant.member);
      out.set(
        grant.member,
        known
          ? {
              ...known,
              grants: [...known.grants, ...found.grants],
              conditional: known.conditional && found.conditional,
            }
          : found,
      );
    }
    return out;
  }
}

export const ROLE_UPDATE_REASON = (g: Grant) =>
  g.added
    ? `${g.member} holds the custom role ${g.role} at ${g.at}; updated to include ${g.permission}, it would grant it`
    : `${g.member} holds ${g.role} at ${g.at}, which includes ${g.permission} on that role`;

/**
 * Service agents that run what a member submits (techniques.ts): per member holding the permission
 * on the project, an escalation to the agent, evidenced by the agent's own bindings in the project's
 * hierarchy. None when the project number is unknown or the agent holds no role there.
 */
export function serviceAgentEscalations(
  authorizer: GcpAuthorizer,
  project: GcpContainer,
  grants: Grant[],
): {
  agent: string;
  technique: (typeof SERVICE_AGENT_TECHNIQUES)[number];
  held: Grant[];
  agentGrants: Grant[];
}[] {
  if (project.kind !== 'project' || !project.projectNumber) return [];
  const out = [];
  for (const technique of SERVICE_AGENT_TECHNIQUES) {
    const agent = technique.agent(project.projectNumber);
    const member = `serviceAccount:${agent}`;
    const agentGrants: Grant[] = [];
    for (const level of authorizer.chain(project.name))
      for (const [index, binding] of (level.policy?.bindings ?? []).entries())
        if (binding.members.some((m) => m.toLowerCase() === member.toLowerCase()))
          agentGrants.push({
            member,
            permission: binding.role,
            role: binding.role,
            at: level.name,
            source: level.policy?.source ?? level.name,
            binding: index,
            conditions: binding.condition ? [binding.condition.expression] : [],
          });
    if (agentGrants.length === 0) continue;
    const needed = new Set<string>(technique.needs.flat());
    out.push({ agent, technique, held: grants.filter((g) => needed.has(g.permission)), agentGrants });
  }
  return out;
}

/**
 * Workload identity pool providers (techniques.ts): every principal and principal set of a
 * collected, enabled pool that a binding names (the `from` of an edge) can be reached by whoever may
 * create a provider in the pool's project, or update one when the pool has any.
 */
export function poolProviderEdges(
  environment: GcpEnvironment,
  authorizer: GcpAuthorizer,
  edges: readonly DerivedRelationship[],
  node: Node,
): DerivedRelationship[] {
  const prefix = gcpIds.principalSet('');
  const subjects = new Set(
    edges.filter((e) => e.from.startsWith(prefix)).map((e) => e.from.slice(prefix.length)),
  );
  const [create, update] = [
    POOL_PROVIDER_TECHNIQUE.needs[0].filter((p) => p.endsWith('.create')),
    POOL_PROVIDER_TECHNIQUE.needs[0].filter((p) => p.endsWith('.update')),
  ];
  const wanted = permissionSet('pool-providers', POOL_PROVIDER_TECHNIQUE.needs[0]);
  const byProject = new Map<string, Grant[]>();
  const out: DerivedRelationship[] = [];
  for (const subject of [...subjects].sort()) {
    const poolName =
      /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(projects\/\d+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+)\//.exec(
        subject,
      )?.[1];
    const pool = environment.pools.find((p) => p.name === poolName && !p.disabled);
    if (!pool) continue;
    let grants = byProject.get(pool.project);
    if (!grants) {
      grants = authorizer.grants({ container: pool.project }, wanted);
      byProject.set(pool.project, grants);
    }
    const usable = new Set<string>(pool.providers.length > 0 ? [...create, ...update] : create);
    for (const [member, held] of byMember(
      grants.filter((g) => usable.has(g.permission)),
      node,
    )) {
      const target = gcpIds.principalSet(subject);
      if (member.id === target) continue;
      const found = techniqueEscalation(POOL_PROVIDER_TECHNIQUE, held);
      // The principal set is a shared node: the edge belongs to the pool's project.
      if (found)
        out.push({
          scope: gcpScope(pool.project),
          ...escalationEdge(
            member.id,
            target,
            'GcpPrincipalSet',
            [found],
            (g) =>
              `${g.member} holds ${g.role} at ${g.at} (${g.permission}): a provider it controls in ${pool.name} can assert ${subject}`,
            false,
          ),
        });
    }
  }
  return out;
}

/** A service account's access to one bucket, as its CAN_ACCESS edge was derived. */
export interface BucketAccess {
  target: string;
  label: string;
  shortName: string;
  grants: Grant[];
  levels: AccessLevel[];
}

/**
 * HMAC keys (techniques.ts): a member with `storage.hmacKeys.create` on a project reaches each bucket
 * that a service account of the project reaches, with that account's levels. Merged into the
 * member's own CAN_ACCESS edge (`access`, by `from>to`) when it gains a level; `via` names the technique.
 */
export function mergeHmacAccess(
  environment: GcpEnvironment,
  authorizer: GcpAuthorizer,
  accountAccess: ReadonlyMap<string, BucketAccess[]>,
  access: Map<string, DerivedRelationship>,
  node: Node,
): void {
  const wanted = permissionSet('hmac', [HMAC_KEY_TECHNIQUE.needs[0][0]]);
  const accounts = new Map<string, string[]>();
  for (const account of environment.serviceAccounts)
    if (accountAccess.has(account.email.toLowerCase()))
      accounts.set(account.project, [...(accounts.get(account.project) ?? []), account.email.toLowerCase()]);
  for (const [project, emails] of accounts)
    for (const [member, creator] of byMember(authorizer.grants({ container: project }, wanted), node))
      for (const email of emails) {
        if (member.id === gcpIds.serviceAccount(email)) continue;
        for (const bucket of accountAccess.get(email) ?? []) {
          const key = `${member.id}>${bucket.target}`;
          const own = access.get(key);
          const levels = (own?.properties.levels ?? []) as AccessLevel[];
          if (bucket.levels.every((l) => levels.includes(l))) continue;
          const gained = edge(
            'CAN_ACCESS',
            member.id,
            bucket.target,
            [...creator, ...bucket.grants],
            (g) =>
              g.member === member.member
                ? `${g.member} holds ${g.role} at ${g.at} (${g.permission}): an HMAC key for ${email} signs Cloud Storage requests as it`
                : `${email} holds ${g.role} at ${g.at}, which includes ${g.permission} on ${bucket.shortName}`,
            {},
            bucket.label,
            creator.every(isConditional) || bucket.grants.every(isConditional),
          );
          const conditional =
            (own ? own.properties.conditional === true : true) && gained.properties.conditional === true;
          const conditions = [
            ...new Set([
              ...((own?.properties.conditions ?? []) as string[]),
              ...((gained.properties.conditions ?? []) as string[]),
            ]),
          ];
          access.set(key, {
            ...gained,
            properties: {
              levels: unitedLevels(levels, bucket.levels),
              actions: unitedList(
                'actions',
                (own?.properties.actions ?? []) as string[],
                bucket.grants.map((g) => g.permission),
              ),
              via: [HMAC_KEY_TECHNIQUE.id],
              ...(conditional ? { conditional: true, conditions } : {}),
            },
            evidence: [...(own?.evidence ?? []), ...gained.evidence],
          } as DerivedRelationship);
        }
      }
}

const ORG_POLICY_SET = 'orgpolicy.policy.set';
export const ORG_POLICY_PERMISSION = ORG_POLICY_SET;

/**
 * `orgpolicy.policy.set` lifts organization policy constraints (Rhino Security Labs' method; the
 * constraints: https://cloud.google.com/resource-manager/docs/organization-policy/overview). The
 * analysis does not evaluate constraints, so every edge already is what IAM allows with them lifted:
 * this gains no edge, but the power is reported where it is granted, once per member and level.
 */
export function orgPolicyFindings(container: GcpContainer, grants: Grant[], node: Node): AnalysisFinding[] {
  const findings: AnalysisFinding[] = [];
  const here = grants.filter((g) => g.permission === ORG_POLICY_SET && g.at === container.name);
  for (const [member, held] of byMember(here, node))
    findings.push({
      subject: gcpIds.container(container.name),
      rule: 'gcp-org-policy-administrator',
      severity: 'medium',
      message: `${member.member} may set organization policies on ${container.name} and below: it can lift the constraints that guard them (reachgraph does not evaluate constraints, so its edges already assume none)`,
      evidence: held.map((g) => ({
        source: 'iam-binding',
        ref: g.at,
        statement: `bindings[${g.binding}] ${g.role} ${g.member}`,
        reason: `${g.member} holds ${g.role} at ${g.at}, which includes ${ORG_POLICY_SET}`,
        ...(g.conditions.length ? { conditions: g.conditions } : {}),
      })),
    });
  return findings;
}
