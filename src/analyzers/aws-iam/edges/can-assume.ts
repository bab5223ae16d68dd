import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsEnvironment, AwsRoleData } from '../../../model/aws/environment.js';
import { DEFAULT_PARTITION, PARTITION, partitionOfArn } from '../../../model/aws/partitions.js';
import { type Statement, statementLabel } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import { rangesWithout } from '../../../model/grants.js';
import { getOrCreate, newMap } from '../../../util/collections.js';
import {
  accountNamed,
  accountRootArn,
  externalPrincipalId,
  PUBLIC_AWS,
  sessionNamed,
} from '../authorizer/principal-ids.js';
import { arnMatches, statementMatchesAction } from '../engine/index.js';
import type { Decision, StatementMatch } from '../engine/types.js';
import type { Authorizer, DerivedEdge, EdgeFamily, PrincipalInfo } from '../types.js';
import { conditionalProperties, evidenceRecord, type GrantPart, grantParts, isGranted } from './evidence.js';
import { type GrantHub, grantHubId, hubOutput, memberLeg, targetLeg } from './grant-hubs.js';
import { accountRootNode, externalNode, NodeSet, publicNode, scopeOf } from './nodes.js';
import {
  groupTrustClasses,
  type TrustClassGroup,
  trustStatementClasses,
  UniformDecisions,
} from './trust-classes.js';

const ASSUME = 'sts:AssumeRole';

/**
 * CAN_ASSUME: the source can obtain the role's credentials with sts:AssumeRole. Both sides must
 * allow: the role's trust policy always (even within the account), and the caller's identity
 * policies when the trust names the caller's account (root) rather than the caller itself, or the
 * caller is in another account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 *
 * Callers are enumerated from the trust policy, never by trying every principal: the principals
 * it names; for an account it names, that account's principals whose identity policies may allow
 * sts:AssumeRole on the role (through the authorizer's index); an AwsAccountRoot node stands for the
 * account itself (an ExternalPrincipal when the account was not collected). `Principal: "*"` adds
 * the Public node and a finding. Collected callers admitted through a class (an account, anyone)
 * go through Grant hubs where their decision is the same for a group of roles (trust-classes.ts).
 *
 * Service principals in trust policies (`lambda.amazonaws.com`) get no CAN_ASSUME: a service assumes
 * a role only for a resource someone configured to run as it, which is RUNS_AS (workload → role);
 * configuring such a resource is iam:PassRole, an escalation technique.
 */
