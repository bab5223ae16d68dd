import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpContainer, GcpEnvironment, GcpServiceAccount } from '../../model/gcp/environment.js';
import { gcpIds, gcpScope } from '../../model/gcp/ids.js';
import type { InventoryNode } from '../../model/inventory.js';
import type { AccessLevel } from '../../model/properties.js';
import { ACCESS_LEVELS } from '../../model/properties.js';
import type { DerivedRelationship, ProviderAnalysis } from '../../providers/contract.js';
import { pushAll } from '../../util/collections.js';
import { GcpAuthorizer, type Grant, type Target } from './authorizer.js';
import { accessLevel, DATA_KINDS, dataPermissions, dataResourceId, dataTarget } from './data-resources.js';
import {
  byMember,
  type Escalation,
  edge,
  escalationEdge,
  permissionList,
  permissionSet,
  techniqueEscalation,
  withBase,
} from './edge.js';
import {
  type BucketAccess,
  mergeHmacAccess,
  ORG_POLICY_PERMISSION,
  orgPolicyFindings,
  poolProviderEdges,
  ROLE_UPDATE_REASON,
  RoleUpdates,
  serviceAgentEscalations,
} from './escalation.js';
import { basicRoleFindings } from './flags.js';
import { GcpGrantHubs } from './grant-hubs.js';
import { type Member, memberNode } from './principals.js';
import { RUN_AS_TECHNIQUES, SERVICE_AGENT_TECHNIQUES, SET_IAM_POLICY_TECHNIQUES } from './techniques.js';

/**
 * The GCP analysis: pure edge derivation over the collected environment, as of the run's time.
 *
 * - CAN_ACCESS to each classified data resource, with levels (data-resources.ts), and through HMAC
 *   keys of the project's service accounts (`via`, escalation.ts);
 * - CAN_IMPERSONATE a service account: getAccessToken, signBlob, signJwt, getOpenIdToken or
 *   serviceAccountKeys.create on it (https://cloud.google.com/iam/docs/service-account-impersonation),
 *   and through implicitDelegation on an account that may impersonate it (delegation chains,
 *   https://cloud.google.com/iam/docs/create-short-lived-credentials-delegated);
 * - FEDERATES_TO a service account from a workload identity federation principal (set) holding those
 *   permissions on it, i.e. roles/iam.workloadIdentityUser
 *   (https://cloud.google.com/iam/docs/workload-identity-federation#impersonation);
 * - CAN_ESCALATE (techniques.ts): to a service account (actAs plus a way to run code as it,
 *   setIamPolicy on it, a custom role one may update), to a service agent (Deployment Manager, Cloud
 *   Build), to a federated principal (a pool provider one may create), and to a project, folder or
 *   organization (its setIamPolicy, or a custom role one may update: self-escalation);
 * - ADMINISTERS: roles/owner on a project, folder or organization (https://cloud.google.com/iam/docs/understanding-roles#basic).
 *
 * A pair edge that rests on one folder or organization binding alone is split into the member's side
 * and the target's, and the binding's pairs are stored as Grant hubs (grant-hubs.ts) unless
 * `grantHubs` is false.
 */
