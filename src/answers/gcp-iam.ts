import { serviceAccountTarget } from '../analyzers/gcp-iam/analyze.js';
import {
  type DenyCheck,
  GcpAuthorizer,
  type Grant,
  type GrantOptions,
  type PermissionSet,
  type Target,
} from '../analyzers/gcp-iam/authorizer.js';
import {
  dataPermissions,
  dataResourceId,
  dataTarget,
  relativeName,
} from '../analyzers/gcp-iam/data-resources.js';
import { GroupMemberships, memberNode } from '../analyzers/gcp-iam/principals.js';
import {
  type GcpEnvironment,
  type GroupMembershipState,
  groupMembershipState,
} from '../model/gcp/environment.js';
import type { ValidInventory } from '../model/validate.js';
import { byKeys } from './answer-shape.js';
import {
  type GcpIamObjects,
  gcpObjects,
  gcpObjectsOfInventory,
  normalMember,
  readGcpObjects,
} from './gcp-iam-objects.js';
import type { GraphReader } from './graph-reader.js';

/**
 * The GCP authorization questions, answered by the one GCP authorizer (analyzers/gcp-iam/) over the
 * stored policies: who holds a permission on a resource (`who-can`), and what one principal holds
 * there (`can-i`). The decision is the analysis's own: allow policies inherited from the
 * organization down, deny rules first, conditions in three values, group membership where the graph
 * knows it (https://cloud.google.com/iam/docs/policy-evaluation). It is made when the question is
 * asked, as of `asOf` (`request.time` in conditions).
 */

export type GroupMembershipAnswer = GroupMembershipState | 'unknown';

/** One binding that grants the permission, and what deny rules and conditions made of it. */
export interface GcpGrantEvidence {
  role: string;
  /** Where the binding is attached: `organizations/1`, `folders/2`, `projects/p`, or the resource. */
  at: string;
  /** The policy's file or API call, and the binding's index in it. */
  source: string;
  binding: number;
  /** The member as the binding names it (the principal, or a group it is in). */
  member: string;
  /** The group of the binding the principal is a member of; null when the binding names it. */
  through: string | null;
  /** Undecided conditions (the binding's, deny rules that may apply): the grant is conditional. */
  conditions: string[];
  /** A deny rule takes this grant away. */
  denied: boolean;
  /** Every deny rule that denies the permission, and what it did to this grant (and why). */
  deny: DenyCheck[];
}

/** A principal and one permission on the resource, decided. */
export interface GcpAccessAnswer {
  /** The resource's full name (https://cloud.google.com/iam/docs/full-resource-names). */
  resource: string;
  permission: string;
  /** As bindings name it: `user:a@example.com`, `serviceAccount:…`, `group:…`, `allUsers`, `principalSet://…`. */
  principal: string;
  /** Its node in the graph, when reachgraph names it as one. */
  id: string | null;
  kind: string | null;
  /**
   * For a group: what is known of its members, who hold the permission through it
   * (https://cloud.google.com/iam/docs/principals-overview#google-group). `complete`: every member,
   * nested groups' too, is listed among the answers; `partial`: some are known, not all (a member
   * could not be named, a nested group is not known in full, or MEMBER_OF edges with no listing); `unreadable`: the listing was refused; `unknown`: not collected. Only
   * `complete` means the group has no members beyond those answered. Null for other principals.
   */
  membership: GroupMembershipAnswer | null;
  /** `allowed`: a grant holds without undecided conditions; `conditional`: only under them; `denied`: every grant is taken away. */
  decision: 'allowed' | 'conditional' | 'denied';
  grants: GcpGrantEvidence[];
}

export interface GcpWhoCanOptions {
  permission: string;
  /** A full resource name, a short form (`projects/p`, `gs://b`, a service account's email) or a node id. */
  resource: string;
  asOf?: Date;
}

export interface GcpCanIOptions {
  /** `user:…`, `serviceAccount:…`, `group:…`, or an email (a service account's when it ends in gserviceaccount.com). */
  as: string;
  resource: string;
  /** One permission; without it, every permission the principal holds there. */
  permission?: string;
  asOf?: Date;
}

/** The resource a question is about, as the authorizer asks about it. */
interface Resolved {
  name: string;
  target: Target;
  /** The permissions that act on it (the can-i listing): all for a container, which holds every kind. */
  applicable: PermissionSet;
}

const PERMISSION = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+){2}$/;

export class GcpIamQueries {
  constructor(private readonly objects: GcpIamObjects) {}