export const canAssume: EdgeFamily = {
  name: 'can-assume',
  emits: ['CAN_ASSUME'],
  description:
    'A principal can assume a role: the role’s trust policy admits it (by ARN, by its account, or anyone) and, when the trust names the account or the caller is in another account, the caller’s identity policies allow sts:AssumeRole on the role. Account roots named in trust policies are AwsAccountRoot nodes (ExternalPrincipal when the account was not collected); Principal "*" is the Public node and a finding. Roles of one account whose trust admits a class of AWS principals (an account’s principals, or anyone) with the same statements share Grant hubs (grant:aws:<account>:assume-roles:<digest>), one per decision, with an edge into each role: a collected caller whose own policies decide alike for all of those roles gets one edge into the hub of its decision, the others are decided role by role. A trust statement admitting another account (outside the collected organization, if one was collected) without requiring sts:ExternalId is a finding too.',
  derive(authorizer, options = {}) {
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    const lookup = new TrustLookup(authorizer);
    const records = new AssumeRecords();
    const ownAccounts = organizationAccounts(authorizer.environment);
    const callersOf = new Map<AwsRoleData, Callers>();
    for (const role of lookup.roles.values()) {
      for (const finding of crossAccountTrustsWithoutExternalId(role, ownAccounts)) findings.push(finding);
      const callers = trustedCallers(lookup, role, findings);
      callersOf.set(role, callers);
      // A trust names accounts of its own partition only.
      const partition = partitionOfArn(role.arn) ?? DEFAULT_PARTITION;
      for (const root of callers.accounts) {
        const collected = authorizer.account(root) !== undefined;
        const id = collected ? accountRootArn(root, partition) : externalPrincipalId(root, partition);
        const decision = authorizer.evaluate(id, ASSUME, role.arn);
        if (!isGranted(decision)) continue;
        nodes.add(collected ? accountRootNode(root, partition) : externalNode(id));
        edges.push(
          assumeEdge(
            records,
            id,
            collected ? 'AwsAccountRoot' : 'ExternalPrincipal',
            undefined,
            role,
            decision,
          ),
        );
      }
      for (const external of callers.external) {
        const id = externalPrincipalId(external, partition);
        const decision = authorizer.evaluate(id, ASSUME, role.arn);
        if (!isGranted(decision)) continue;
        nodes.add(externalNode(id));
        edges.push(assumeEdge(records, id, 'ExternalPrincipal', undefined, role, decision));
      }
      if (callers.anyone) {
        const decision = authorizer.evaluate(PUBLIC_AWS, ASSUME, role.arn);
        if (isGranted(decision)) {
          nodes.add(publicNode());
          const e = assumeEdge(records, PUBLIC_AWS, 'Public', undefined, role, decision);
          edges.push(e);
          findings.push({
            rule: 'aws-role-trusts-anyone',
            severity: decision.outcome === 'allow' ? 'critical' : 'high',
            subject: role.arn,
            message: `role ${role.name} trusts any AWS principal (Principal "*")${
              decision.outcome === 'conditional' ? ' under conditions that cannot be checked offline' : ''
            }: anyone with AWS credentials can assume it`,
            evidence: e.evidence,
          });
        }
      }
    }
    const { groups, alone } = options.grantHubs
      ? groupTrustClasses([...callersOf.keys()])
      : { groups: [], alone: [...callersOf.keys()] };
    for (const role of alone)
      for (const caller of lookup.candidates(callersOf.get(role) as Callers, role.arn))
        assumeOne(authorizer, records, caller, role, edges);
    const uniform = new UniformDecisions(authorizer);
    for (const group of groups) {
      const hubs = assumeThroughHubs(authorizer, lookup, records, group, callersOf, uniform, edges);
      const output = hubOutput(hubs);
      for (const node of output.nodes) nodes.add(node);
      for (const e of output.edges) edges.push(e);
    }
    return { edges, nodes: nodes.list(), findings };
  },
};

/**
 * The roles one collected principal may assume: the targets of its CAN_ASSUME pairs as
 * `assumePairs` expands them, derived for that principal alone. Escalation's what-if states ask
 * this of one principal in many changed states of one environment; deriving the whole family per
 * state decides every role's account roots, outsiders and hubs again, none of which the state
 * reads. What depends on the environment alone (the roles, whom their trusts name, the trust-class
 * groups) is made once here; `assumableBy` then walks the family's steps for the one caller: a role
 * alone is decided when the caller is among its candidates (`TrustLookup.candidates`), and a
 * trust-class group is decided once on its representative when the caller's statements decide
 * alike for all its roles and the trust admits it as a class (its hub), else role by role.
 */
export class AssumableRoles {
  private readonly lookup: TrustLookup;
  private readonly callersOf = new Map<AwsRoleData, Callers>();
  private readonly groups: TrustClassGroup[];
  private readonly alone: AwsRoleData[];

  constructor(authorizer: Authorizer) {
    this.lookup = new TrustLookup(authorizer);
    // Findings about trusts are the family's to report: dropped here.
    const ignored: AnalysisFinding[] = [];
    for (const role of this.lookup.roles.values())
      this.callersOf.set(role, trustedCallers(this.lookup, role, ignored));
    ({ groups: this.groups, alone: this.alone } = groupTrustClasses([...this.callersOf.keys()]));
  }

