import type {
  AwsAccountData,
  AwsEnvironment,
  AwsRoleData,
  AwsUserData,
  CollectionIssue,
  ManagedPolicyData,
} from '../../../model/aws/environment.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';
import type { PrincipalInfo } from '../types.js';
import type { OrganizationView } from './organization.js';

/**
 * Every IAM user and role of the environment with the policies AWS consults for its requests:
 * its inline and attached managed policies, those of each of its groups (users), and its
 * permissions boundary (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html).
 */
export interface PrincipalRecord {
  info: PrincipalInfo;
  identityPolicies: NamedPolicy[];
  boundary?: NamedPolicy;
  user?: AwsUserData;
  role?: AwsRoleData;
}

export interface PrincipalDirectory {
  records: Map<string, PrincipalRecord>;
  /** Roles by ARN (also reachable through `records`), for trust policies. */
  roles: Map<string, AwsRoleData>;
  /** Managed policies by ARN, across accounts (AWS managed policies appear in each account). */
  managedPolicies: Map<string, ManagedPolicyData>;
  issues: CollectionIssue[];
}

export function principalDirectory(env: AwsEnvironment, org: OrganizationView): PrincipalDirectory {
  const records = new Map<string, PrincipalRecord>();
  const roles = new Map<string, AwsRoleData>();
  const managedPolicies = new Map<string, ManagedPolicyData>();
  const issues: CollectionIssue[] = [];
  for (const account of env.accounts)
    for (const m of account.managedPolicies) if (!managedPolicies.has(m.arn)) managedPolicies.set(m.arn, m);

  for (const account of env.accounts) {
    const groups = new Map(account.groups.map((g) => [g.arn, g]));
    const attached = (owner: string, arns: string[]): NamedPolicy[] =>
      arns.flatMap((arn) => {
        const found = managedPolicies.get(arn);
        if (found) return [found.policy];
        issues.push(missingPolicy(account, owner, arn, 'attached'));
        return [];
      });
    const boundaryOf = (owner: string, arn: string | undefined): NamedPolicy | undefined => {
      if (!arn) return undefined;
      const found = managedPolicies.get(arn);
      if (found) return { ...found.policy, kind: 'permissions-boundary' };
      // Consistent with incomplete SCP data: what was not seen does not restrict, and the issue says so.
      issues.push(missingPolicy(account, owner, arn, 'permissions boundary'));
      return undefined;
    };

    for (const user of account.users) {
      const groupPolicies = user.groupArns.flatMap((groupArn) => {
        const group = groups.get(groupArn);
        if (!group) {
          issues.push({
            severity: 'warning',
            source: 'iam-get-account-authorization-details',
            object: user.arn,
            message: `account ${account.accountId}: user ${user.name} is in group ${groupArn}, which was not collected; its policies are ignored`,
          });
          return [];
        }
        return [...group.inlinePolicies, ...attached(group.arn, group.attachedPolicyArns)];
      });
      const boundary = boundaryOf(user.arn, user.permissionsBoundaryArn);
      records.set(user.arn, {
        info: {
          id: user.arn,
          kind: 'AwsUser',
          accountId: account.accountId,
          request: {
            arn: user.arn,
            kind: 'user',
            accountId: account.accountId,
            tags: user.tags,
            ...(user.uniqueId ? { userId: user.uniqueId } : {}),
            username: user.name,
            ...orgFacts(org, account.accountId),
          },
        },
        identityPolicies: [
          ...user.inlinePolicies,
          ...attached(user.arn, user.attachedPolicyArns),
          ...groupPolicies,
        ],
        ...(boundary ? { boundary } : {}),
        user,
      });
    }

    for (const role of account.roles) {
      roles.set(role.arn, role);
      const boundary = boundaryOf(role.arn, role.permissionsBoundaryArn);
      records.set(role.arn, {
        info: {
          id: role.arn,
          kind: 'AwsRole',
          accountId: account.accountId,
          request: {
            arn: role.arn,
            kind: 'role',
            accountId: account.accountId,
            tags: role.tags,
            // aws:userid of a role session is `<role id>:<session name>`; the session name is the
            // caller's choice, so it stays unknown offline.
            ...orgFacts(org, account.accountId),
            serviceLinked: role.serviceLinked,
            maxSessionSeconds: longestSession(role),
          },
        },
        identityPolicies: [...role.inlinePolicies, ...attached(role.arn, role.attachedPolicyArns)],
        ...(boundary ? { boundary } : {}),
        role,
      });
    }
  }
  return { records, roles, managedPolicies, issues };
}

/**
 * The longest a session of the role can have been issued before now: its MaxSessionDuration for
 * sessions callers request (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration);
 * the 12 hours AWS allows at most when it was not collected, or when a service assumes the role
 * (the credentials a service hands out, to an instance for example, are not bounded by it).
 */
function longestSession(role: AwsRoleData): number {
  const trustsService = role.trustPolicy.document.Statement.some(
    (st) =>
      st.Effect === 'Allow' &&
      st.Principal !== undefined &&
      st.Principal !== '*' &&
      (st.Principal.Service?.length ?? 0) > 0,
  );
  return role.maxSessionDuration === undefined || trustsService
    ? MAX_SESSION_SECONDS
    : role.maxSessionDuration;
}

/** The longest MaxSessionDuration AWS allows. */
const MAX_SESSION_SECONDS = 43_200;

function orgFacts(org: OrganizationView, accountId: string) {
  const orgId = org.orgId(accountId);
  const orgPaths = org.orgPaths(accountId);
  return { ...(orgId ? { orgId } : {}), ...(orgPaths ? { orgPaths } : {}) };
}

function missingPolicy(account: AwsAccountData, owner: string, arn: string, what: string): CollectionIssue {
  return {
    severity: 'warning',
    source: 'iam-get-account-authorization-details',
    object: owner,
    message: `account ${account.accountId}: ${what} policy ${arn} of ${owner} was not collected${
      what === 'attached' ? '; its permissions are ignored' : '; it is treated as not restricting'
    }`,
  };
}