  static async fromGraph(reader: GraphReader): Promise<GcpIamQueries> {
    return new GcpIamQueries(gcpObjects(await readGcpObjects(reader)));
  }

  static fromInventory(valid: ValidInventory): GcpIamQueries {
    return new GcpIamQueries(gcpObjects(gcpObjectsOfInventory(valid)));
  }

  /** Every principal the permission is granted to on the resource (denied ones too, with the rule). */
  whoCan(options: GcpWhoCanOptions): GcpAccessAnswer[] {
    const permission = checkPermission(options.permission);
    const resource = this.resolve(options.resource);
    const grants = this.grants(resource, single(permission), options.asOf);
    return answers(resource.name, grants, (g) => normalMember(g.member), this.membership());
  }

  /** What one principal holds on the resource: through its own bindings, its groups, public and domain members. */
  canI(options: GcpCanIOptions): GcpAccessAnswer[] {
    const principal = principalOf(options.as);
    const resource = this.resolve(options.resource);
    const wanted = options.permission ? single(checkPermission(options.permission)) : resource.applicable;
    const grants = this.grants(resource, wanted, options.asOf, { principal, in: partOf(principal) }).filter(
      (g) => normalMember(g.member) === principal,
    );
    return answers(resource.name, grants, (g) => g.permission, this.membership());
  }

  /** What is known of a group principal's members; null for other principals. */
  private membership(): (principal: string) => GroupMembershipAnswer | null {
    const groups = this.objects.environment.groups;
    const memberships = new GroupMemberships(groups);
    return (principal) => {
      const email = /^group:(.+)$/.exec(principal)?.[1];
      if (!email) return null;
      const own = groups?.get(email.toLowerCase());
      if (!own) return 'unknown';
      const state = groupMembershipState(own);
      // A complete listing whose nested groups are not all known is partial as a whole.
      return state === 'complete' && !memberships.knowsAllMembers(email) ? 'partial' : state;
    };
  }

  private grants(
    resource: Resolved,
    wanted: PermissionSet,
    asOf: Date | undefined,
    as?: GrantOptions['as'],
  ): Grant[] {
    const authorizer = new GcpAuthorizer(this.objects.environment, asOf ?? new Date());
    return authorizer.grants(resource.target, wanted, { explain: true, ...(as ? { as } : {}) });
  }

  /** A full resource name, a short form or a node id → the collected resource it names. */
  private resolve(text: string): Resolved {
    const environment = this.objects.environment;
    const value = text.trim();
    const crm =
      /^(?:\/\/cloudresourcemanager\.googleapis\.com\/|gcp:)?((?:organizations|folders|projects)\/[^/\s]+)$/.exec(
        value,
      )?.[1];
    if (crm) {
      const container =
        environment.containers.get(crm) ??
        [...environment.containers.values()].find((c) => `projects/${c.projectNumber}` === crm);
      if (container)
        return {
          name: `//cloudresourcemanager.googleapis.com/${container.name}`,
          target: { container: container.name },
          applicable: ANY,
        };
    }
    const email =
      /^(?:\/\/iam\.googleapis\.com\/)?projects\/[^/]+\/serviceAccounts\/([^/\s]+@[^/\s]+)$/.exec(
        value,
      )?.[1] ?? /^(?:serviceAccount:|gcp:sa:)?([^/\s:]+@[^/\s]+)$/.exec(value)?.[1];
    if (email) {
      const account = environment.serviceAccounts.find((a) => a.email.toLowerCase() === email.toLowerCase());
      if (account)
        return {
          name: `//iam.googleapis.com/projects/${account.project.slice('projects/'.length)}/serviceAccounts/${account.email}`,
          target: serviceAccountTarget(account),
          applicable: SERVICE_ACCOUNT,
        };
    }
    const bucket = /^gs:\/\/([^/\s]+)\/?$/.exec(value)?.[1];
    const wantedName = bucket ? `//storage.googleapis.com/projects/_/buckets/${bucket}` : value;
    const resource = environment.resources.find(
      (r) =>
        r.fullName === wantedName ||
        relativeName(r.fullName) === wantedName ||
        dataResourceId(r) === wantedName ||
        withProjectId(environment, relativeName(r.fullName)) === wantedName,
    );
    if (resource)
      return {
        name: resource.fullName,
        target: dataTarget(resource),
        applicable: dataPermissions(resource.kind),
      };
    throw new Error(
      `no collected GCP resource "${text}": give an organization, folder or project (organizations/N, folders/N, projects/ID or its full name //cloudresourcemanager.googleapis.com/…), a service account (its email or //iam.googleapis.com/projects/P/serviceAccounts/EMAIL), or a collected bucket, dataset, secret, key or topic (its full resource name, its relative name, or gs://BUCKET)`,
    );
  }
}