  /**
   * The ARNs of the roles `principalId` may assume as `authorizer` decides (a what-if view of it,
   * say), in the family's order (the roles alone, then each group's); those `skip` accepts are
   * left out where that spares a decision (a group decided as one is listed whole).
   */
  assumableBy(authorizer: Authorizer, principalId: string, skip?: (roleArn: string) => boolean): string[] {
    const caller = authorizer.principal(principalId);
    if (!caller) return [];
    const patterns = authorizer.mayAllow(caller.id, ASSUME)
      ? authorizer.resourcePatterns(caller.id, ASSUME)
      : [];
    // Is the caller among `TrustLookup.candidates(callers, roleArn)`?
    const candidate = (callers: Callers, roleArn?: string) =>
      callers.anyone ||
      callers.principals.has(caller.id) ||
      (callers.accounts.has(caller.accountId) &&
        patterns.length > 0 &&
        (roleArn === undefined || patterns.some((pattern) => arnMatches(pattern, roleArn))));
    const out: string[] = [];
    const one = (role: AwsRoleData) => {
      if (role.arn === caller.id || skip?.(role.arn)) return;
      if (isGranted(authorizer.evaluate(caller.id, ASSUME, role.arn))) out.push(role.arn);
    };
    for (const role of this.alone) if (candidate(this.callersOf.get(role) as Callers, role.arn)) one(role);
    const uniform = new UniformDecisions(authorizer);
    for (const group of this.groups) {
      const first = group.roles[0] as AwsRoleData;
      if (!candidate(this.callersOf.get(first) as Callers)) continue;
      if (!uniform.sameForAll(caller, group, ASSUME)) {
        for (const role of group.roles) one(role);
        continue;
      }
      const self = group.roles.findIndex((role) => role.arn === caller.id);
      const representative = group.roles[self === 0 ? 1 : 0] as AwsRoleData;
      const decision = authorizer.evaluate(caller.id, ASSUME, representative.arn);
      if (!isGranted(decision)) continue;
      if (trustNamesCaller(decision, representative, caller.id, caller.accountId)) {
        for (const role of group.roles) one(role);
        continue;
      }
      for (const role of group.roles) if (role.arn !== caller.id) out.push(role.arn);
    }
    return out;
  }
}

/** One collected caller against one role: a pair edge when granted. */
function assumeOne(
  authorizer: Authorizer,
  records: AssumeRecords,
  caller: PrincipalInfo,
  role: AwsRoleData,
  edges: DerivedEdge[],
): void {
  if (caller.id === role.arn) return;
  const decision = authorizer.evaluate(caller.id, ASSUME, role.arn);
  if (isGranted(decision))
    edges.push(assumeEdge(records, caller.id, caller.kind, caller.accountId, role, decision));
}

/**
 * A trust-class group's collected callers (trust-classes.ts): a caller whose own statements decide
 * alike for every role of the group is decided once, on one role, and joins the hub of its decision
 * (keyed by the trust side of the edge: which trust statements admit it, under which conditions);
 * the other callers are decided role by role.
 *
 * A role of the group is a caller of the group's other roles but never of itself (self-assumption
 * needs a trust naming the role, https://aws.amazon.com/blogs/security/announcing-an-update-to-iam-role-trust-policy-behavior/),
 * so it cannot join a hub that reaches it. Hubs are kept per range of the group's roles, as in a
 * segment tree: a caller outside the group joins the hub of all the roles, the role at index i joins
 * the at most log2(n) ranges that cover every role but i. Targets stay O(n log n) per decision.
 */
function assumeThroughHubs(
  authorizer: Authorizer,
  lookup: TrustLookup,
  records: AssumeRecords,
  group: TrustClassGroup,
  callersOf: Map<AwsRoleData, Callers>,
  uniform: UniformDecisions,
  edges: DerivedEdge[],
): GrantHub[] {
  const first = group.roles[0] as AwsRoleData;
  const index = new Map(group.roles.map((r, i) => [r.arn, i]));
  const hubs = new Map<string, GrantHub>();
  const hubFor = (lo: number, hi: number, key: string, decision: Decision, caller: PrincipalInfo) => {
    const at = `${lo}-${hi}\u0000${key}`;
    const known = hubs.get(at);
    if (known) return known;
    const range = group.roles.slice(lo, hi);
    const hub: GrantHub = {
      id: grantHubId(group.accountId, 'assume-roles', `${group.key}\u0000${at}`),
      accountId: group.accountId,
      family: 'assume-roles',
      name: `callers that may assume ${range.length === group.roles.length ? 'the' : `${range.length} of the`} ${group.roles.length} roles of account ${group.accountId} sharing ${first.name}'s trust, as it admits them`,
      members: [],
      targets: [],
    };
    hub.targets = range.map((role) =>
      targetLeg(
        hub,
        { type: 'CAN_ASSUME', to: role.arn, toKind: 'AwsRole', properties: {} },
        trustRecords(records, decision, role, caller.id, caller.accountId).records,
      ),
    );
    hubs.set(at, hub);
    return hub;
  };
  for (const caller of lookup.candidates(callersOf.get(first) as Callers)) {
    if (!uniform.sameForAll(caller, group, ASSUME)) {
      for (const role of group.roles) assumeOne(authorizer, records, caller, role, edges);
      continue;
    }
    const self = index.get(caller.id);
    const representative = group.roles[self === 0 ? 1 : 0] as AwsRoleData;
    const decision = authorizer.evaluate(caller.id, ASSUME, representative.arn);
    if (!isGranted(decision)) continue;
    const sides = assumeSides(records, caller.id, caller.kind, caller.accountId, representative, decision);
    if (!sides.byClass) {
      // The trust names this caller itself: nothing to share with other callers.
      for (const role of group.roles) assumeOne(authorizer, records, caller, role, edges);
      continue;
    }
    // The trust side as the first role says it: equal keys, equal target legs on every role.
    const key = JSON.stringify(trustRecords(records, decision, first, caller.id, caller.accountId).records);
    const pair = assumeEdge(records, caller.id, caller.kind, caller.accountId, representative, decision);
    const ranges =
      self === undefined ? [[0, group.roles.length] as const] : rangesWithout(self, group.roles.length);
    for (const [lo, hi] of ranges) {
      const hub = hubFor(lo, hi, key, decision, caller);
      hub.members.push(memberLeg(hub, pair, sides.caller));
    }
  }
  return [...hubs.values()];
}

