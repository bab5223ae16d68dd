import { gcpIds } from '../../model/gcp/ids.js';
import type { NodeKind } from '../../model/node-kinds.js';

/**
 * Members of allow-policy bindings (https://cloud.google.com/iam/docs/principal-identifiers) and the
 * node each one becomes. A member reachgraph cannot name as a node (a GKE workload's
 * `PROJECT.svc.id.goog[NS/KSA]`, the legacy `projectOwner:` convenience values) is `undefined` and
 * reported by the caller; a `deleted:` member grants nothing
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
  if (!EMAIL.test(value) && type !== 'domain') return undefined;
  switch (type) {
    case 'user':
      return { member, id: gcpIds.user(value), kind: 'GcpUser', nonHuman: false };
    case 'serviceAccount':
      // `PROJECT.svc.id.goog[NS/KSA]` is a Kubernetes service account (GKE Workload Identity), not a node of GCP.
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
 * Whether a deny policy's principal identifier (v2 form,
 * https://cloud.google.com/iam/docs/principal-identifiers#v2) covers an allow-policy member. Group
 * membership is not collected: a denied group covers its members, so for a user, service account or
 * group member it is undecided unless it is that group itself; a Workspace customer covers its users
 * and groups (undecided for them).
 */
export function denyPrincipalCovers(identifier: string, member: string): Match {
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
    return type === 'user' || type === 'serviceAccount' || type === 'group' ? 'undecided' : false;
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