/** `projects/123456789012/secrets/s` → `projects/<project id>/secrets/s`, as gcloud users name it. */
function withProjectId(environment: GcpEnvironment, relative: string): string {
  const number = /^projects\/(\d+)\//.exec(relative)?.[1];
  if (!number) return relative;
  const project = [...environment.containers.values()].find((c) => c.projectNumber === number);
  return project ? relative.replace(`projects/${number}/`, `${project.name}/`) : relative;
}

function checkPermission(permission: string): string {
  if (!PERMISSION.test(permission))
    throw new Error(
      `"${permission}" is not a GCP permission: expected SERVICE.RESOURCE.VERB, such as storage.objects.get`,
    );
  return permission;
}

function single(permission: string): PermissionSet {
  return { key: `permission:${permission}`, has: (p) => p === permission };
}

const ANY: PermissionSet = { key: 'any', has: () => true };
// https://cloud.google.com/iam/docs/service-account-permissions
const SERVICE_ACCOUNT: PermissionSet = {
  key: 'service-account',
  has: (p) => p.startsWith('iam.serviceAccounts.') || p.startsWith('iam.serviceAccountKeys.'),
};

/** `--as`, in the binding form the authorizer compares (emails lower-case). */
function principalOf(as: string): string {
  const value = as.trim();
  const named = value.includes(':')
    ? value
    : /@.*\.gserviceaccount\.com$/i.test(value)
      ? `serviceAccount:${value}`
      : `user:${value}`;
  const principal = normalMember(named);
  const node = memberNode(principal);
  if (!node || node === 'deleted')
    throw new Error(
      `--as: "${as}" is not a principal: give user:EMAIL, serviceAccount:EMAIL, group:EMAIL, domain:DOMAIN, allUsers, allAuthenticatedUsers, principal://… or principalSet://…`,
    );
  return principal;
}

/**
 * Besides its groups (the collected membership the authorizer expands), the principal asked about
 * is part of `allUsers`, of `allAuthenticatedUsers` (any Google account or service account) and,
 * for an account, of the `domain:` of its email
 * (https://cloud.google.com/iam/docs/principal-identifiers): the grants of those are its own, each
 * decided for it (deny rules naming it apply).
 */
function partOf(principal: string): (member: string) => boolean {
  const account = /^(user|serviceAccount|group):[^@]+@(.+)$/.exec(principal);
  return (member) => {
    const m = normalMember(member);
    if (m === 'allUsers') return principal !== 'allUsers';
    if (m === 'allAuthenticatedUsers') return account !== null && account[1] !== 'group' && principal !== m;
    return m.startsWith('domain:') && account?.[1] === 'user' && m === `domain:${account[2]}`;
  };
}

/** Grants grouped by principal (who-can) or by permission (can-i), each decided. */
function answers(
  resource: string,
  grants: Grant[],
  key: (g: Grant) => string,
  membership: (principal: string) => GroupMembershipAnswer | null,
): GcpAccessAnswer[] {
  const byKey = new Map<string, Grant[]>();
  for (const g of grants) byKey.set(key(g), [...(byKey.get(key(g)) ?? []), g]);
  const out: GcpAccessAnswer[] = [];
  for (const held of byKey.values()) {
    const first = held[0] as Grant;
    const principal = normalMember(first.member);
    const node = memberNode(principal);
    const live = held.filter((g) => !g.denied);
    out.push({
      resource,
      permission: first.permission,
      principal,
      id: node && node !== 'deleted' ? node.id : null,
      kind: node && node !== 'deleted' ? node.kind : null,
      membership: membership(principal),
      decision: live.some((g) => g.conditions.length === 0)
        ? 'allowed'
        : live.length > 0
          ? 'conditional'
          : 'denied',
      grants: held.map((g) => ({
        role: g.role,
        at: g.at,
        source: g.source,
        binding: g.binding,
        member: g.through ?? g.member,
        through: g.through ?? null,
        conditions: g.conditions,
        denied: g.denied === true,
        deny: g.deny ?? [],
      })),
    });
  }
  return out.sort(accessOrder);
}

const DECISIONS = { allowed: '0', conditional: '1', denied: '2' };
const accessOrder = byKeys<GcpAccessAnswer>(
  (a) => DECISIONS[a.decision],
  (a) => a.principal,
  (a) => a.permission,
);
