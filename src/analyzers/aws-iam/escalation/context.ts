import type {
  AwsAccountData,
  AwsGroupData,
  AwsResourceData,
  AwsRoleData,
  AwsUserData,
  ManagedPolicyData,
} from '../../../model/aws/environment.js';
import { homeRegion, serviceNames } from '../../../model/aws/partitions.js';
import type { Statement } from '../../../model/aws/policy.js';
import { servicePrincipalId } from '../authorizer/principal-ids.js';
import { actionMatches, arnMatches, globMatches } from '../engine/index.js';
import type { ContextValues, Decision } from '../engine/types.js';
import type { Authorizer, PrincipalInfo } from '../types.js';
import type { EscalationTechnique, RequiredDecision } from './types.js';

/**
 * What a technique's `find` gets: the principal under analysis and the questions techniques ask,
 * answered through the Authorizer (never by evaluating policies here). Targets are enumerated from
 * the principal's own resource patterns, so no technique loops over all principal pairs.
 */

/** A decision that lets the action happen, possibly under undecided conditions. */
export function permits(decision: Decision | undefined): decision is Decision {
  return decision !== undefined && (decision.outcome === 'allow' || decision.outcome === 'conditional');
}

/** Prefer an unconditional decision over a conditional one. */
function better(a: Decision | undefined, b: Decision): Decision {
  if (!permits(a)) return b;
  return a.outcome === 'conditional' && b.outcome === 'allow' ? b : a;
}

export type IamTargetKind = 'user' | 'role' | 'group' | 'policy';

/** Users or roles of an account named by Resource patterns, less those a technique does not apply to. */
export interface PrincipalClass {
  /** Account, kind, patterns and the ARNs left out: equal keys, equal targets. */
  key: string;
  name: string;
  /** The patterns, sorted. */
  patterns: readonly string[];
  /** In the account's order. */
  targets: readonly string[];
}

export interface RoleForService {
  role: AwsRoleData;
  /** The role's trust policy admitting the service principal. */
  trust: Decision;
}

export interface RoleNamingProvider {
  role: AwsRoleData;
  /** The trust statement that names the identity provider. */
  statement: Statement;
}

export interface PassableRole extends RoleForService {
  /** iam:PassRole on the role, with `iam:PassedToService` set to the service. */
  pass: Decision;
}

/** Facts shared by every principal's context during one analysis: indexes and caches. */
export class EscalationRun {
  readonly authorizer: Authorizer;
  private readonly users: Map<string, AwsUserData>;
  private readonly roles: Map<string, AwsRoleData>;
  private readonly groups: Map<string, AwsGroupData>;
  private readonly policies: Map<string, ManagedPolicyData>;
  private readonly serviceRoles: Map<string, RoleForService[]>;
  private attachments: Map<string, string[]> | undefined;
  /** The run whose indexes this one reuses (see the constructor). */
  private readonly shared: EscalationRun | undefined;

  /**
   * `techniques`: the techniques of this run, for a technique that asks the others again after a
   * step of its own. `shared`: a run over the same environment whose indexes this one reuses (a
   * what-if view changes one principal's policies, never the environment's users, roles, groups or
   * trusts).
   */
  constructor(
    authorizer: Authorizer,
    readonly techniques: readonly EscalationTechnique[] = [],
    shared?: EscalationRun,
  ) {
    this.authorizer = authorizer;
    this.shared = shared?.shared ?? shared;
    this.users = shared?.users ?? new Map();
    this.roles = shared?.roles ?? new Map();
    this.groups = shared?.groups ?? new Map();
    this.policies = shared?.policies ?? new Map();
    this.serviceRoles = shared?.serviceRoles ?? new Map();
    this.arnLists = shared?.arnLists ?? new Map();
    this.positions = shared?.positions ?? new Map();
    this.principalClasses = shared?.principalClasses ?? new Map();
    if (shared) return;
    for (const account of authorizer.environment.accounts) {
      for (const u of account.users) this.users.set(u.arn, u);
      for (const r of account.roles) this.roles.set(r.arn, r);
      for (const g of account.groups) this.groups.set(g.arn, g);
      for (const p of account.managedPolicies) this.policies.set(p.arn, p);
    }
  }

  user(arn: string) {
    return this.users.get(arn);
  }
  role(arn: string) {
    return this.roles.get(arn);
  }
  group(arn: string) {
    return this.groups.get(arn);
  }
  managedPolicy(arn: string) {
    return this.policies.get(arn);
  }

