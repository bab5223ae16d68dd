import type { CollectionIssue } from '../../model/collection-issue.js';
import type {
  GcpAllowPolicy,
  GcpBinding,
  GcpCondition,
  GcpContainer,
  GcpDenyRule,
  GcpEnvironment,
} from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import {
  type ConditionFacts,
  type ConditionValue,
  decideCondition,
  MalformedCondition,
} from './conditions.js';
import { denyPrincipalCovers, GroupMemberships, type Match, v2PermissionMatcher } from './principals.js';

/**
 * Who holds which permission on one resource, as IAM decides it offline
 * (https://cloud.google.com/iam/docs/policy-evaluation, https://cloud.google.com/iam/docs/deny-overview):
 *
 * 1. Allow policies inherit down the hierarchy: a binding on the organization, a folder above, the
 *    project or the resource itself grants its role's permissions on the resource, and they add up
 *    (https://cloud.google.com/iam/docs/resource-hierarchy-access-control).
 * 2. A role grants the permissions it includes: predefined roles from the snapshot or the shipped
 *    dataset, custom roles from the collection (https://cloud.google.com/iam/docs/roles-overview).
 * 3. A conditional binding grants only while its condition holds: false drops it, undecided keeps it
 *    as conditional with the expression in its evidence.
 * 4. Deny policies on the organization, folders and project are checked first: a rule whose
 *    principals cover the member (minus `exceptionPrincipals`), whose permissions cover the permission
 *    (minus `exceptionPermissions`) and whose `denialCondition` holds takes the grant away, whatever
 *    allow says; a rule that may apply makes the grant conditional.
 * 5. A binding to a group whose membership is collected grants its members too
 *    (https://cloud.google.com/iam/docs/principals-overview#google-group), nested groups included;
 *    each such grant names the group chain (`via`), and deny rules naming groups are decided for it.
 */

/** A permission a member holds on the resource, with what grants it. */
export interface Grant {
  member: string;
  permission: string;
  role: string;
  /** Where the binding is attached: `organizations/1`, `folders/2`, `projects/p`, or the resource. */
  at: string;
  /** The policy's file or API call. */
  source: string;
  binding: number;
  /** What could not be decided offline (condition expressions, deny rules that may apply); empty when none. */
  conditions: string[];
  /** The role does not include the permission: it would, were it updated (`GrantOptions.extend`). */
  added?: true;
  /** Held as a member of the binding's group: the group, then the nested groups down to the member. */
  via?: string[];
  /** Held as a member of what the binding names (a group, `allUsers`…): that member, as the binding writes it. */
  through?: string;
  /** With `explain`: a deny rule takes this grant away (such grants are otherwise left out). */
  denied?: boolean;
  /** With `explain`: every deny rule whose permissions cover the permission, and what it did. */
  deny?: DenyCheck[];
}

/** What one deny rule (whose `deniedPermissions` cover the permission) did to a grant. */
export interface DenyCheck {
  /** The deny policy's name and the rule's index in it. */
  policy: string;
  rule: number;
  outcome: 'denies' | 'undecided' | 'not-applicable';
  /** Why: the exception or principal or condition that decided it. */
  reason: string;
}

export interface GrantOptions {
  /**
   * Ask as if these (custom) roles also included `permission`: who would hold it, with each binding's
   * condition and the deny policies decided for it, were the role updated to include it.
   */
  extend?: { roles: ReadonlySet<string>; permission: string };
  /** Also return the grants a deny rule takes away (`denied`), and every deny rule considered (`deny`). */
  explain?: boolean;
  /**
   * One principal asked about (can-i) holds, besides its groups' grants, those of the members `in`
   * says it is part of (`allUsers`, `allAuthenticatedUsers`, its `domain:`).
   */
  as?: { principal: string; in: (member: string) => boolean };
}

/** The resource asked about: its place in the hierarchy, its own policy and what conditions see of it. */
export interface Target {
  /** The project (or folder, organization) it is in, or that it is. */
  container: string;
  own?: { at: string; policy: GcpAllowPolicy };
  facts?: ConditionFacts['resource'];
}

/** The permissions asked about, with a key naming the set (role expansions are cached by it). */
export interface PermissionSet {
  key: string;
  has: (permission: string) => boolean;
}

export class GcpAuthorizer {
  readonly issues: CollectionIssue[] = [];
  private readonly reported = new Set<string>();
  private readonly expanded = new Map<string, readonly string[]>();
  /** Each deny rule's permission matchers, compiled once for every decision the authorizer makes. */
  private readonly ruleMatchers = new WeakMap<GcpDenyRule, RuleMatchers>();
  /** Grants no condition or deny rule touches, shared by every target below their binding (read only). */
  private readonly unconditioned = new WeakMap<GcpBinding, Map<unknown, Map<string, Grant>>>();
  readonly groups: GroupMemberships;

  constructor(
    private readonly environment: GcpEnvironment,
    private readonly asOf: Date,
  ) {
    this.groups = new GroupMemberships(environment.groups);
  }

