import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { Evidence } from '../../model/evidence.js';
import type { GcpEnvironment, GcpServiceAccount } from '../../model/gcp/environment.js';
import { gcpIds, gcpScope } from '../../model/gcp/ids.js';
import type { AccessLevel } from '../../model/properties.js';
import { ACCESS_LEVELS } from '../../model/properties.js';
import type { DerivedRelationship, ProviderAnalysis } from '../../providers/contract.js';
import { GcpAuthorizer, type Grant, type PermissionSet } from './authorizer.js';
import { accessLevel, DATA_KINDS, dataPermissions, dataResourceId, dataTarget } from './data-resources.js';
import { basicRoleFindings } from './flags.js';
import { type Member, memberNode } from './principals.js';
import { RUN_AS_TECHNIQUES, SET_IAM_POLICY_TECHNIQUES } from './techniques.js';

/**
 * The GCP analysis: pure edge derivation over the collected environment, as of the run's time.
 *
 * - CAN_ACCESS to each classified data resource, with levels (data-resources.ts);
 * - CAN_IMPERSONATE a service account: getAccessToken, signBlob, signJwt, getOpenIdToken or
 *   serviceAccountKeys.create on it (https://cloud.google.com/iam/docs/service-account-impersonation),
 *   and through implicitDelegation on an account that may impersonate it (delegation chains,
 *   https://cloud.google.com/iam/docs/create-short-lived-credentials-delegated);
 * - FEDERATES_TO a service account from a workload identity federation principal (set) holding those
 *   permissions on it, i.e. roles/iam.workloadIdentityUser
 *   (https://cloud.google.com/iam/docs/workload-identity-federation#impersonation);
 * - CAN_ESCALATE: actAs on a service account plus a way to run code as it (techniques.ts), setIamPolicy
 *   on a service account, and setIamPolicy on a project, folder or organization (self-escalation to it);
 * - ADMINISTERS: roles/owner on a project, folder or organization (https://cloud.google.com/iam/docs/understanding-roles#basic).
 */
export interface GcpAnalysis extends ProviderAnalysis {
  edges: DerivedRelationship[];
  findings: AnalysisFinding[];
  issues: CollectionIssue[];
}

const KEY_CREATE = 'iam.serviceAccountKeys.create';
const TOKEN_PERMISSIONS = [
  'iam.serviceAccounts.getAccessToken',
  'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt',
  'iam.serviceAccounts.getOpenIdToken',
  KEY_CREATE,
];
const DELEGATION = 'iam.serviceAccounts.implicitDelegation';
const ACT_AS = 'iam.serviceAccounts.actAs';
const SERVICE_ACCOUNT_PERMISSIONS = new Set([
  ...TOKEN_PERMISSIONS,
  DELEGATION,
  ACT_AS,
  SET_IAM_POLICY_TECHNIQUES.serviceAccount.permission,
]);
const RUN_PERMISSIONS = new Set(RUN_AS_TECHNIQUES.flatMap((t) => t.needs.flat()));
const CONTAINER_PERMISSIONS = new Set<string>([
  SET_IAM_POLICY_TECHNIQUES.project.permission,
  SET_IAM_POLICY_TECHNIQUES.folder.permission,
  SET_IAM_POLICY_TECHNIQUES.organization.permission,
]);
const set = (key: string, permissions: ReadonlySet<string>): PermissionSet => ({
  key,
  has: (p) => permissions.has(p),
});

