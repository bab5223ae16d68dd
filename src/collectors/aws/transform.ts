import type { AwsAccountData, AwsEnvironment, CollectionIssue } from '../../model/aws/environment.js';
import { isObj, ScopeReader } from './documents.js';
import { AUTHORIZATION_DETAILS, type AwsRaw, type AwsRawScope } from './raw.js';
import { AWS_SERVICES } from './services/registry.js';
import { addCredentials, identityProviders, transformAuthorizationDetails } from './transform-iam.js';
import { transformOrganization } from './transform-organization.js';

/**
 * The one transform from raw AWS CLI documents (snapshot or live) to the AwsEnvironment the
 * analyzers read. Pure: the same raw data always gives the same environment. Problems never
 * throw: each is an issue naming the file and the object, and everything else is kept.
 */
export function transformAws(raw: AwsRaw): AwsEnvironment {
  const accounts = Object.keys(raw.accounts)
    .sort()
    .map((accountId) => transformAccount(accountId, raw.accounts[accountId] as AwsRawScope));
  const environment: AwsEnvironment = { accounts, issues: [] };
  for (const failure of raw.failures ?? []) {
    environment.issues.push({ severity: 'error', source: 'aws', message: `not collected: ${failure}` });
  }
  if (raw.organization) {
    const reader = new ScopeReader(raw.organization, 'aws/organization');
    const organization = transformOrganization(reader);
    if (organization) environment.organization = organization;
    environment.issues.push(...reader.issues);
  }
  return environment;
}

function transformAccount(accountId: string, scope: AwsRawScope): AwsAccountData {
  const reader = new ScopeReader(scope, `aws/${accountId}`);
  const details = reader.get(AUTHORIZATION_DETAILS);
  if (details === undefined && scope.errors[AUTHORIZATION_DETAILS] === undefined) {
    reader.collected[AUTHORIZATION_DETAILS] = false;
    reader.issue(
      'error',
      reader.file(AUTHORIZATION_DETAILS),
      `the required file is missing: users, groups, roles and policies of account ${accountId} are unknown`,
      accountId,
    );
  }
  const iam = transformAuthorizationDetails(reader, accountId, details ?? {});
  addCredentials(reader, iam.users);
  const providers = identityProviders(reader);
  const resourceContext = {
    reader,
    accountId,
    partition: iam.partition,
    profiles: new Map(iam.instanceProfiles.map((p) => [p.arn, p])),
  };
  // Each service reads its own documents (src/collectors/aws/services/), in registry order.
  const resources = AWS_SERVICES.flatMap((service) => service.transform(resourceContext));

  const account: AwsAccountData = {
    accountId,
    partition: iam.partition,
    users: iam.users,
    roles: iam.roles,
    groups: iam.groups,
    managedPolicies: iam.managedPolicies,
    instanceProfiles: iam.instanceProfiles,
    oidcProviders: providers.oidcProviders,
    samlProviders: providers.samlProviders,
    resources,
    collected: reader.collected,
    issues: reader.issues,
  };
  const alias = accountAlias(reader);
  if (alias) account.alias = alias;
  checkCallerIdentity(reader, accountId);
  return account;
}

function accountAlias(reader: ScopeReader): string | undefined {
  const document = reader.get('iam-list-account-aliases');
  if (document === undefined) {
    reader.missing('iam-list-account-aliases');
    return undefined;
  }
  const aliases = isObj(document) ? document.AccountAliases : undefined;
  return Array.isArray(aliases) && typeof aliases[0] === 'string' ? aliases[0] : undefined;
}

/** The folder name is the account id; a caller identity from another account means a mixed-up snapshot. */
function checkCallerIdentity(reader: ScopeReader, accountId: string): void {
  const identity = reader.get('sts-get-caller-identity');
  if (isObj(identity) && typeof identity.Account === 'string' && identity.Account !== accountId) {
    reader.issue(
      'error',
      reader.file('sts-get-caller-identity'),
      `the folder is account ${accountId} but the documents were collected in account ${identity.Account}`,
      accountId,
    );
  }
}

/** Issues of every account and the organization, in one list (for reports and run records). */
export function allIssues(environment: AwsEnvironment): CollectionIssue[] {
  return [...environment.accounts.flatMap((a) => a.issues), ...environment.issues];
}