  /**
   * Roles of an account whose trust policy admits a service principal (`lambda.amazonaws.com`),
   * cached per (account, service). The service acts in the role's own account, so
   * `aws:SourceAccount` is that account; `aws:SourceArn` names a resource not created yet and
   * stays undecided.
   */
  rolesTrusting(accountId: string, service: string): RoleForService[] {
    const key = `${accountId}\u0000${service}`;
    let found = this.serviceRoles.get(key);
    if (!found) {
      found = [];
      for (const role of this.authorizer.account(accountId)?.roles ?? []) {
        if (role.serviceLinked) continue; // only the owning service can use a service-linked role
        const trust = this.authorizer.evaluate(servicePrincipalId(service), 'sts:AssumeRole', role.arn, {
          'aws:SourceAccount': [role.accountId],
        });
        if (permits(trust)) found.push({ role, trust });
      }
      this.serviceRoles.set(key, found);
    }
    return found;
  }

  /**
   * Roles of an account whose trust policy has an Allow statement naming a web identity provider
   * (`cognito-identity.amazonaws.com`) as `Federated` principal for `sts:AssumeRoleWithWebIdentity`.
   * The authorizer cannot stand for such a caller, so this is a structural filter: the statement's
   * conditions (which identity pool, `amr`) are left to the technique, which states them as required.
   * https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
   */
  rolesNamingProvider(accountId: string, provider: string): RoleNamingProvider[] {
    const out: RoleNamingProvider[] = [];
    for (const role of this.authorizer.account(accountId)?.roles ?? []) {
      if (role.serviceLinked) continue;
      const statement = role.trustPolicy.document.Statement.find(
        (s) =>
          s.Effect === 'Allow' &&
          s.Principal !== '*' &&
          (s.Principal?.Federated ?? []).includes(provider) &&
          (s.Action ?? []).some((a) => actionMatches(a, 'sts:AssumeRoleWithWebIdentity')),
      );
      if (statement) out.push({ role, statement });
    }
    return out;
  }

  /** Users and roles a managed policy applies to (attached to them or to a group of a user). */
  principalsWithPolicy(policyArn: string): string[] {
    // Built once for the environment, by the run whose indexes the others share.
    if (this.shared) return this.shared.principalsWithPolicy(policyArn);
    if (!this.attachments) {
      const index = new Map<string, Set<string>>();
      const add = (policy: string, principal: string) => {
        const set = index.get(policy) ?? new Set<string>();
        set.add(principal);
        index.set(policy, set);
      };
      for (const account of this.authorizer.environment.accounts) {
        for (const r of account.roles) for (const p of r.attachedPolicyArns) add(p, r.arn);
        for (const u of account.users) {
          for (const p of u.attachedPolicyArns) add(p, u.arn);
          for (const g of u.groupArns) for (const p of this.group(g)?.attachedPolicyArns ?? []) add(p, u.arn);
        }
      }
      this.attachments = new Map([...index].map(([k, v]) => [k, [...v]]));
    }
    return this.attachments.get(policyArn) ?? [];
  }

  private readonly arnLists: Map<string, string[]>;
  private readonly positions: Map<string, number[]>;
  private readonly principalClasses: Map<string, PrincipalClass>;

  /** IAM users, roles, groups or customer-managed policies of an account, in collection order. */
  iamArns(account: AwsAccountData, kind: IamTargetKind): string[] {
    const key = `${account.accountId}\u0000${kind}`;
    let arns = this.arnLists.get(key);
    if (!arns) {
      arns = iamArnsOf(account, kind);
      this.arnLists.set(key, arns);
    }
    return arns;
  }

  /** Indexes into `iamArns(account, kind)` of the ARNs a Resource pattern names, ascending. */
  iamPositions(account: AwsAccountData, kind: IamTargetKind, pattern: string): number[] {
    const key = `${account.accountId}\u0000${kind}\u0000${pattern}`;
    let found = this.positions.get(key);
    if (!found) {
      found = [];
      const arns = this.iamArns(account, kind);
      for (let i = 0; i < arns.length; i++) if (arnMatches(pattern, arns[i] as string)) found.push(i);
      this.positions.set(key, found);
    }
    return found;
  }