/**
 * What enumerating callers needs, computed once per run: roles by ARN and by account and name
 * (session ARNs name a role without its path), and per account the principals whose identity
 * policies may allow sts:AssumeRole, with the Resource patterns they allow it on.
 */
class TrustLookup {
  readonly roles = new Map<string, AwsRoleData>();
  private readonly roleByName = new Map<string, string>();
  private assumers?: Map<string, { id: string; patterns: string[] }[]>;

  constructor(readonly authorizer: Authorizer) {
    for (const account of authorizer.environment.accounts)
      for (const role of account.roles) {
        this.roles.set(role.arn, role);
        this.roleByName.set(`${role.accountId}:${role.name}`, role.arn);
      }
  }

  roleNamed(accountId: string, name: string): string | undefined {
    return this.roleByName.get(`${accountId}:${name}`);
  }

  /**
   * The collected principals to decide against a role's trust: those it names, and those of the
   * accounts it names whose identity side may allow sts:AssumeRole on the role (on any role, without
   * `roleArn`: for a trust-class group, whose callers are then checked by UniformDecisions), and
   * everyone when it admits anyone. Each once.
   */
  candidates(callers: Callers, roleArn?: string): PrincipalInfo[] {
    if (callers.anyone) return this.authorizer.principals();
    const ids = new Set(callers.principals);
    // Delegation to an account needs the caller's own permission on this role.
    for (const accountId of callers.accounts)
      for (const a of this.assumersIn(accountId))
        if (roleArn === undefined || a.patterns.some((pattern) => arnMatches(pattern, roleArn)))
          ids.add(a.id);
    return [...ids]
      .map((id) => this.authorizer.principal(id))
      .filter((p): p is PrincipalInfo => p !== undefined);
  }

  /** Principals of the account whose identity side may allow sts:AssumeRole, with the patterns it allows it on. */
  private assumersIn(accountId: string): { id: string; patterns: string[] }[] {
    if (!this.assumers) {
      this.assumers = new Map();
      for (const p of this.authorizer.principals()) {
        if (!this.authorizer.mayAllow(p.id, ASSUME)) continue;
        const patterns = this.authorizer.resourcePatterns(p.id, ASSUME);
        if (patterns.length === 0) continue;
        const list = this.assumers.get(p.accountId);
        if (list) list.push({ id: p.id, patterns });
        else this.assumers.set(p.accountId, [{ id: p.id, patterns }]);
      }
    }
    return this.assumers.get(accountId) ?? [];
  }
}

interface Callers {
  /** Collected users and roles the trust names. */
  principals: Set<string>;
  /** Accounts the trust names (bare id or root ARN). */
  accounts: Set<string>;
  /** Principals named by ARN that were not collected. */
  external: Set<string>;
  /** The trust names `*`. */
  anyone: boolean;
}