export interface GcpAnalysis extends ProviderAnalysis {
  edges: DerivedRelationship[];
  /** The Grant hubs the edges go through (src/model/grants.ts). */
  nodes: InventoryNode[];
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
const RUN_PERMISSIONS = new Set<string>(RUN_AS_TECHNIQUES.flatMap((t) => t.needs.flat()));
const CONTAINER_PERMISSIONS = new Set<string>([
  SET_IAM_POLICY_TECHNIQUES.project.permission,
  SET_IAM_POLICY_TECHNIQUES.folder.permission,
  SET_IAM_POLICY_TECHNIQUES.organization.permission,
  ORG_POLICY_PERMISSION,
  ...SERVICE_AGENT_TECHNIQUES.flatMap((t) => t.needs.flat()),
]);
const CONTAINER_LABELS = {
  project: 'GcpProject',
  folder: 'GcpFolder',
  organization: 'GcpOrganization',
} as const;

export interface GcpAnalyzeOptions {
  asOf: Date;
  /** Store the pairs of an inherited binding as Grant hubs (default), or as pair edges. */
  grantHubs?: boolean;
}

export function analyzeGcp(environment: GcpEnvironment, options: GcpAnalyzeOptions): GcpAnalysis {
  const authorizer = new GcpAuthorizer(environment, options.asOf);
  const hubs = new GcpGrantHubs(options.grantHubs ?? true);
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

  // CAN_ACCESS to data resources, by `from>to` (HMAC keys merge into them below).
  const access = new Map<string, DerivedRelationship>();
  const accountBuckets = new Map<string, BucketAccess[]>();
  for (const resource of environment.resources) {
    const target = dataResourceId(resource);
    const label = DATA_KINDS[resource.kind].label;
    for (const [member, grants] of byMember(
      authorizer.grants(dataTarget(resource), dataPermissions(resource.kind)),
      node,
    )) {
      const held = new Set<AccessLevel>();
      for (const g of grants) held.add(accessLevel(resource.kind, g.permission));
      const levels = ACCESS_LEVELS.filter((level) => held.has(level)) as AccessLevel[];
      access.set(
        `${member.id}>${target}`,
        hubs.record(
          edge(
            'CAN_ACCESS',
            member.id,
            target,
            grants,
            (g) =>
              `${g.member} holds ${g.role} at ${g.at}, which includes ${permissionList(grants, g)} on ${resource.shortName}`,
            { levels, actions: [...new Set(grants.map((g) => g.permission))].sort() },
            label,
          ),
          grants,
          (g) => `${g.member} holds ${g.role} at ${g.at}, which includes ${permissionList(grants, g)}`,
          { name: resource.shortName, container: resource.project },
        ),
      );
      if (member.kind === 'GcpServiceAccount' && resource.kind === 'bucket') {
        const email = member.id.slice(gcpIds.serviceAccount('').length);
        const buckets = accountBuckets.get(email);
        const bucket = { target, label, shortName: resource.shortName, grants, levels };
        if (buckets) buckets.push(bucket);
        else accountBuckets.set(email, [bucket]);
      }
    }
  }
  mergeHmacAccess(environment, authorizer, accountBuckets, access, node);
  pushAll(edges, access.values());

  const roleUpdates = new RoleUpdates(environment, authorizer);

  // Service accounts: impersonation, federation, escalation through them.
  const saPermissions = permissionSet('service-account', SERVICE_ACCOUNT_PERMISSIONS);
  const runPermissions = permissionSet('run-code', RUN_PERMISSIONS);
  const impersonators = new Map<string, Map<string, Grant[]>>();
  const delegators = new Map<string, Map<string, Grant[]>>();
  // Each project's grants of the run-code permissions, by member (in the order the authorizer gave them).
  const projectRunGrants = new Map<string, Map<string, Grant[]>>();
  // By project and member: each run-as technique its run-code grants there allow.
  const projectRunTechniques = new Map<string, (Escalation | undefined)[]>();
  for (const account of environment.serviceAccounts) {
    const target = gcpIds.serviceAccount(account.email);
    const place = { name: account.email, container: account.project };
    const accountTarget = serviceAccountTarget(account);
    const grants = authorizer.grants(accountTarget, saPermissions);
    let runGrants = projectRunGrants.get(account.project);
    if (!runGrants) {
      runGrants = new Map();
      for (const g of authorizer.grants({ container: account.project }, runPermissions)) {
        const mine = runGrants.get(g.member);
        if (mine) mine.push(g);
        else runGrants.set(g.member, [g]);
      }
      projectRunGrants.set(account.project, runGrants);
    }
    const updates = roleUpdates.escalations(authorizer, accountTarget, TOKEN_PERMISSIONS[0] as string);
    for (const [member, held] of withUpdaters(byMember(grants, node), updates, node)) {
      const tokens = held.filter((g) => TOKEN_PERMISSIONS.includes(g.permission));
      if (tokens.length > 0) {
        const type = member.kind === 'GcpPrincipalSet' ? 'FEDERATES_TO' : 'CAN_IMPERSONATE';
        edges.push(
          hubs.record(
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
            tokens,
            (g) => `${g.member} holds ${g.role} at ${g.at}, which includes ${permissionList(tokens, g)}`,
            place,
          ),
        );
        put(impersonators, target, member.id, tokens);
      }
      const delegation = held.filter((g) => g.permission === DELEGATION);
      if (delegation.length > 0) put(delegators, target, member.id, delegation);
      if (member.id === target) continue;
      const escalations: Escalation[] = [];
      const setPolicy = techniqueEscalation(SET_IAM_POLICY_TECHNIQUES.serviceAccount, held);
      if (setPolicy) escalations.push(setPolicy);
      const actAs = held.filter((g) => g.permission === ACT_AS);
      if (actAs.length > 0) {
        // What the member's run-code grants in the project allow is the same for every account of the
        // project: found once, each joined with this account's actAs grants.
        const runKey = `${account.project}\n${member.member}`;
        let runnable = projectRunTechniques.get(runKey);
        if (!runnable) {
          const mine = runGrants.get(member.member) ?? [];
          runnable = RUN_AS_TECHNIQUES.map((technique) => techniqueEscalation(technique, mine));
          projectRunTechniques.set(runKey, runnable);
        }
        for (const found of runnable) if (found) escalations.push(withBase(found, actAs));
      }
      const update = updates.get(member.member);
      if (update) escalations.push(update);
      if (escalations.length > 0) {
        const techniques = escalations.map((e) => e.technique.id).join(', ');
        edges.push(
          hubs.record(
            escalationEdge(
              member.id,
              target,
              'GcpServiceAccount',
              escalations,
              (g) =>
                g.added
                  ? ROLE_UPDATE_REASON(g)
                  : `${g.member} holds ${g.role} at ${g.at} (${g.permission}), for ${techniques} to ${account.email}`,
              false,
            ),
            escalations.flatMap((e) => e.grants),
            (g) => `${g.member} holds ${g.role} at ${g.at} (${g.permission}), for ${techniques}`,
            place,
            techniques,
          ),
        );
      }
    }
  }
  pushAll(edges, delegationEdges(impersonators, delegators));

  // The hierarchy: roles/owner (ADMINISTERS); otherwise setIamPolicy or a custom role one may update
  // (self-escalation), and the service agents that act for whoever submits to them.
  const containerPermissions = permissionSet('container', CONTAINER_PERMISSIONS);
  for (const container of environment.containers.values()) {
    const target = gcpIds.container(container.name);
    const place = { name: container.name, container: container.name };
    const label = CONTAINER_LABELS[container.kind];
    const technique = SET_IAM_POLICY_TECHNIQUES[container.kind];
    const grants = authorizer.grants({ container: container.name }, containerPermissions);
    findings.push(...orgPolicyFindings(container, grants, node));
    const updates = roleUpdates.escalations(authorizer, { container: container.name }, technique.permission);
    const agents = serviceAgentEscalations(authorizer, container, grants);
    for (const [member, all] of withUpdaters(byMember(grants, node), updates, node)) {
      // roles/owner is the basic role of full control (it holds resourcemanager.projects.setIamPolicy,
      // whichever level it is granted at): its holder administers the level and needs no technique.
      const owner = all.filter((g) => g.role === 'roles/owner');
      if (owner.length > 0) {
        edges.push(
          hubs.record(
            edge(
              'ADMINISTERS',
              member.id,
              target,
              owner,
              (g) => `${g.member} holds roles/owner at ${g.at}, inherited by ${container.name}`,
              {},
              label,
            ),
            owner,
            (g) => `${g.member} holds roles/owner at ${g.at}`,
            place,
          ),
        );
        continue;
      }
      const escalations = setPolicyEscalations(authorizer, container, all);
      const update = updates.get(member.member);
      if (update) escalations.push(update);
      if (escalations.length > 0)
        edges.push(
          hubs.record(
            escalationEdge(
              member.id,
              target,
              label,
              escalations,
              (g) =>
                g.added
                  ? ROLE_UPDATE_REASON(g)
                  : `${g.member} holds ${g.role} at ${g.at}, which includes ${g.permission}: it can grant itself any role on ${container.name}`,
              true,
            ),
            escalations.flatMap((e) => e.grants),
            (g) =>
              `${g.member} holds ${g.role} at ${g.at}, which includes ${g.permission}: it can grant itself any role there and below`,
            place,
          ),
        );
      for (const { agent, technique: agentTechnique, held, agentGrants } of agents) {
        const agentId = gcpIds.serviceAccount(agent);
        const found = techniqueEscalation(
          agentTechnique,
          held.filter((g) => g.member === member.member),
        );
        if (!found || member.id === agentId) continue;
        // The agent is not a collected account (a shared node): the edge belongs to the project.
        edges.push({
          scope: gcpScope(container.name),
          ...escalationEdge(
            member.id,
            agentId,
            'GcpServiceAccount',
            [{ ...found, grants: [...found.grants, ...agentGrants] }],
            (g) =>
              g.member === member.member
                ? `${g.member} holds ${g.role} at ${g.at} (${g.permission}): what it submits runs as ${agent}`
                : `${agent}, the service agent, holds ${g.role} at ${g.at}`,
            false,
          ),
        });
      }
    }
  }
  pushAll(edges, poolProviderEdges(environment, authorizer, edges, node));
  const factored = hubs.factor(edges);

  findings.push(
    ...federationFindings(environment),
    ...deletedMemberFindings(environment),
    ...basicRoleFindings(environment),
  );
  pushAll(issues, authorizer.issues);
  const counts: Record<string, number> = {};
  for (const e of factored.edges) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return {
    edges: factored.edges,
    nodes: factored.nodes,
    findings,
    issues,
    stats: {
      edges: counts,
      grantHubs: factored.nodes.length,
      serviceAccounts: environment.serviceAccounts.length,
      resources: environment.resources.length,
    },
  };
}

/**
 * setIamPolicy on the level or above it: a policy set on a folder or the organization is inherited by
 * everything below (https://cloud.google.com/iam/docs/resource-hierarchy-access-control), so
 * `resourcemanager.folders.setIamPolicy` reaches a folder and what is under it (held on a project only
 * through a folder above it), `resourcemanager.organizations.setIamPolicy` everything.
 */
function setPolicyEscalations(
  authorizer: GcpAuthorizer,
  container: GcpContainer,
  held: Grant[],
): Escalation[] {
  const chain = authorizer.chain(container.name);
  const folderBetween = (at: string) => {
    const from = chain.findIndex((c) => c.name === at);
    return from >= 0 && chain.slice(from).some((c) => c.kind === 'folder');
  };
  const usable = (kind: GcpContainer['kind']) =>
    held.filter(
      (g) =>
        g.permission === SET_IAM_POLICY_TECHNIQUES[kind].permission &&
        (kind !== 'folder' || container.kind === 'folder' || folderBetween(g.at)),
    );
  const levels = (['project', 'folder', 'organization'] as const).filter(
    (kind) => kind !== 'project' || container.kind === 'project',
  );
  return levels
    .filter((kind) => container.kind !== 'organization' || kind === 'organization')
    .map((kind) => techniqueEscalation(SET_IAM_POLICY_TECHNIQUES[kind], usable(kind)))
    .filter((e): e is Escalation => e !== undefined);
}

/** The members holding the permissions, and those who would through a custom role they may update. */
function withUpdaters(
  members: Map<Member, Grant[]>,
  updates: ReadonlyMap<string, Escalation>,
  node: (g: Grant) => Member | undefined,
): Map<Member, Grant[]> {
  const known = new Set([...members.keys()].map((m) => m.member));
  for (const escalation of updates.values()) {
    const added = escalation.grants.find((g) => g.added);
    const member = added && !known.has(added.member) ? node(added) : undefined;
    if (member) members.set(member, []);
  }
  return members;
}

/** A service account as the authorizer asks about it: its project, its own policy, its name for conditions. */
export function serviceAccountTarget(account: GcpServiceAccount): Target {
  const name = `projects/-/serviceAccounts/${account.email}`;
  return {
    container: account.project,
    ...(account.policy
      ? { own: { at: `${account.project}/serviceAccounts/${account.email}`, policy: account.policy } }
      : {}),
    facts: { name, type: 'iam.googleapis.com/ServiceAccount', service: 'iam.googleapis.com' },
  };
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