  /**
   * The users or roles of an account that Resource patterns name and a technique applies to
   * (`keeps`, named by `filter`): what an IAM write on principals reaches from every source whose
   * patterns are these (principal-write-class.ts). Depends on the environment alone, so what-if
   * views share it. Keyed by the patterns and by the ARNs left out, so two techniques that leave
   * out the same principals share the class.
   */
  principalClass(
    account: AwsAccountData,
    kind: 'user' | 'role',
    patterns: readonly string[],
    filter: string,
    keeps: (arn: string) => boolean,
  ): PrincipalClass {
    const sorted = [...patterns].sort();
    const at = `${account.accountId}\u0000${kind}\u0000${filter}\u0000${sorted.join('\u0000')}`;
    let found = this.principalClasses.get(at);
    if (!found) {
      const arns = this.iamArns(account, kind);
      const union = new Set<number>();
      for (const pattern of sorted) for (const i of this.iamPositions(account, kind, pattern)) union.add(i);
      const targets: string[] = [];
      const left: string[] = [];
      for (const i of [...union].sort((a, b) => a - b)) {
        const arn = arns[i] as string;
        (keeps(arn) ? targets : left).push(arn);
      }
      found = {
        key: `${account.accountId}\u0000${kind}\u0000${sorted.join('\u0000')}\u0000${left.join('\u0000')}`,
        name: `${kind}s of account ${account.accountId} matching ${sorted.join(' or ')}${
          left.length ? ` (${left.length} left out)` : ''
        }`,
        patterns: sorted,
        targets,
      };
      this.principalClasses.set(at, found);
    }
    return found;
  }

  contextFor(principal: PrincipalInfo, helpers: PrincipalInfo[] = []): EscalationContext {
    return new EscalationContext(this, principal, helpers);
  }
}

/**
 * State the principal has changed before acting (tags it set): condition values that replace the
 * collected ones in every request the principal then makes, on any resource or only on the listed
 * resources (a resource's tags matter only in requests on it).
 */
export interface ChangedState {
  values: ContextValues;
  /** The resources whose requests see the values; absent: every request (the principal's own tags). */
  resources?: ReadonlySet<string>;
}

export class EscalationContext {
  readonly run: EscalationRun;
  readonly principal: PrincipalInfo;
  readonly authorizer: Authorizer;
  readonly account: AwsAccountData;
  /** Other principals the attacker controls along the route (teams.ts); empty for one principal alone. */
  readonly helpers: PrincipalInfo[];
  /** The decisions `somewhereAllControlled` took from a helper rather than from the principal. */
  readonly helped = new Set<RequiredDecision>();
  /** What the principal changed before acting, when this context asks "after the change". */
  readonly changed: ChangedState | undefined;

  constructor(
    run: EscalationRun,
    principal: PrincipalInfo,
    helpers: PrincipalInfo[] = [],
    changed?: ChangedState,
  ) {
    this.run = run;
    this.principal = principal;
    this.helpers = helpers;
    this.changed = changed;
    this.authorizer = run.authorizer;
    const account = run.authorizer.account(principal.accountId);
    if (!account)
      throw new Error(`principal ${principal.id}: account ${principal.accountId} was not collected`);
    this.account = account;
  }

  get partition(): string {
    return this.account.partition;
  }

  /** Does an ARN pattern (from `resourcePatterns`) name the ARN? */
  matches(pattern: string, arn: string): boolean {
    return arnMatches(pattern, arn);
  }

  /** The same principal after a change of state: every decision it asks sees the changed values. */
  after(changed: ChangedState): EscalationContext {
    return new EscalationContext(this.run, this.principal, this.helpers, changed);
  }

  /** The decision for the principal, when it permits the action (else undefined). */
  allowed(action: string, resourceArn: string, context?: ContextValues): Decision | undefined {
    const changed = this.changed;
    const applies = changed && (!changed.resources || changed.resources.has(resourceArn));
    const values = applies ? { ...changed.values, ...context } : context;
    const { authorizer } = this;
    if (authorizer.permitted) return authorizer.permitted(this.principal.id, action, resourceArn, values);
    const decision = authorizer.evaluate(this.principal.id, action, resourceArn, values);
    return permits(decision) ? decision : undefined;
  }