export function analyzeGcp(environment: GcpEnvironment, options: { asOf: Date }): GcpAnalysis {
  const authorizer = new GcpAuthorizer(environment, options.asOf);
  const edges: DerivedRelationship[] = [];
  const findings: AnalysisFinding[] = [];
  const issues: CollectionIssue[] = [];
  const unnamed = new Set<string>();
  const node = (grant: Grant): Member | undefined => {
    const member = memberNode(grant.member);
    if (member === 'deleted') return undefined;
    if (!member && !unnamed.has(grant.member)) {
      unnamed.add(grant.member);
      issues.push({
        severity: 'info',
        source: grant.source,
        object: `${gcpScope(grant.at.startsWith('projects/') ? grant.at.split('/').slice(0, 2).join('/') : grant.at)} ${grant.member}`,
        message: `member ${grant.member} is not a principal reachgraph names as a node; its grants are left out`,
      });
    }
    return member ?? undefined;
  };

  // CAN_ACCESS to data resources.
  for (const resource of environment.resources) {
    const target = dataResourceId(resource);
    for (const [member, grants] of byMember(
      authorizer.grants(dataTarget(resource), dataPermissions(resource.kind)),
      node,
    )) {
      const levels = ACCESS_LEVELS.filter((level) =>
        grants.some((g) => accessLevel(resource.kind, g.permission) === level),
      );
      edges.push(
        edge(
          'CAN_ACCESS',
          member.id,
          target,
          grants,
          (g) =>
            `${g.member} holds ${g.role} at ${g.at}, which includes ${permissionList(grants, g)} on ${resource.shortName}`,
          {
            levels: levels as AccessLevel[],
            actions: [...new Set(grants.map((g) => g.permission))].sort(),
          },
          DATA_KINDS[resource.kind].label,
        ),
      );
    }
  }

  // Service accounts: impersonation, federation, escalation through them.
  const saPermissions = set('service-account', SERVICE_ACCOUNT_PERMISSIONS);
  const runPermissions = set('run-code', RUN_PERMISSIONS);
  const impersonators = new Map<string, Map<string, Grant[]>>();
  const delegators = new Map<string, Map<string, Grant[]>>();
  const projectRunGrants = new Map<string, Grant[]>();
  for (const account of environment.serviceAccounts) {
    const target = gcpIds.serviceAccount(account.email);
    const grants = authorizer.grants(serviceAccountTarget(account), saPermissions);
    let runGrants = projectRunGrants.get(account.project);
    if (!runGrants) {
      runGrants = authorizer.grants({ container: account.project }, runPermissions);
      projectRunGrants.set(account.project, runGrants);
    }
    for (const [member, held] of byMember(grants, node)) {
      const tokens = held.filter((g) => TOKEN_PERMISSIONS.includes(g.permission));
      if (tokens.length > 0) {
        const type = member.kind === 'GcpPrincipalSet' ? 'FEDERATES_TO' : 'CAN_IMPERSONATE';
        edges.push(
          edge(
            type,
            member.id,
            target,
            tokens,
            (g) =>
              `${g.member} holds ${g.role} at ${g.at}, which includes ${permissionList(tokens, g)} on ${account.email}`,
            {},
            'GcpServiceAccount',
          ),
        );
        put(impersonators, target, member.id, tokens);
      }
      const delegation = held.filter((g) => g.permission === DELEGATION);
      if (delegation.length > 0) put(delegators, target, member.id, delegation);
      const setPolicy = held.filter(
        (g) => g.permission === SET_IAM_POLICY_TECHNIQUES.serviceAccount.permission,
      );
      const escalations: { technique: string; attack: string; grants: Grant[] }[] = [];
      if (setPolicy.length > 0)
        escalations.push({
          technique: SET_IAM_POLICY_TECHNIQUES.serviceAccount.id,
          attack: 'T1098.003',
          grants: setPolicy,
        });
      const actAs = held.filter((g) => g.permission === ACT_AS);
      if (actAs.length > 0)
        for (const technique of RUN_AS_TECHNIQUES) {
          const mine = runGrants.filter((g) => g.member === member.member);
          const groups = technique.needs.map((any) => mine.filter((g) => any.includes(g.permission)));
          if (groups.every((g) => g.length > 0))
            escalations.push({
              technique: technique.id,
              attack: technique.attack,
              grants: [...actAs, ...groups.flat()],
            });
        }
      const first = escalations[0];
      if (first && member.id !== target)
        edges.push(
          edge(
            'CAN_ESCALATE',
            member.id,
            target,
            escalations.flatMap((e) => e.grants),
            (g) =>
              `${g.member} holds ${g.role} at ${g.at} (${g.permission}), for ${escalations.map((e) => e.technique).join(', ')} to ${account.email}`,
            {
              technique: first.technique,
              attack: first.attack,
            },
            'GcpServiceAccount',
          ),
        );
    }
  }
  edges.push(...delegationEdges(impersonators, delegators));

  // The hierarchy: setIamPolicy (self-escalation) and owner (ADMINISTERS).
  const containerPermissions = set('container', CONTAINER_PERMISSIONS);
  for (const container of environment.containers.values()) {
    const target = gcpIds.container(container.name);
    const label =
      container.kind === 'project'
        ? 'GcpProject'
        : container.kind === 'folder'
          ? 'GcpFolder'
          : 'GcpOrganization';
    const technique = SET_IAM_POLICY_TECHNIQUES[container.kind];
    const grants = authorizer.grants({ container: container.name }, containerPermissions);
    for (const [member, all] of byMember(grants, node)) {
      // roles/owner is the basic role of full control (it holds resourcemanager.projects.setIamPolicy,
      // whichever level it is granted at); anyone else escalates with the level's own setIamPolicy.
      const owner = all.filter((g) => g.role === 'roles/owner');
      const held = all.filter((g) => g.permission === technique.permission);
      if (owner.length > 0)
        edges.push(
          edge(
            'ADMINISTERS',
            member.id,
            target,
            owner,
            (g) => `${g.member} holds roles/owner at ${g.at}, inherited by ${container.name}`,
            {},
            label,
          ),
        );
      else if (held.length > 0)
        edges.push(
          edge(
            'CAN_ESCALATE',
            member.id,
            target,
            held,
            (g) =>
              `${g.member} holds ${g.role} at ${g.at}, which includes ${technique.permission}: it can grant itself any role on ${container.name}`,
            {
              technique: technique.id,
              attack: 'T1098.003',
              self: true,
            },
            label,
          ),
        );
    }
  }

  findings.push(
    ...federationFindings(environment),
    ...deletedMemberFindings(environment),
    ...basicRoleFindings(environment),
  );
  issues.push(...authorizer.issues);
  const counts: Record<string, number> = {};
  for (const e of edges) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return {
    edges,
    findings,
    issues,
    stats: {
      edges: counts,
      serviceAccounts: environment.serviceAccounts.length,
      resources: environment.resources.length,
    },
  };
}