  /** The containers from the organization down to `name` (those collected; a missing parent ends it). */
  chain(name: string): GcpContainer[] {
    const chain: GcpContainer[] = [];
    const seen = new Set<string>();
    for (let at: string | undefined = name; at && !seen.has(at); ) {
      seen.add(at);
      const container = this.environment.containers.get(at);
      if (!container) break;
      chain.unshift(container);
      at = container.parent;
    }
    return chain;
  }

  /** Every permission of `wanted` each member holds on the target, after deny. */
  grants(target: Target, wanted: PermissionSet, options: GrantOptions = {}): Grant[] {
    const extend = options.extend && wanted.has(options.extend.permission) ? options.extend : undefined;
    const chain = this.chain(target.container);
    const policies: { at: string; policy: GcpAllowPolicy }[] = chain
      .filter((c) => c.policy)
      .map((c) => ({ at: c.name, policy: c.policy as GcpAllowPolicy }));
    if (target.own) policies.push(target.own);
    const scope = gcpScope(target.container);
    const facts: ConditionFacts = { asOf: this.asOf, ...(target.facts ? { resource: target.facts } : {}) };
    const denyRules = chain.flatMap((c) =>
      c.denyPolicies.flatMap((p) =>
        p.rules.map((rule, index) => ({ policy: p.name, source: p.source, rule, index })),
      ),
    );
    const grants: Grant[] = [];
    for (const { at, policy } of policies)
      for (const [index, binding] of policy.bindings.entries()) {
        const held = this.permissionsOf(binding.role, wanted, policy.source, `${scope} bindings[${index}]`);
        const added =
          extend?.roles.has(binding.role) && !held.includes(extend.permission)
            ? extend.permission
            : undefined;
        const permissions = added ? [...held, added] : held;
        if (permissions.length === 0) continue;
        const condition = binding.condition
          ? this.decide(
              binding.condition,
              facts,
              policy.source,
              `${scope} bindings[${index}] (${binding.role})`,
            )
          : true;
        if (condition === false) continue;
        const conditions = condition === true ? [] : [binding.condition?.expression as string];
        // A grant that nothing conditions reads the same on every target below the binding: made once
        // (the organization's and folders' bindings are asked about for every resource below them).
        const shared =
          condition === true && !extend && !options.explain && !options.as
            ? this.sharedOf(binding)
            : undefined;
        for (const bound of binding.members) {
          if (bound.startsWith('deleted:')) continue;
          // The member itself, then the principals known to be in it, each decided for itself.
          for (const holder of this.holders(bound, options.as)) {
            const { member, via } = holder;
            // A group's members (`via`) are the same objects on every call; the bound member is its name.
            const byPermission = shared ? sharedGrants(shared, via ? holder : member) : undefined;
            for (const permission of permissions) {
              const trace = options.explain ? [] : undefined;
              const denied = this.denied(denyRules, member, permission, facts, trace);
              if (denied === true && !trace) continue;
              if (byPermission && denied === false) {
                const known = byPermission.get(permission);
                if (
                  known &&
                  known.at === at &&
                  known.source === policy.source &&
                  known.binding === index &&
                  known.member === member &&
                  known.via === via &&
                  known.through === (member !== bound ? bound : undefined)
                ) {
                  grants.push(known);
                  continue;
                }
              }
              // Built field by field (not with spreads): an organization's analysis makes millions.
              const grant: Grant = {
                member,
                permission,
                role: binding.role,
                at,
                source: policy.source,
                binding: index,
                conditions: typeof denied === 'string' ? [...conditions, denied] : conditions,
              };
              if (permission === added) grant.added = true;
              if (via) grant.via = via;
              if (member !== bound) grant.through = bound;
              if (trace) {
                grant.denied = denied === true;
                grant.deny = trace;
              }
              if (byPermission && denied === false && !byPermission.has(permission))
                byPermission.set(permission, grant);
              grants.push(grant);
            }
          }
        }
      }
    return grants;
  }

  /** A binding's grants that nothing conditions, by holder (`sharedGrants`) and permission. */
  private sharedOf(binding: GcpBinding): Map<unknown, Map<string, Grant>> {
    let shared = this.unconditioned.get(binding);
    if (!shared) {
      shared = new Map();
      this.unconditioned.set(binding, shared);
    }
    return shared;
  }

  /**
   * The member itself; for a group with collected membership, its (non-group) members; and the
   * principal asked about when it is part of the member (`GrantOptions.as`).
   */
  private holders(member: string, as?: GrantOptions['as']): { member: string; via?: string[] }[] {
    const group = /^group:(.+)$/.exec(member)?.[1];
    const holders: { member: string; via?: string[] }[] = [{ member }];
    if (group) holders.push(...this.groups.membersOf(group).filter((m) => !m.member.startsWith('group:')));
    if (as && as.principal !== member && as.in(member) && !holders.some((h) => h.member === as.principal))
      holders.push({ member: as.principal });
    return holders;
  }

