import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsEnvironment, AwsRoleData } from '../../../model/aws/environment.js';
import { DEFAULT_PARTITION, PARTITION, partitionOfArn } from '../../../model/aws/partitions.js';
import { type Statement, statementLabel } from '../../../model/aws/policy.js';
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
import { conditionalProperties, evidenceFrom, isGranted } from './evidence.js';
import { accountRootNode, edge, externalNode, NodeSet, publicNode, scopeOf } from './nodes.js';
import {
  groupOpenTrusts,
  type OpenTrustGroup,
  openTrustEvidence,
  openTrustNode,
  UniformDecisions,
} from './open-trust.js';

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
 * the Public node and a finding, and the collected callers through open-trust.ts (one shared node
 * per account and trust policy instead of callers × roles edges).
 *
 * Service principals in trust policies (`lambda.amazonaws.com`) get no CAN_ASSUME: a service assumes
 * a role only for a resource someone configured to run as it, which is RUNS_AS (workload → role);
 * configuring such a resource is iam:PassRole, an escalation technique.
 */
export const canAssume = {
  name: 'can-assume',
  emits: ['CAN_ASSUME'],
  description:
    'A principal can assume a role: the role’s trust policy admits it (by ARN, by its account, or anyone) and, when the trust names the account or the caller is in another account, the caller’s identity policies allow sts:AssumeRole on the role. Account roots named in trust policies are AwsAccountRoot nodes (ExternalPrincipal when the account was not collected); Principal "*" is the Public node and a finding. Roles of one account sharing a trust policy that admits anyone sit behind one Public node (public:aws:open-trust:<account>:<digest>) with an edge into each role; a collected caller whose decision is the same for all of them gets one edge into that node, the others are decided role by role. A trust statement admitting another account (outside the collected organization, if one was collected) without requiring sts:ExternalId is a finding too.',
  /** With `from`, only the edges of the collected principal `from` (what-if states), no findings. */
  derive(authorizer: Authorizer, options: { from?: string } = {}) {
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    const only = options.from;
    const lookup = new TrustLookup(authorizer);
    const ownAccounts = organizationAccounts(authorizer.environment);
    const open: AwsRoleData[] = [];
    for (const role of lookup.roles.values()) {
      if (only === undefined)
        for (const finding of crossAccountTrustsWithoutExternalId(role, ownAccounts)) findings.push(finding);
      const callers = trustedCallers(lookup, role, findings);
      for (const caller of callers.principals) {
        if (caller === role.arn || (only !== undefined && caller !== only)) continue;
        const decision = authorizer.evaluate(caller, ASSUME, role.arn);
        if (!isGranted(decision)) continue;
        const from = authorizer.principal(caller);
        if (!from) continue;
        edges.push(assumeEdge(caller, from.kind, from.accountId, role, decision));
      }
      // A trust names accounts of its own partition only.
      const partition = partitionOfArn(role.arn) ?? DEFAULT_PARTITION;
      if (callers.anyone) open.push(role);
      // Account roots, outsiders and anyone are never a collected principal.
      if (only !== undefined) continue;
      for (const root of callers.accounts) {
        const collected = authorizer.account(root) !== undefined;
        const id = collected ? accountRootArn(root, partition) : externalPrincipalId(root, partition);
        const decision = authorizer.evaluate(id, ASSUME, role.arn);
        if (!isGranted(decision)) continue;
        nodes.add(collected ? accountRootNode(root, partition) : externalNode(id));
        edges.push(
          assumeEdge(id, collected ? 'AwsAccountRoot' : 'ExternalPrincipal', undefined, role, decision),
        );
      }
      for (const external of callers.external) {
        const id = externalPrincipalId(external, partition);
        const decision = authorizer.evaluate(id, ASSUME, role.arn);
        if (!isGranted(decision)) continue;
        nodes.add(externalNode(id));
        edges.push(assumeEdge(id, 'ExternalPrincipal', undefined, role, decision));
      }
      if (callers.anyone) {
        const decision = authorizer.evaluate(PUBLIC_AWS, ASSUME, role.arn);
        if (isGranted(decision)) {
          nodes.add(publicNode());
          const e = assumeEdge(PUBLIC_AWS, 'Public', undefined, role, decision);
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
    assumeOpenRoles(authorizer, open, nodes, edges, only);
    return { edges, nodes: nodes.list(), findings };
  },
} satisfies EdgeFamily;

/**
 * The collected principals that may assume roles trusting anyone: through one shared Public node
 * per account and trust policy where a caller's decision is the same for all of its roles, role by
 * role otherwise (open-trust.ts).
 */
function assumeOpenRoles(
  authorizer: Authorizer,
  open: AwsRoleData[],
  nodes: NodeSet,
  edges: DerivedEdge[],
  only?: string,
): void {
  if (open.length === 0) return;
  const { groups, alone } = groupOpenTrusts(open);
  const principals = authorizer.principals().filter((p) => only === undefined || p.id === only);
  const assumeEach = (caller: PrincipalInfo, roles: AwsRoleData[]) => {
    for (const role of roles) {
      if (caller.id === role.arn) continue;
      const decision = authorizer.evaluate(caller.id, ASSUME, role.arn);
      if (isGranted(decision))
        edges.push(assumeEdge(caller.id, caller.kind, caller.accountId, role, decision));
    }
  };
  for (const caller of principals) assumeEach(caller, alone);
  const uniform = new UniformDecisions(authorizer);
  for (const group of groups) {
    nodes.add(openTrustNode(group));
    for (const role of group.roles)
      edges.push(
        edge({
          type: 'CAN_ASSUME',
          from: group.id,
          fromKind: 'Public',
          to: role.arn,
          toKind: 'AwsRole',
          scope: scopeOf(group.accountId),
          evidence: openTrustEvidence(group, role),
        }),
      );
    for (const caller of principals) {
      if (!uniform.sameForAll(caller, group, ASSUME)) {
        assumeEach(caller, group.roles);
        continue;
      }
      const role = (group.roles[0]?.arn === caller.id ? group.roles[1] : group.roles[0]) as AwsRoleData;
      const decision = authorizer.evaluate(caller.id, ASSUME, role.arn);
      if (!isGranted(decision)) continue;
      const into = assumeEdge(caller.id, caller.kind, caller.accountId, role, decision);
      edges.push({ ...into, to: group.id, toKind: 'Public', evidence: sharedEvidence(into, group) });
    }
  }
}

/** A caller's evidence on the representative role, reworded for the whole group. */
function sharedEvidence(into: DerivedEdge, group: OpenTrustGroup): DerivedEdge['evidence'] {
  const roles = `the ${group.roles.length} roles of account ${group.accountId} with this open trust policy`;
  return into.evidence.map((e) =>
    e.source === 'trust-policy' ? { ...e, reason: `${e.reason} (as it does for each of ${roles})` } : e,
  );
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

  /** Principals of the account whose identity side may allow sts:AssumeRole on the role. */
  assumersOf(accountId: string, roleArn: string): string[] {
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
    return (this.assumers.get(accountId) ?? [])
      .filter((a) => a.patterns.some((pattern) => arnMatches(pattern, roleArn)))
      .map((a) => a.id);
  }
}

interface Callers {
  /** Collected users and roles to evaluate. */
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
  // Delegation to an account needs the caller's own permission on this role.
  for (const accountId of callers.accounts)
    for (const id of lookup.assumersOf(accountId, role.arn)) callers.principals.add(id);
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

function assumeEdge(
  from: string,
  fromKind: string,
  fromAccount: string | undefined,
  role: AwsRoleData,
  decision: Decision,
): DerivedEdge {
  const describe = (m: StatementMatch) => {
    const where = `${m.policyName} (statement ${m.statement})`;
    switch (m.policyKind) {
      case 'trust':
        return trustAdmits(role, m.statement) + from;
      case 'scp':
      case 'rcp':
        return `${m.policyKind.toUpperCase()} ${where} allows ${ASSUME}`;
      case 'permissions-boundary':
        return `permissions boundary ${where} allows ${ASSUME}`;
      default:
        return `${where} allows ${ASSUME} on role ${role.name}`;
    }
  };
  return edge({
    type: 'CAN_ASSUME',
    from,
    fromKind,
    to: role.arn,
    toKind: 'AwsRole',
    scope: scopeOf(fromAccount ?? role.accountId),
    properties: conditionalProperties([decision]),
    evidence: evidenceFrom(decision, describe),
  });
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