  /** Every action allowed on the resource, labelled for evidence; undefined if one is not. */
  allowedAll(actions: string[], resourceArn: string, what: string): RequiredDecision[] | undefined {
    const out: RequiredDecision[] = [];
    for (const action of actions) {
      const decision = this.allowed(action, resourceArn, undefined);
      if (!decision) return undefined;
      out.push({ label: `${action} on ${what}`, decision });
    }
    return out;
  }

  /**
   * May the principal perform an action that creates or names a resource not collected (a new
   * function, a new stack)? Asks on a concrete ARN built from each of its own Resource patterns
   * for the action, in the given account.
   */
  somewhere(action: string, accountId = this.principal.accountId, arnService?: string): Decision | undefined {
    if (!this.authorizer.mayAllow(this.principal.id, action)) return undefined;
    const service = arnService ?? action.slice(0, action.indexOf(':')).toLowerCase();
    let best: Decision | undefined;
    for (const pattern of this.authorizer.resourcePatterns(this.principal.id, action)) {
      const arn = sampleArn(pattern, service, accountId, this.partition);
      if (!arn) continue;
      const decision = this.allowed(action, arn);
      if (decision) best = better(best, decision);
      if (best?.outcome === 'allow') break;
    }
    return best;
  }

  /** Every action allowed somewhere; undefined if one is not. */
  somewhereAll(
    actions: string[],
    accountId = this.principal.accountId,
    arnService?: string,
  ): RequiredDecision[] | undefined {
    const out: RequiredDecision[] = [];
    for (const action of actions) {
      const decision = this.somewhere(action, accountId, arnService);
      if (!decision) return undefined;
      out.push({ label: `${action} in account ${accountId}`, decision });
    }
    return out;
  }

  /**
   * Every action allowed somewhere in the principal's account to the principal or, failing it, to
   * one of its helpers (an action on what the principal created, such as invoking its function,
   * needs no permission of the principal's own); undefined if one is allowed to none.
   */
  somewhereAllControlled(actions: string[]): RequiredDecision[] | undefined {
    const out: RequiredDecision[] = [];
    for (const action of actions) {
      const own = this.somewhere(action);
      if (own) {
        out.push({ label: `${action} in account ${this.principal.accountId}`, decision: own });
        continue;
      }
      const helped = this.helpers.flatMap((h) => {
        const decision = this.run.contextFor(h).somewhere(action, this.principal.accountId);
        return decision
          ? [{ label: `${action} in account ${this.principal.accountId} as ${h.id}`, decision }]
          : [];
      })[0];
      if (!helped) return undefined;
      this.helped.add(helped);
      out.push(helped);
    }
    return out;
  }

  /**
   * IAM users, roles, groups or managed policies of the principal's account the action is allowed
   * on, found through the principal's resource patterns for the action.
   */
  iamTargets(
    action: string,
    kind: IamTargetKind,
    context?: ContextValues,
  ): { arn: string; decision: Decision }[] {
    const out: { arn: string; decision: Decision }[] = [];
    for (const arn of this.namedIamArns(action, kind)) {
      const decision = this.allowed(action, arn, context);
      if (decision) out.push({ arn, decision });
    }
    return out;
  }

  /**
   * `iamTargets` one at a time, each decided when it is reached: a caller that needs only the first
   * few (a team of at most MAX_CONTROLLED roles, teams.ts) decides no more.
   */
  *eachIamTarget(action: string, kind: IamTargetKind): Generator<{ arn: string; decision: Decision }> {
    for (const arn of this.namedIamArns(action, kind)) {
      const decision = this.allowed(action, arn);
      if (decision) yield { arn, decision };
    }
  }

  /** The ARNs of `kind` the principal's resource patterns for the action name, in the account's order. */
  private namedIamArns(action: string, kind: IamTargetKind): string[] {
    if (!this.authorizer.mayAllow(this.principal.id, action)) return [];
    const patterns = this.authorizer.resourcePatterns(this.principal.id, action);
    if (patterns.length === 0) return [];
    const arns = this.run.iamArns(this.account, kind);
    // Positions of the ARNs any pattern names, in the account's order (patterns recur across principals).
    let positions: number[];
    if (patterns.length === 1) positions = this.run.iamPositions(this.account, kind, patterns[0] as string);
    else {
      const union = new Set<number>();
      for (const pattern of patterns)
        for (const i of this.run.iamPositions(this.account, kind, pattern)) union.add(i);
      positions = [...union].sort((a, b) => a - b);
    }
    return positions.map((i) => arns[i] as string);
  }