/** Whom the role's trust policy may admit for sts:AssumeRole, from its Allow statements. */
function trustedCallers(lookup: TrustLookup, role: AwsRoleData, findings: AnalysisFinding[]): Callers {
  const callers: Callers = { principals: new Set(), accounts: new Set(), external: new Set(), anyone: false };
  for (const statement of role.trustPolicy.document.Statement) {
    if (statement.Effect !== 'Allow' || !statementMatchesAction(statement, ASSUME)) continue;
    const principal = statement.Principal;
    if (!principal) continue;
    const values = principal === '*' ? ['*'] : (principal.AWS ?? []);
    for (const value of values) addCaller(lookup, role, statement, value, callers, findings);
  }
  return callers;
}

function addCaller(
  lookup: TrustLookup,
  role: AwsRoleData,
  statement: Statement,
  value: string,
  callers: Callers,
  findings: AnalysisFinding[],
): void {
  if (value === '*') {
    callers.anyone = true;
    return;
  }
  const account = accountNamed(value);
  if (account) {
    callers.accounts.add(account);
    return;
  }
  if (/^A[A-Z]{3}[A-Z0-9]{12,}$/.test(value)) {
    // AWS shows a unique id where the trusted principal was deleted.
    findings.push({
      rule: 'aws-trust-names-deleted-principal',
      severity: 'info',
      subject: role.arn,
      message: `trust policy of role ${role.name} (statement ${statementLabel(statement)}) names ${value}, a principal that no longer exists`,
      evidence: [
        {
          source: 'trust-policy',
          ref: role.trustPolicy.id,
          statement: statementLabel(statement),
          reason: `trust policy names the deleted principal ${value}`,
        },
      ],
    });
    return;
  }
  const session = sessionNamed(value);
  const target = session ? lookup.roleNamed(session.accountId, session.roleName) : value;
  if (target && lookup.authorizer.principal(target)) callers.principals.add(target);
  else callers.external.add(value);
}

/**
 * The accounts that count as "ours": those of the collected organization (with its management
 * account), or none when no organization was collected, in which case every account other than
 * the role's own is another party's as far as the data shows.
 */
function organizationAccounts(environment: AwsEnvironment): ReadonlySet<string> | undefined {
  const org = environment.organization;
  if (!org) return undefined;
  return new Set([org.managementAccountId, ...org.accounts.map((a) => a.id)]);
}

/**
 * `aws-cross-account-trust-without-external-id`: a trust statement lets principals of another AWS
 * account (its root, or a user/role/session in it) assume the role, and does not require
 * `sts:ExternalId`. A third party that assumes roles for many customers can then be tricked into
 * using this role for someone else: the confused deputy problem, which the external id prevents
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 *
 * "Another account" is any account but the role's; with a collected organization, only accounts
 * outside it (then known to be another party's: severity high; without one it may be an account of
 * the same owner that was not collected: medium). Read from the policy text, one finding per
 * statement and trusted account, whatever the caller's own policies allow.
 */
function crossAccountTrustsWithoutExternalId(
  role: AwsRoleData,
  organization: ReadonlySet<string> | undefined,
): AnalysisFinding[] {
  const findings: AnalysisFinding[] = [];
  for (const statement of role.trustPolicy.document.Statement) {
    if (statement.Effect !== 'Allow' || !statementMatchesAction(statement, ASSUME)) continue;
    const principal = statement.Principal;
    if (!principal || principal === '*' || requiresExternalId(statement)) continue;
    const byAccount = new Map<string, string[]>();
    for (const value of principal.AWS ?? []) {
      const account = accountOfPrincipal(value);
      if (!account || account === role.accountId || organization?.has(account)) continue;
      byAccount.set(account, [...(byAccount.get(account) ?? []), value]);
    }
    const name = statementLabel(statement);
    for (const [account, values] of byAccount) {
      const where = organization ? 'outside the organization' : 'another account';
      const admits = `admits ${values.join(', ')} (account ${account}, ${where})`;
      findings.push({
        rule: 'aws-cross-account-trust-without-external-id',
        severity: organization ? 'high' : 'medium',
        subject: role.arn,
        message: `role ${role.name}: trust policy statement ${name} ${admits} without requiring sts:ExternalId`,
        evidence: [
          {
            source: 'trust-policy',
            ref: role.trustPolicy.id,
            statement: name,
            reason: `trust policy of role ${role.name} (statement ${name}) ${admits} with no sts:ExternalId condition`,
          },
        ],
      });
    }
  }
  return findings;
}

