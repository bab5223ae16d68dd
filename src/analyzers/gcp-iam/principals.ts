import type { GcpGroupMembership } from '../../model/gcp/environment.js';
import { gcpIds } from '../../model/gcp/ids.js';
import type { NodeKind } from '../../model/node-kinds.js';

/**
 * Members of allow-policy bindings (https://cloud.google.com/iam/docs/principal-identifiers) and the
 * node each one becomes. A GKE workload's `serviceAccount:PROJECT.svc.id.goog[NS/KSA]` is a subject of
 * the project's Google-managed workload identity pool
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity), so it is a
 * `GcpPrincipalSet` like the `principal://` form of the same subject; the cross-provider rule
 * gke-workload-identity joins it to the Kubernetes service account. A member reachgraph cannot name
 * as a node (the legacy `projectOwner:` convenience values) is `undefined` and reported by the
 * caller; a `deleted:` member grants nothing
 * (https://cloud.google.com/iam/docs/policies#handle-deleted-principals).
 */
export interface Member {
  /** As the binding writes it. */
  member: string;
  id: string;
  kind: NodeKind;
  nonHuman: boolean;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** `PROJECT.svc.id.goog[NS/KSA]`: a Kubernetes service account in GKE's workload pool. */
export const GKE_WORKLOAD_MEMBER = /^([^\s[\]]+\.svc\.id\.goog)\[([^\]\s/]+)\/([^\]\s/]+)\]$/;

export function memberNode(member: string): Member | 'deleted' | undefined {
  if (member.startsWith('deleted:')) return 'deleted';
  if (member === 'allUsers' || member === 'allAuthenticatedUsers')
    return { member, id: gcpIds.public(member), kind: 'Public', nonHuman: false };
  const colon = member.indexOf(':');
  const type = member.slice(0, colon);
  const value = member.slice(colon + 1);
  if (type === 'principal' || type === 'principalSet')
    return /^principal(Set)?:\/\/\S+$/.test(member)
      ? { member, id: gcpIds.principalSet(member), kind: 'GcpPrincipalSet', nonHuman: true }
      : undefined;
  if (
    !EMAIL.test(value) &&
    type !== 'domain' &&
    !(type === 'serviceAccount' && GKE_WORKLOAD_MEMBER.test(value))
  )
    return undefined;
  switch (type) {
    case 'user':
      return { member, id: gcpIds.user(value), kind: 'GcpUser', nonHuman: false };
    case 'serviceAccount':
      if (GKE_WORKLOAD_MEMBER.test(value))
        return { member, id: gcpIds.principalSet(member), kind: 'GcpPrincipalSet', nonHuman: true };
      return value.includes('[')
        ? undefined
        : { member, id: gcpIds.serviceAccount(value), kind: 'GcpServiceAccount', nonHuman: true };
    case 'group':
      return { member, id: gcpIds.group(value), kind: 'GcpGroup', nonHuman: false };
    case 'domain':
      return /^[a-z0-9.-]+$/i.test(value)
        ? { member, id: gcpIds.domain(value), kind: 'GcpDomain', nonHuman: false }
        : undefined;
    default:
      return undefined;
  }
}

export type Match = boolean | 'undecided';

/**
 * Collected Cloud Identity group memberships: who is in a group, directly or through nested groups
 * (https://cloud.google.com/identity/docs/groups#nested_groups: a member of a nested group is a
 * member of the groups that contain it, and IAM grants to a group reach all of them,
 * https://cloud.google.com/iam/docs/principals-overview#google-group). A group whose membership is
 * not collected has unknown members.
 */
export class GroupMemberships {
  private readonly groups: ReadonlyMap<string, GcpGroupMembership>;
  private readonly expanded = new Map<
    string,
    { members: { member: string; via: string[] }[]; complete: boolean }
  >();

  constructor(groups?: ReadonlyMap<string, GcpGroupMembership>) {
    this.groups = groups ?? new Map();
  }

  membership(group: string): GcpGroupMembership | undefined {
    return this.groups.get(group.toLowerCase());
  }

  /**
   * Every member of `group`, nested groups followed, with the chain of groups it is a member
   * through (`[group]` for a direct member or any member of a transitive listing). Empty when the
   * membership is not collected.
   */
  membersOf(group: string): readonly { member: string; via: string[] }[] {
    return this.expand(group).members;
  }

  /**
   * Whether every member of `group` is known: its listing, and those of the nested groups it names
   * (unless it is transitive), were collected complete. False for a group not collected.
   */
  knowsAllMembers(group: string): boolean {
    const key = group.toLowerCase();
    return this.groups.has(key) && this.expand(key).complete;
  }

  /**
   * Whether `member` (`user:`, `serviceAccount:`, `group:`) is in `group`: decided when the group's
   * membership is collected and so are the nested groups it would be found through; undecided when a
   * nested group's own members are not known, or the group's membership is not collected at all.
   */
  covers(group: string, member: string): Match {
    const key = group.toLowerCase();
    const wanted = member.toLowerCase();
    if (wanted === `group:${key}`) return true;
    if (!this.groups.has(key)) return 'undecided';
    const { members, complete } = this.expand(key);
    if (members.some((m) => m.member.toLowerCase() === wanted)) return true;
    return complete ? false : 'undecided';
  }

