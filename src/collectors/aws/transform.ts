import {
  type AwsAccountData,
  type AwsEnvironment,
  type CollectionIssue,
  emptyAwsAccount,
} from '../../model/aws/environment.js';
import { DEFAULT_PARTITION, partitionOfArn, partitionOfRegion } from '../../model/aws/partitions.js';
import { isObj, ScopeReader } from './documents.js';
import {
  AUTHORIZATION_DETAILS,
  type AwsRaw,
  type AwsRawScope,
  parseDocumentName,
  REGION_PATTERN,
} from './raw.js';
import { eksClusters } from './services/eks.js';
import { AWS_SERVICES, RESOURCE_KINDS } from './services/registry.js';
import type { ResourceContext } from './services/service.js';
import { addCredentials, identityProviders, transformAuthorizationDetails } from './transform-iam.js';
import { transformOrganization } from './transform-organization.js';

export interface TransformOptions {
  /** `--region`: the region of regional files at the top of an account folder. */
  region?: string;
  /** The configured home region (`aws.region`), when neither `--region` nor the snapshot decides. */
  homeRegion?: string;
}

/**
 * The one transform from raw AWS CLI documents (snapshot or live) to the AwsEnvironment the
 * analyzers read. Pure: the same raw data always gives the same environment. Problems never
 * throw: each is an issue naming the file and the object, and everything else is kept.
 */
export function transformAws(raw: AwsRaw, options: TransformOptions = {}): AwsEnvironment {
  const accounts = Object.keys(raw.accounts)
    .sort()
    .map((accountId) => transformAccount(accountId, raw.accounts[accountId] as AwsRawScope, options));
  const environment: AwsEnvironment = { accounts, issues: [] };
  for (const failure of raw.failures ?? []) {
    environment.issues.push({ severity: 'error', source: 'aws', message: `not collected: ${failure}` });
  }
  if (raw.organization) {
    const reader = new ScopeReader(raw.organization, 'aws/organization');
    const organization = reader.guard(reader.folder, () => transformOrganization(reader));
    if (organization) environment.organization = organization;
    environment.issues.push(...reader.issues);
  }
  return environment;
}

function transformAccount(accountId: string, scope: AwsRawScope, options: TransformOptions): AwsAccountData {
  const reader = new ScopeReader(scope, `aws/${accountId}`);
  // A shape problem read outside an object's own guard still names the account folder, never
  // aborts the other accounts; the account is then incomplete.
  return (
    reader.guard(reader.folder, () => readAccount(reader, accountId, scope, options)) ??
    emptyAccount(reader, accountId, fallbackPartition(reader, scope))
  );
}

function readAccount(
  reader: ScopeReader,
  accountId: string,
  scope: AwsRawScope,
  options: TransformOptions,
): AwsAccountData {
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
  const iam = transformAuthorizationDetails(reader, accountId, details, fallbackPartition(reader, scope));
  addCredentials(reader, iam.users);
  const providers = identityProviders(reader, accountId);
  const resourceContext: ResourceContext = {
    reader,
    accountId,
    partition: iam.partition,
    profiles: new Map(iam.instanceProfiles.map((p) => [p.arn, p])),
    kindOf: (type) => RESOURCE_KINDS.get(type)?.kind,
    topRegion: topRegionOf(reader, accountId, options),
  };
  // Each service reads its own documents (src/collectors/aws/services/), in registry order.
  const resources = AWS_SERVICES.flatMap((service) => service.transform(resourceContext));
  const eks = eksClusters(resourceContext);

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
    ...(eks.length > 0 ? { eksClusters: eks } : {}),
    collected: reader.collected,
    issues: reader.issues,
  };
  const alias = accountAlias(reader);
  if (alias) account.alias = alias;
  checkCallerIdentity(reader, accountId);
  return account;
}

/**
 * The account's partition when its IAM documents name none (an account without users, roles or
 * policies): the caller identity's ARN, else the partition of its regional folders, else `aws`.
 */
function fallbackPartition(reader: ScopeReader, scope: AwsRawScope): string {
  const identity = reader.get('sts-get-caller-identity');
  const arn = isObj(identity) && typeof identity.Arn === 'string' ? identity.Arn : undefined;
  const fromIdentity = arn === undefined ? undefined : partitionOfArn(arn);
  if (fromIdentity) return fromIdentity;
  for (const name of [...Object.keys(scope.documents), ...scope.ran]) {
    const { region } = parseDocumentName(name);
    const partition = region === undefined ? undefined : partitionOfRegion(region);
    if (partition) return partition;
  }
  return DEFAULT_PARTITION;
}

function emptyAccount(reader: ScopeReader, accountId: string, partition: string): AwsAccountData {
  return emptyAwsAccount(accountId, { partition, collected: reader.collected, issues: reader.issues });
}

/**
 * The region of regional files at the top of the account folder (hand-made snapshots), for items
 * that carry no ARN to take it from: `--region`, else the account's `ec2-describe-regions.json`
 * when it lists exactly one region, else the configured home region. Which one was used is said
 * once per file (an info issue); when none decides, such items are errors naming the file.
 */
function topRegionOf(
  reader: ScopeReader,
  accountId: string,
  options: TransformOptions,
): (source: string) => string | undefined {
  const decided = decideTopRegion(reader, options);
  const told = new Set<string>();
  return (source) => {
    if (decided && !told.has(source)) {
      told.add(source);
      reader.issue(
        'info',
        source,
        `a regional file at the top of the account folder: its items are taken to be in ${decided.region} (${decided.from})`,
        accountId,
      );
    }
    return decided?.region;
  };
}

function decideTopRegion(
  reader: ScopeReader,
  options: TransformOptions,
): { region: string; from: string } | undefined {
  if (options.region) return { region: options.region, from: 'from --region' };
  const described = reader.peek('ec2-describe-regions');
  const listed =
    isObj(described) && Array.isArray(described.Regions)
      ? described.Regions.map((r) => (isObj(r) ? r.RegionName : undefined)).filter(
          (r): r is string => typeof r === 'string' && REGION_PATTERN.test(r),
        )
      : [];
  if (listed.length === 1)
    return {
      region: listed[0] as string,
      from: `the only region in ${reader.file('ec2-describe-regions')}`,
    };
  if (options.homeRegion)
    return { region: options.homeRegion, from: 'the configured home region, aws.region' };
  return undefined;
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
