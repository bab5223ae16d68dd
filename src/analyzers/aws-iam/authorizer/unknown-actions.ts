import type { AwsEnvironment, CollectionIssue } from '../../../model/aws/environment.js';
import { type NamedPolicy, statementLabel } from '../../../model/aws/policy.js';
import { catalogVersion, isCatalogLoaded, isKnownService } from '../catalog.js';

/**
 * Warnings for actions of services the AWS action catalogue does not know (a typo such as
 * `s3:GetObjekt` stays silent: the service is known; `foobarsvc:DoThing` is reported). They are
 * found when the policies are indexed, whether or not such an action is ever asked about, and
 * name the account, the principal or resource holding the policy, the policy and the statement.
 * The statement is kept: its entries still match by name, and the rest is analyzed.
 */
export function unknownActionIssues(env: AwsEnvironment): CollectionIssue[] {
  if (!isCatalogLoaded()) return [];
  const issues: CollectionIssue[] = [];
  const seen = new Set<string>();
  const check = (policy: NamedPolicy, where: string | (() => string), object: string, source: string) => {
    for (const statement of policy.document.Statement)
      for (const [element, actions] of [
        ['Action', statement.Action],
        ['NotAction', statement.NotAction],
      ] as const)
        for (const action of actions ?? []) {
          const service = unknownService(action);
          if (!service) continue;
          const name = statementLabel(statement);
          const key = `${policy.id}\u0000${name}\u0000${action}`;
          if (seen.has(key)) continue;
          seen.add(key);
          issues.push({
            severity: 'warning',
            source,
            object,
            message: `${typeof where === 'string' ? where : where()}: policy ${policy.name} (${policy.id}) statement ${name}: ${element} "${action}" is of service "${service}", which the AWS action catalogue ${catalogVersion()} does not know; it matches by name only, the rest is analyzed`,
          });
        }
  };

  const AUTH = 'iam-get-account-authorization-details';
  for (const account of env.accounts) {
    const at = `account ${account.accountId}`;
    for (const user of account.users)
      for (const p of user.inlinePolicies) check(p, `${at}, user ${user.arn}`, user.arn, AUTH);
    for (const group of account.groups)
      for (const p of group.inlinePolicies) check(p, `${at}, group ${group.arn}`, group.arn, AUTH);
    for (const role of account.roles) {
      for (const p of role.inlinePolicies) check(p, `${at}, role ${role.arn}`, role.arn, AUTH);
      check(role.trustPolicy, `${at}, trust policy of role ${role.arn}`, role.arn, AUTH);
    }
    for (const managed of account.managedPolicies) {
      // Who holds it is looked up only when there is something to report.
      const where = () => {
        const holders = [...account.users, ...account.groups, ...account.roles]
          .filter((h) => h.attachedPolicyArns.includes(managed.arn))
          .map((h) => h.arn);
        const more = holders.length > 3 ? ` and ${holders.length - 3} more` : '';
        const attached =
          holders.length === 0 ? 'not attached' : `attached to ${holders.slice(0, 3).join(', ')}${more}`;
        return `${at}, managed policy ${managed.arn} (${attached})`;
      };
      check(managed.policy, where, managed.arn, AUTH);
    }
    for (const resource of account.resources)
      if (resource.policy)
        check(
          resource.policy,
          `${at}, resource ${resource.arn}`,
          resource.arn,
          `resource policy of ${resource.name}`,
        );
  }
  const org = env.organization;
  if (org)
    for (const { policy } of [...org.serviceControlPolicies, ...org.resourceControlPolicies])
      check(policy, `organization ${org.id}`, policy.id, 'organization');
  return issues;
}

/** The service of an action entry when the catalogue does not know it (and it has no wildcard). */
function unknownService(action: string): string | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0) return undefined;
  const service = action.slice(0, colon);
  if (/[*?]/.test(service) || isKnownService(service)) return undefined;
  return service;
}