  private expand(group: string) {
    const key = group.toLowerCase();
    const cached = this.expanded.get(key);
    if (cached) return cached;
    const members = new Map<string, { member: string; via: string[] }>();
    const seen = new Set<string>();
    let complete = true;
    const walk = (email: string, via: string[]) => {
      const listing = this.groups.get(email);
      if (seen.has(email)) return;
      seen.add(email);
      if (!listing?.complete) complete = false;
      if (!listing) return;
      for (const member of listing.members) {
        if (!members.has(member.toLowerCase())) members.set(member.toLowerCase(), { member, via });
        const nested = /^group:(.+)$/.exec(member)?.[1]?.toLowerCase();
        // A transitive listing already holds its nested groups' members.
        if (nested && !listing.transitive) walk(nested, [...via, nested]);
      }
    };
    walk(key, [key]);
    const result = { members: [...members.values()], complete };
    this.expanded.set(key, result);
    return result;
  }
}

/**
 * Whether a deny policy's principal identifier (v2 form,
 * https://cloud.google.com/iam/docs/principal-identifiers#v2) covers an allow-policy member. A denied
 * group covers its members: decided from the collected membership (`groups`), otherwise undecided
 * for a user, service account or group member unless it is that group itself; a Workspace customer
 * covers its users and groups (undecided for them).
 */
export function denyPrincipalCovers(identifier: string, member: string, groups?: GroupMemberships): Match {
  if (identifier === 'principalSet://goog/public:all') return true;
  const [type, value = ''] = splitMember(member);
  if (identifier === member) return true;
  const subject = /^principal:\/\/goog\/subject\/(.+)$/.exec(identifier)?.[1];
  if (subject) return type === 'user' && value.toLowerCase() === subject.toLowerCase();
  const sa = /^principal:\/\/iam\.googleapis\.com\/projects\/-\/serviceAccounts\/(.+)$/.exec(identifier)?.[1];
  if (sa) return type === 'serviceAccount' && value.toLowerCase() === sa.toLowerCase();
  const group = /^principalSet:\/\/goog\/group\/(.+)$/.exec(identifier)?.[1];
  if (group) {
    if (type === 'group' && value.toLowerCase() === group.toLowerCase()) return true;
    if (type !== 'user' && type !== 'serviceAccount' && type !== 'group') return false;
    return groups ? groups.covers(group, member) : 'undecided';
  }
  if (identifier.startsWith('principalSet://goog/cloudIdentityCustomerId/'))
    return type === 'user' || type === 'group' || type === 'domain' ? 'undecided' : false;
  // A pool (`…/workloadIdentityPools/P/*`) covers its subjects and attribute sets; another attribute set is undecided.
  if (
    identifier.startsWith('principalSet://iam.googleapis.com/') &&
    (type === 'principal' || type === 'principalSet')
  ) {
    const pool = /^principalSet:\/\/(iam\.googleapis\.com\/.+\/workloadIdentityPools\/[^/]+)\/\*$/.exec(
      identifier,
    )?.[1];
    const memberPool =
      /^principal(?:Set)?:\/\/(iam\.googleapis\.com\/.+\/workloadIdentityPools\/[^/]+)\//.exec(member)?.[1];
    if (pool) return pool === memberPool;
    return memberPool !== undefined && identifier.includes(memberPool) ? 'undecided' : false;
  }
  return false;
}

function splitMember(member: string): [string, string?] {
  const colon = member.indexOf(':');
  return colon < 0 ? [member] : [member.slice(0, colon), member.slice(colon + 1)];
}

/**
 * Deny policies name permissions in their v2 form, `SERVICE_FQDN/RESOURCE.ACTION`
 * (`iam.googleapis.com/roles.create` is `iam.roles.create`), with `*` for any resource type or action
 * (https://cloud.google.com/iam/docs/deny-permissions-support). A matcher of v1 names.
 */
/** Services whose v1 permission prefix is not their API host's first label. */
const V2_SERVICES: Readonly<Record<string, string>> = {
  // `cloudresourcemanager.googleapis.com/projects.setIamPolicy` is `resourcemanager.projects.setIamPolicy`
  // (https://cloud.google.com/iam/docs/deny-permissions-support).
  cloudresourcemanager: 'resourcemanager',
};

export function v2PermissionMatcher(v2: string): (permission: string) => boolean {
  const slash = v2.indexOf('/');
  if (v2 === '*') return () => true;
  if (slash < 0) return (p) => p === v2;
  const host = v2.slice(0, slash).split('.')[0] as string;
  const service = V2_SERVICES[host] ?? host;
  const rest = v2.slice(slash + 1);
  if (rest === '*') return (p) => p.startsWith(`${service}.`);
  const pattern = new RegExp(
    `^${[service, ...rest.split('.')].map((part) => (part === '*' ? '[^.]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('\\.')}$`,
  );
  return (p) => pattern.test(p);
}
