import { sameService } from '../../../model/aws/partitions.js';
import type { PrincipalElement } from '../../../model/aws/policy.js';
import type { RequestPrincipal } from './types.js';

/**
 * The `Principal` and `NotPrincipal` elements.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */

/**
 * How a Principal element names the requester, strongest first:
 * - `direct`: the requester itself (`"*"`, the user ARN, the role session ARN, the service, the
 *   federated provider). In its own account such a grant is not limited by a permissions boundary
 *   or a session policy.
 * - `role`: the role ARN of a role session. The grant still passes through the role's boundary
 *   and session policies.
 * - `session-unknown`: names a session of the requester's role whose session name is not known offline.
 * - `account`: the account (`"111122223333"` or `arn:aws:iam::111122223333:root`). This delegates
 *   to the account: the account's own identity policies must allow.
 * - `none`.
 */
export type PrincipalMatch = 'direct' | 'role' | 'session-unknown' | 'account' | 'none';

const RANK: Record<PrincipalMatch, number> = {
  direct: 4,
  role: 3,
  'session-unknown': 2,
  account: 1,
  none: 0,
};

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const SESSION_ARN = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** How one AWS principal value names the requester. */
function awsValueMatch(value: string, principal: RequestPrincipal): PrincipalMatch {
  if (value === '*') return 'direct';
  const isIam = principal.kind === 'user' || principal.kind === 'role' || principal.kind === 'root';
  const account = ACCOUNT_ID.test(value) ? value : ROOT_ARN.exec(value)?.[1];
  if (account !== undefined) return isIam && principal.accountId === account ? 'account' : 'none';
  if (principal.kind === 'role') {
    if (value === principal.arn) return 'role';
    const session = SESSION_ARN.exec(value);
    if (session) {
      if (principal.sessionArn !== undefined) return value === principal.sessionArn ? 'direct' : 'none';
      const roleName = principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
      return session[1] === principal.accountId && session[2] === roleName ? 'session-unknown' : 'none';
    }
    return 'none';
  }
  // IAM user names, and so user ARNs, are case-sensitive.
  return value === principal.arn ? 'direct' : 'none';
}

/** Service names are matched whatever the partition's suffix (`ec2.amazonaws.com.cn` is `ec2.amazonaws.com`). */
function serviceValueMatch(value: string, principal: RequestPrincipal): boolean {
  return principal.kind === 'service' && sameService(principal.service ?? principal.arn, value);
}

function federatedValueMatch(value: string, principal: RequestPrincipal): boolean {
  return principal.kind === 'federated' && (principal.service === value || principal.arn === value);
}

/** The strongest way a Principal element names the requester. */
export function principalMatch(element: PrincipalElement, principal: RequestPrincipal): PrincipalMatch {
  // "Principal": "*" (and {"AWS": "*"}) is everyone, anonymous requests included.
  if (element === '*') return 'direct';
  let best: PrincipalMatch = 'none';
  for (const value of element.AWS ?? []) {
    const match = awsValueMatch(value, principal);
    if (RANK[match] > RANK[best]) best = match;
    if (best === 'direct') return best;
  }
  if (element.Service?.some((v) => serviceValueMatch(v, principal))) return 'direct';
  if (element.Federated?.some((v) => federatedValueMatch(v, principal))) return 'direct';
  if (element.CanonicalUser?.some((v) => v === principal.arn)) return 'direct';
  return best;
}

/** Does a Principal element name the requester (itself, its role, or its account)? */
export function principalMatches(element: PrincipalElement, principal: RequestPrincipal): boolean {
  const match = principalMatch(element, principal);
  return match !== 'none' && match !== 'session-unknown';
}

/**
 * Does a NotPrincipal element exclude the requester? AWS checks each identity of the request in
 * turn (the account, then the user; or the account, the role, then the session), so the
 * requester is excluded only when every one of them is listed: a user needs its account and its
 * ARN, a role session its account and its role (or session) ARN. A principal with a permissions
 * boundary is never excluded from a NotPrincipal Deny (documented AWS behaviour).
 * `undefined`: depends on a session name not known offline.
 */
export function notPrincipalExcludes(
  element: PrincipalElement,
  principal: RequestPrincipal,
): boolean | undefined {
  if (element === '*') return true;
  const matches = (element.AWS ?? []).map((v) => awsValueMatch(v, principal));
  if (matches.includes('direct') && (principal.kind === 'anonymous' || element.AWS?.includes('*')))
    return true;
  switch (principal.kind) {
    case 'service':
      return element.Service?.some((v) => serviceValueMatch(v, principal)) ?? false;
    case 'federated':
      return element.Federated?.some((v) => federatedValueMatch(v, principal)) ?? false;
    case 'anonymous':
      return false;
    case 'root':
      return matches.includes('account');
    case 'user':
      return matches.includes('account') && matches.includes('direct');
    case 'role': {
      if (!matches.includes('account')) return false;
      if (matches.includes('role') || matches.includes('direct')) return true;
      return matches.includes('session-unknown') ? undefined : false;
    }
  }
}
