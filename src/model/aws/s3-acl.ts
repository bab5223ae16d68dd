/**
 * S3 access control lists as the collector records them and the analyzer reads them: each grant of
 * a bucket's ACL (`s3api get-bucket-acl`) as one string of the bucket's `aclGrants` attribute,
 * `<grantee> <permission>`, so the graph shows them too.
 * Grantees and permissions: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 */

export const ACL_PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'] as const;
export type AclPermission = (typeof ACL_PERMISSIONS)[number];

/** S3's predefined groups, by the URI that names them in a grant. */
const GROUPS = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
  'http://acs.amazonaws.com/groups/s3/LogDelivery': 'LogDelivery',
} as const;
export type AclGroup = (typeof GROUPS)[keyof typeof GROUPS];

/**
 * Who a grant is to: a predefined group, the bucket owner (its canonical user id is the ACL's
 * `Owner.ID`), another canonical user (another account), an e-mail address (kept out: personal
 * data), or a group S3 does not predefine (by URI).
 */
export type AclGrantee =
  | { kind: 'group'; group: AclGroup }
  | { kind: 'owner' }
  | { kind: 'canonical-user'; id: string }
  | { kind: 'email' }
  | { kind: 'other-group'; uri: string };

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** The group a URI names, if S3 predefines it. */
export function aclGroup(uri: string): AclGroup | undefined {
  return (GROUPS as Record<string, AclGroup>)[uri];
}

export function isAclPermission(value: string): value is AclPermission {
  return (ACL_PERMISSIONS as readonly string[]).includes(value);
}

/** `AllUsers READ`, `owner FULL_CONTROL`, `canonical-user:<id> WRITE`, `email READ`, `group:<uri> READ`. */
export function formatAclGrant(grant: AclGrant): string {
  return `${granteeText(grant.grantee)} ${grant.permission}`;
}

export function granteeText(grantee: AclGrantee): string {
  switch (grantee.kind) {
    case 'group':
      return grantee.group;
    case 'owner':
      return 'owner';
    case 'email':
      return 'email';
    case 'canonical-user':
      return `canonical-user:${grantee.id}`;
    case 'other-group':
      return `group:${grantee.uri}`;
  }
}

/** The grant a `formatAclGrant` string stands for; undefined for anything else. */
export function parseAclGrant(text: string): AclGrant | undefined {
  const space = text.lastIndexOf(' ');
  if (space < 0) return undefined;
  const who = text.slice(0, space);
  const permission = text.slice(space + 1);
  if (!isAclPermission(permission)) return undefined;
  const grantee = parseGrantee(who);
  return grantee ? { grantee, permission } : undefined;
}

function parseGrantee(text: string): AclGrantee | undefined {
  if (text === 'owner') return { kind: 'owner' };
  if (text === 'email') return { kind: 'email' };
  if (text.startsWith('canonical-user:')) return { kind: 'canonical-user', id: text.slice(15) };
  if (text.startsWith('group:')) return { kind: 'other-group', uri: text.slice(6) };
  const group = Object.values(GROUPS).find((g) => g === text);
  return group ? { kind: 'group', group } : undefined;
}