  /** The role's permissions that are wanted; an unknown role is an error naming the binding. */
  private permissionsOf(
    role: string,
    wanted: PermissionSet,
    source: string,
    object: string,
  ): readonly string[] {
    const key = `${role}\n${wanted.key}`;
    const cached = this.expanded.get(key);
    if (cached) return cached;
    const roles = this.environment.roles;
    const found = roles.custom.get(role) ?? roles.collected.get(role) ?? roles.dataset.role(role);
    if (!found) {
      this.report(
        source,
        object,
        `unknown role ${role}: it is neither a predefined role (${roles.dataset.date} dataset or the snapshot's roles.json) nor a collected custom role, so what it grants is not known`,
      );
      return [];
    }
    const permissions = found.deleted ? [] : found.permissions.filter(wanted.has);
    this.expanded.set(key, permissions);
    return permissions;
  }

  private decide(
    condition: GcpCondition,
    facts: ConditionFacts,
    source: string,
    object: string,
  ): ConditionValue {
    try {
      return decideCondition(condition.expression, facts);
    } catch (error) {
      if (!(error instanceof MalformedCondition)) throw error;
      this.report(source, object, `${error.message}; the binding is kept as conditional`);
      return 'undecided';
    }
  }

  /**
   * true: a deny rule takes the permission away; a string: one may (why); false: none applies. With
   * `trace`, what each rule denying the permission did, and why.
   */
  private denied(
    rules: { policy: string; source: string; rule: GcpDenyRule; index: number }[],
    member: string,
    permission: string,
    facts: ConditionFacts,
    trace?: DenyCheck[],
  ): boolean | string {
    let maybe: string | false = false;
    const covers = (identifier: string): Match => denyPrincipalCovers(identifier, member, this.groups);
    for (const { policy, source, rule, index } of rules) {
      const matchers = this.matchersOf(rule);
      if (!matchers.denied.some((matches) => matches(permission))) continue;
      const check = (outcome: DenyCheck['outcome'], reason: string) =>
        trace?.push({ policy, rule: index, outcome, reason });
      const exceptionIndex = matchers.excepted.findIndex((matches) => matches(permission));
      const exception = exceptionIndex >= 0 ? rule.exceptionPermissions[exceptionIndex] : undefined;
      if (exception) {
        check('not-applicable', `${permission} is excepted (exceptionPermissions: ${exception})`);
        continue;
      }
      const covered = strongest(rule.deniedPrincipals.map(covers));
      if (covered === false) {
        check('not-applicable', `deniedPrincipals do not cover ${member}`);
        continue;
      }
      const exceptions = rule.exceptionPrincipals.map(covers);
      const exceptedPrincipal = strongest(exceptions);
      if (exceptedPrincipal === true) {
        check(
          'not-applicable',
          `${member} is excepted (exceptionPrincipals: ${rule.exceptionPrincipals[exceptions.indexOf(true)]})`,
        );
        continue;
      }
      const condition = rule.denialCondition
        ? this.decide(rule.denialCondition, facts, source, `${policy} rules[${index}]`)
        : true;
      if (condition === false) {
        check('not-applicable', `denialCondition is false: ${rule.denialCondition?.expression}`);
        continue;
      }
      if (covered === true && exceptedPrincipal === false && condition === true) {
        check('denies', `denies ${permission} to ${member}`);
        return true;
      }
      const why = `not denied by ${policy} rules[${index}]${rule.denialCondition ? ` (denialCondition: ${rule.denialCondition.expression})` : ''}`;
      check(
        'undecided',
        [
          covered === 'undecided' ? `deniedPrincipals may cover ${member} (group membership not known)` : '',
          exceptedPrincipal === 'undecided' ? `exceptionPrincipals may cover ${member}` : '',
          condition === 'undecided' ? `denialCondition undecided: ${rule.denialCondition?.expression}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      );
      maybe ||= why;
    }
    return maybe;
  }

  private matchersOf(rule: GcpDenyRule): RuleMatchers {
    let matchers = this.ruleMatchers.get(rule);
    if (!matchers) {
      matchers = {
        denied: rule.deniedPermissions.map(v2PermissionMatcher),
        excepted: rule.exceptionPermissions.map(v2PermissionMatcher),
      };
      this.ruleMatchers.set(rule, matchers);
    }
    return matchers;
  }

  private report(source: string, object: string, message: string): void {
    const key = `${source}\n${object}\n${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.issues.push({ severity: 'error', source, object, message });
  }
}

/** A deny rule's `deniedPermissions` and `exceptionPermissions` as matchers of v1 permission names. */
interface RuleMatchers {
  denied: ((permission: string) => boolean)[];
  excepted: ((permission: string) => boolean)[];
}

function sharedGrants(shared: Map<unknown, Map<string, Grant>>, holder: unknown): Map<string, Grant> {
  let byPermission = shared.get(holder);
  if (!byPermission) {
    byPermission = new Map();
    shared.set(holder, byPermission);
  }
  return byPermission;
}

function strongest(matches: Match[]): Match {
  return matches.includes(true) ? true : matches.includes('undecided') ? 'undecided' : false;
}