function serviceAccountTarget(account: GcpServiceAccount) {
  const name = `projects/-/serviceAccounts/${account.email}`;
  return {
    container: account.project,
    ...(account.policy
      ? { own: { at: `${account.project}/serviceAccounts/${account.email}`, policy: account.policy } }
      : {}),
    facts: { name, type: 'iam.googleapis.com/ServiceAccount', service: 'iam.googleapis.com' },
  };
}

function byMember(grants: Grant[], node: (g: Grant) => Member | undefined): Map<Member, Grant[]> {
  const out = new Map<string, [Member, Grant[]]>();
  for (const grant of grants) {
    const member = node(grant);
    if (!member) continue;
    const entry = out.get(member.id) ?? [member, []];
    entry[1].push(grant);
    out.set(member.id, entry);
  }
  return new Map([...out.values()]);
}

function put(map: Map<string, Map<string, Grant[]>>, target: string, from: string, grants: Grant[]): void {
  const inner = map.get(target) ?? new Map<string, Grant[]>();
  inner.set(from, [...(inner.get(from) ?? []), ...grants]);
  map.set(target, inner);
}

/**
 * Delegation chains: a caller with implicitDelegation on account B may have B's token permissions on
 * C exercised for it, so it can impersonate C (https://cloud.google.com/iam/docs/create-short-lived-credentials-delegated).
 * Only a short-lived credential is delegated: B's `serviceAccountKeys.create` on C is no link of a
 * chain. Followed until nothing new, each new edge naming both grants, and conditional when either
 * link holds only under undecided conditions.
 */
function delegationEdges(
  impersonators: Map<string, Map<string, Grant[]>>,
  delegators: Map<string, Map<string, Grant[]>>,
): DerivedRelationship[] {
  const edges: DerivedRelationship[] = [];
  const known = new Set<string>();
  for (const [target, from] of impersonators)
    for (const source of from.keys()) known.add(`${source}>${target}`);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [target, from] of [...impersonators])
      for (const [middle, held] of [...from]) {
        const tokenGrants = held.filter((g) => g.permission !== KEY_CREATE);
        if (tokenGrants.length === 0) continue;
        for (const [caller, delegation] of delegators.get(middle) ?? []) {
          const key = `${caller}>${target}`;
          if (known.has(key) || caller === target) continue;
          known.add(key);
          changed = true;
          const grants = [...delegation, ...tokenGrants];
          put(impersonators, target, caller, grants);
          const chain = edge(
            'CAN_IMPERSONATE',
            caller,
            target,
            grants,
            (g) =>
              `${g.member} holds ${g.role} at ${g.at} (${g.permission}): delegation through ${middle.slice('gcp:sa:'.length)}`,
            {},
            'GcpServiceAccount',
          );
          const undecided = [delegation, tokenGrants].filter((link) =>
            link.every((g) => g.conditions.length > 0),
          );
          if (undecided.length > 0 && !chain.properties.conditional)
            chain.properties = {
              ...chain.properties,
              conditional: true,
              conditions: [...new Set(undecided.flat().flatMap((g) => g.conditions))],
            };
          edges.push(chain);
        }
      }
  }
  return edges;
}