const IAM_OR_STS_ARN = new RegExp(`^arn:${PARTITION}:(?:iam|sts)::(\\d{12}):`);

/** The account of a trust principal: an account id, or an IAM/STS ARN; undefined for a unique id. */
function accountOfPrincipal(value: string): string | undefined {
  return accountNamed(value) ?? IAM_OR_STS_ARN.exec(value)?.[1];
}

const EXTERNAL_ID_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike']);

/**
 * Does the statement only admit requests carrying a given external id? A string match on
 * sts:ExternalId does, unless `…IfExists` or `ForAllValues:` lets an absent key through, or a
 * StringLike pattern is nothing but wildcards (any id at all).
 */
function requiresExternalId(statement: Statement): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const lower = operator.toLowerCase();
    if (lower.startsWith('forallvalues:') || lower.endsWith('ifexists')) continue;
    const base = lower.replace(/^foranyvalue:/, '');
    if (!EXTERNAL_ID_OPERATORS.has(base)) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'sts:externalid') continue;
      if (base !== 'stringlike' || values.some((v) => !/^[*?]*$/.test(v))) return true;
    }
  }
  return false;
}

/**
 * A pair edge, in the form a hub's legs join back into (src/model/grants.ts): the caller's side of
 * the evidence (its own policies, boundary, SCPs, RCPs) first, then the trust's; conditions sorted.
 */
function assumeEdge(
  records: AssumeRecords,
  from: string,
  fromKind: string,
  fromAccount: string | undefined,
  role: AwsRoleData,
  decision: Decision,
): DerivedEdge {
  const sides = assumeSides(records, from, fromKind, fromAccount, role, decision);
  return {
    type: 'CAN_ASSUME',
    from,
    fromKind,
    to: role.arn,
    toKind: 'AwsRole',
    scope: scopeOf(fromAccount ?? role.accountId),
    properties: records.properties(decision),
    // `concat`, not a spread: a spread array keeps room to grow (about 200 bytes for two records
    // against 66), and a dense account's pairs number in the millions.
    evidence: sides.caller.concat(sides.trust),
  };
}

/**
 * The evidence of a decision split by side. The caller's side never names the role and the trust's
 * side names a caller only when the trust names it (not through its account or `*`: `byClass`), so
 * callers deciding alike share the trust side and roles of one trust class share the caller side.
 * A collected caller a class admits with no policy of its own (same account) says so on its side.
 */
function assumeSides(
  records: AssumeRecords,
  from: string,
  fromKind: string,
  fromAccount: string | undefined,
  role: AwsRoleData,
  decision: Decision,
): { caller: Evidence[]; trust: Evidence[]; byClass: boolean } {
  const caller: Evidence[] = [];
  for (const part of grantParts(decision))
    if (part.match.policyKind !== 'trust') caller.push(records.caller(part));
  const trust = trustRecords(records, decision, role, from, fromAccount);
  const byClass = !trust.names;
  if (caller.length === 0 && byClass && (fromKind === 'AwsUser' || fromKind === 'AwsRole'))
    caller.push(
      records.shared({
        source: 'trust-policy',
        ref: from,
        reason: `${from} needs no policy of its own: within account ${fromAccount} the trust policy admitting it suffices`,
      }),
    );
  return { caller, trust: trust.records, byClass };
}

/** The trust side of a decision's evidence, as the given role's trust policy says it. */
function trustRecords(
  records: AssumeRecords,
  decision: Decision,
  role: AwsRoleData,
  from: string,
  fromAccount: string | undefined,
): { records: Evidence[]; names: boolean } {
  const out: Evidence[] = [];
  let names = false;
  for (const part of grantParts(decision)) {
    if (part.match.policyKind !== 'trust') continue;
    const whom = trustWhom(role, part.match.statement, from, fromAccount);
    if (whom === from) names = true;
    out.push(records.trust(role, part, whom));
  }
  return { records: out, names };
}

/** Whom the role's trust statement admits the caller as: anyone, its account's principals, or itself. */
function trustWhom(role: AwsRoleData, label: string, from: string, fromAccount: string | undefined): string {
  const admitted = trustStatementClasses(role).get(label);
  return admitted?.anyone
    ? 'any AWS principal'
    : fromAccount !== undefined && admitted?.accounts.has(fromAccount)
      ? `principals of account ${fromAccount} that their own policies allow`
      : from;
}