  /** The groups the principal is a member of (users only). */
  ownGroups(): AwsGroupData[] {
    const user = this.run.user(this.principal.id);
    return (user?.groupArns ?? []).flatMap((arn) => this.run.group(arn) ?? []);
  }

  /** Customer-managed policies that apply to a principal: attached to it or to its groups. */
  policiesApplyingTo(principalId: string): ManagedPolicyData[] {
    const user = this.run.user(principalId);
    const owner = user ?? this.run.role(principalId);
    if (!owner) return [];
    const arns = new Set(owner.attachedPolicyArns);
    for (const g of user?.groupArns ?? [])
      for (const arn of this.run.group(g)?.attachedPolicyArns ?? []) arns.add(arn);
    return [...arns].flatMap((arn) => {
      const policy = this.run.managedPolicy(arn);
      return policy && policy.policy.kind === 'customer-managed' ? [policy] : [];
    });
  }

  /**
   * Roles of the principal's account it can pass to a service that admits them: the role's trust
   * policy admits the service and iam:PassRole allows it with `iam:PassedToService`. Roles in
   * other accounts cannot be passed (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
   */
  rolesPassableTo(service: string): PassableRole[] {
    return this.passable(this.run.rolesTrusting(this.principal.accountId, service), service);
  }

  /** The candidates (roles of the principal's account) it may pass to a service, with the decision. */
  passable<T extends { role: AwsRoleData }>(
    candidates: T[],
    passedToService: string,
  ): (T & { pass: Decision })[] {
    if (!this.authorizer.mayAllow(this.principal.id, 'iam:PassRole')) return [];
    const patterns = this.authorizer.resourcePatterns(this.principal.id, 'iam:PassRole');
    const out: (T & { pass: Decision })[] = [];
    for (const candidate of candidates) {
      if (candidate.role.arn === this.principal.id) continue;
      if (!patterns.some((p) => arnMatches(p, candidate.role.arn))) continue;
      let pass: Decision | undefined;
      for (const name of serviceNames(passedToService, this.partition))
        pass ??= this.allowed('iam:PassRole', candidate.role.arn, { 'iam:PassedToService': [name] });
      if (pass) out.push({ ...candidate, pass });
    }
    return out;
  }

  /** Roles the principal can obtain by sts:AssumeRole (the authorizer checks both sides). */
  canAssume(roleArn: string): Decision | undefined {
    if (roleArn === this.principal.id) return undefined;
    return this.allowed('sts:AssumeRole', roleArn);
  }

  /**
   * Collected resources of a type, the account's list of which was collected, or `undefined` when
   * it was not (the technique then reports what would have to exist).
   */
  collectedResources(
    type: AwsResourceData['type'],
    collectedKey: string,
    accountId = this.principal.accountId,
  ) {
    const account = this.authorizer.account(accountId);
    if (!account?.collected[collectedKey]) return undefined;
    return this.authorizer.resources(type).filter((r) => r.accountId === accountId);
  }
}

function iamArnsOf(account: AwsAccountData, kind: IamTargetKind): string[] {
  switch (kind) {
    case 'user':
      return account.users.map((u) => u.arn);
    case 'role':
      return account.roles.map((r) => r.arn);
    case 'group':
      return account.groups.map((g) => g.arn);
    case 'policy':
      // Only customer-managed policies take new versions; AWS-managed ones are AWS's.
      return account.managedPolicies.filter((p) => p.policy.kind === 'customer-managed').map((p) => p.arn);
  }
}

/**
 * A concrete ARN matching a Resource pattern, in the given account, for asking the authorizer
 * about a resource that does not exist yet. Patterns of another service cannot name it.
 * ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function sampleArn(
  pattern: string,
  service: string,
  accountId: string,
  partition: string,
): string | undefined {
  if (pattern === '*') return '*';
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const fill = (segment: string, value: string) => (/[*?]/.test(segment) ? value : segment);
  const [, part = '', svc = '', region = '', account = ''] = parts;
  if (!globMatches(svc, service, true)) return undefined;
  if (account !== '' && !globMatches(account, accountId, true)) return undefined;
  const resource = parts.slice(5).join(':').replace(/[*?]/g, 'x');
  return [
    'arn',
    fill(part, partition),
    service,
    fill(region, homeRegion(partition)),
    account === '' ? '' : accountId,
    resource,
  ].join(':');
}