/**
 * One edge from grants: one evidence record per binding and member (the permissions it gives named
 * in the reason), conditional when no binding holds without an undecided condition.
 */
function edge(
  type: string,
  from: string,
  to: string,
  grants: Grant[],
  reason: (g: Grant) => string,
  properties: Record<string, string | boolean | string[]>,
  toKind: string,
): DerivedRelationship {
  const evidence = new Map<string, Evidence>();
  for (const grant of grants) {
    const key = `${grant.source}\n${grant.binding}\n${grant.member}`;
    if (evidence.has(key)) continue;
    evidence.set(key, {
      source: 'iam-binding',
      ref: grant.at,
      statement: `bindings[${grant.binding}] ${grant.role} ${grant.member}`,
      reason: reason(grant),
      ...(grant.conditions.length ? { conditions: grant.conditions } : {}),
    });
  }
  const conditional = grants.every((g) => g.conditions.length > 0);
  const conditions = [...new Set(grants.flatMap((g) => g.conditions))];
  return {
    type,
    from,
    to,
    toKind,
    properties: { ...properties, ...(conditional ? { conditional: true, conditions } : {}) },
    evidence: [...evidence.values()],
  } as DerivedRelationship;
}

function permissionList(grants: Grant[], of: Grant): string {
  const mine = [
    ...new Set(
      grants
        .filter((g) => g.source === of.source && g.binding === of.binding && g.member === of.member)
        .map((g) => g.permission),
    ),
  ];
  return mine.length <= 3 ? mine.join(', ') : `${mine.slice(0, 3).join(', ')} and ${mine.length - 3} more`;
}

/**
 * Federation findings (https://cloud.google.com/iam/docs/best-practices-for-using-workload-identity-federation):
 * a provider for a shared issuer (GitHub Actions, GitLab) without an attribute condition admits every
 * repository of every user of that issuer.
 */
function federationFindings(environment: GcpEnvironment): AnalysisFinding[] {
  const shared = ['https://token.actions.githubusercontent.com', 'https://gitlab.com'];
  const findings: AnalysisFinding[] = [];
  for (const pool of environment.pools)
    for (const provider of pool.providers)
      if (
        !provider.disabled &&
        provider.issuer &&
        shared.includes(provider.issuer) &&
        !provider.attributeCondition
      )
        findings.push({
          subject: gcpIds.poolProvider(provider.name),
          rule: 'gcp-federation-without-attribute-condition',
          severity: 'high',
          message: `provider ${provider.name} trusts the shared issuer ${provider.issuer} without an attribute condition: any of its users' workloads can get tokens from the pool`,
          evidence: [
            {
              source: 'trust-policy',
              ref: provider.name,
              statement: 'attributeCondition',
              reason: `workload identity provider for ${provider.issuer} has no attributeCondition`,
            },
          ],
        });
  return findings;
}

/**
 * A binding to a deleted principal grants nothing, but the binding comes back to life if an account
 * of the same name is created and the binding is not removed
 * (https://cloud.google.com/iam/docs/policies#handle-deleted-principals).
 */
function deletedMemberFindings(environment: GcpEnvironment): AnalysisFinding[] {
  const findings: AnalysisFinding[] = [];
  const policies = [
    ...[...environment.containers.values()].map((c) => ({
      subject: gcpIds.container(c.name),
      at: c.name,
      policy: c.policy,
    })),
    ...environment.serviceAccounts.map((a) => ({
      subject: gcpIds.serviceAccount(a.email),
      at: a.email,
      policy: a.policy,
    })),
    ...environment.resources.map((r) => ({ subject: dataResourceId(r), at: r.shortName, policy: r.policy })),
  ];
  for (const { subject, at, policy } of policies)
    for (const [index, binding] of (policy?.bindings ?? []).entries())
      for (const member of binding.members.filter((m) => m.startsWith('deleted:')))
        findings.push({
          subject,
          rule: 'gcp-binding-to-deleted-principal',
          severity: 'low',
          message: `${at} binds ${binding.role} to the deleted principal ${member}`,
          evidence: [
            {
              source: 'iam-binding',
              ref: at,
              statement: `bindings[${index}] ${binding.role} ${member}`,
              reason: `binding to ${member}, which grants nothing while deleted`,
            },
          ],
        });
  return findings;
}
