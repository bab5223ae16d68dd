import type {
  AwsOrganizationData,
  CollectionIssue,
  OrganizationPolicyData,
} from '../../../model/aws/environment.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';

/**
 * The organization's guardrails as the engine wants them: per account, the SCPs (or RCPs) attached
 * at each level of its path, organization root → OUs → the account. Every level must allow
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 *
 * - SCPs do not restrict principals of the management account, RCPs do not restrict resources in
 *   it (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 * - No organization collected, or no policy of that type collected at all: no layer.
 * - AWS keeps at least one policy attached at every level once a policy type is enabled, so a level
 *   with none means the collected data is incomplete: that level is skipped (it does not restrict)
 *   and an issue names it, rather than denying everything.
 */
export interface OrganizationView {
  /** The SCP chain restricting principals of the account, or undefined when no SCP applies. */
  scpChain(accountId: string): NamedPolicy[][] | undefined;
  /** The RCP chain restricting resources of the account, or undefined when no RCP applies. */
  rcpChain(accountId: string): NamedPolicy[][] | undefined;
  /** `aws:PrincipalOrgID` of the account's principals, when the account is in the organization. */
  orgId(accountId: string): string | undefined;
  /** `aws:PrincipalOrgPaths`: `o-…/r-…/ou-…/` down to the account's parent. */
  orgPaths(accountId: string): string[] | undefined;
  readonly issues: CollectionIssue[];
}

const NO_ORGANIZATION: OrganizationView = {
  scpChain: () => undefined,
  rcpChain: () => undefined,
  orgId: () => undefined,
  orgPaths: () => undefined,
  issues: [],
};

export function organizationView(org: AwsOrganizationData | undefined): OrganizationView {
  if (!org) return NO_ORGANIZATION;
  const issues: CollectionIssue[] = [];
  const reported = new Set<string>();
  const parents = new Map<string, string>();
  for (const ou of org.organizationalUnits) parents.set(ou.id, ou.parentId);
  for (const account of org.accounts) parents.set(account.id, account.parentId);

  /** Root first, the account last; undefined when the account is not in the organization. */
  const pathCache = new Map<string, string[] | undefined>();
  const pathOf = (accountId: string): string[] | undefined => {
    if (pathCache.has(accountId)) return pathCache.get(accountId);
    let path: string[] | undefined;
    if (parents.has(accountId)) {
      path = [accountId];
      const seen = new Set(path);
      let current = parents.get(accountId);
      while (current !== undefined && !seen.has(current)) {
        path.unshift(current);
        seen.add(current);
        current = parents.get(current);
      }
    }
    pathCache.set(accountId, path);
    return path;
  };

  const chainOf = (policies: OrganizationPolicyData[], type: 'SCP' | 'RCP') => {
    const cache = new Map<string, NamedPolicy[][] | undefined>();
    return (accountId: string): NamedPolicy[][] | undefined => {
      if (cache.has(accountId)) return cache.get(accountId);
      let chain: NamedPolicy[][] | undefined;
      const path = pathOf(accountId);
      if (policies.length > 0 && path && accountId !== org.managementAccountId) {
        chain = [];
        for (const target of path) {
          const level = policies.filter((p) => p.targets.includes(target)).map((p) => p.policy);
          if (level.length > 0) chain.push(level);
          else if (!reported.has(`${type}:${target}`)) {
            reported.add(`${type}:${target}`);
            issues.push({
              severity: 'warning',
              source: 'organization',
              object: target,
              message: `no ${type} attached to ${target} (AWS keeps at least one once ${type}s are enabled): the level is treated as not restricting; the ${type} data is probably incomplete`,
            });
          }
        }
      }
      cache.set(accountId, chain);
      return chain;
    };
  };

  return {
    scpChain: chainOf(org.serviceControlPolicies, 'SCP'),
    rcpChain: chainOf(org.resourceControlPolicies, 'RCP'),
    orgId: (accountId) => (pathOf(accountId) ? org.id : undefined),
    orgPaths: (accountId) => {
      const path = pathOf(accountId);
      if (!path) return undefined;
      // The account's own id is not part of the path: it ends with the OU (or root) holding it.
      return [`${[org.id, ...path.slice(0, -1)].join('/')}/`];
    },
    issues,
  };
}