/** Whether a granting trust statement names the caller itself (`trustRecords`' `names`, without the records). */
function trustNamesCaller(
  decision: Decision,
  role: AwsRoleData,
  from: string,
  fromAccount: string | undefined,
): boolean {
  return grantParts(decision).some(
    (part) =>
      part.match.policyKind === 'trust' && trustWhom(role, part.match.statement, from, fromAccount) === from,
  );
}

/**
 * One object per distinct evidence record and per distinct properties of one derivation's edges.
 * A dense account's CAN_ASSUME pairs number in the millions (callers whose sts:AssumeRole names
 * only some roles of a trust class are decided role by role) but cite a few thousand distinct
 * records, and their properties take a handful of values: a copy of each per pair was most of
 * the family's memory. Records and properties are never mutated once made (`mergeEdges` copies an
 * edge before merging into it; legs copy what they take), so sharing them changes no output.
 */
class AssumeRecords {
  private readonly byContent = new Map<string, Evidence>();
  /** A caller's record for an unconditional statement: engine matches of those are shared (frozen). */
  private readonly byMatch = new WeakMap<StatementMatch, Evidence>();
  /** A trust's unconditional record by role, statement and whom it admits. */
  private readonly byTrust = new WeakMap<AwsRoleData, Map<string, Map<string, Evidence>>>();
  private readonly conditional = new Map<string, DerivedEdge['properties']>();
  private readonly outright: DerivedEdge['properties'] = {};

  /** The record, or the first one made with the same content. */
  shared(record: Evidence): Evidence {
    const key = `${record.source}\u0000${record.ref}\u0000${record.statement ?? '\u0001'}\u0000${record.reason}\u0000${record.conditions ? record.conditions.join('\u0000') : '\u0001'}`;
    const found = this.byContent.get(key);
    if (found) return found;
    this.byContent.set(key, record);
    return record;
  }

  /** What a caller-side statement (identity policy, boundary, SCP, RCP) allows. */
  caller(part: GrantPart): Evidence {
    const { match } = part;
    const shareable = part.conditions.length === 0 && Object.isFrozen(match);
    const known = shareable ? this.byMatch.get(match) : undefined;
    if (known) return known;
    const where = `${match.policyName} (statement ${match.statement})`;
    const reason =
      match.policyKind === 'scp' || match.policyKind === 'rcp'
        ? `${match.policyKind.toUpperCase()} ${where} allows ${ASSUME}`
        : match.policyKind === 'permissions-boundary'
          ? `permissions boundary ${where} allows ${ASSUME}`
          : `${where} allows ${ASSUME}`;
    const record = this.shared(evidenceRecord(part, reason));
    if (shareable) this.byMatch.set(match, record);
    return record;
  }

  /** What the role's trust statement admits (`whom`), cited as the role's trust policy. */
  trust(role: AwsRoleData, part: GrantPart, whom: string): Evidence {
    const label = part.match.statement;
    const make = () => {
      const match = { ...part.match, policyId: role.trustPolicy.id, policyName: role.trustPolicy.name };
      return evidenceRecord({ ...part, match }, trustAdmits(role, label) + whom);
    };
    if (part.conditions.length > 0) return this.shared(make());
    return getOrCreate(getOrCreate(getOrCreate(this.byTrust, role, newMap), label, newMap), whom, make);
  }

  /** The pair edge's `conditional`/`conditions` (keys sorted by `conditionalProperties`), or none. */
  properties(decision: Decision): DerivedEdge['properties'] {
    const properties = conditionalProperties([decision]);
    if (!Array.isArray(properties.conditions)) return this.outright;
    const key = properties.conditions.join('\u0000');
    const found = this.conditional.get(key);
    if (found) return found;
    this.conditional.set(key, properties);
    return properties;
  }
}

const admitTexts = new WeakMap<AwsRoleData, Map<string, string>>();

/** `trust policy of role <name> (statement <sid>) admits `: one string per role and statement. */
function trustAdmits(role: AwsRoleData, statement: string): string {
  let byStatement = admitTexts.get(role);
  if (!byStatement) {
    byStatement = new Map();
    admitTexts.set(role, byStatement);
  }
  let text = byStatement.get(statement);
  if (text === undefined) {
    text = `trust policy of role ${role.name} (statement ${statement}) admits `;
    byStatement.set(statement, text);
  }
  return text;
}
