import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { DEFAULT_PARTITION, homeRegion, partitionOfArn } from '../../model/aws/partitions.js';
import { eachLimit, mapLimit } from '../../util/pool.js';
import {
  allPages,
  decodeAuthorizationDetails,
  errorMessage,
  errorName,
  record,
  sleep,
} from './live-calls.js';
import {
  AUTHORIZATION_DETAILS,
  type AwsRaw,
  type AwsRawScope,
  CREDENTIAL_REPORT,
  canonicalScope,
  emptyScope,
  perResource,
} from './raw.js';
import { AWS_SERVICES } from './services/registry.js';
import { type AwsCredentials, type ClientSettings, ids, liveContext } from './services/service.js';

/**
 * The live source: the same documents the snapshot script writes, fetched with the AWS SDK v3.
 * Read-only calls only (docs/permissions.md lists them); every list is paginated with the SDK's
 * paginators and throttling is retried by the SDK's adaptive retry strategy. A failed call is
 * recorded under the document's name and collection goes on.
 *
 * Per-resource calls (a bucket's policy, a user's keys, a queue's attributes…) go through a bounded
 * pool, `concurrency` in flight per service and region, and `REGIONS_AT_ONCE` regions are collected
 * at once. What is collected does not depend on the order calls finish in: every document is
 * stored under its own name and the scope is put in canonical order at the end.
 */

/** Per-resource calls in flight at once, per service and region, unless `concurrency` says. */
export const DEFAULT_CONCURRENCY = 8;
/** Attempts per call, throttling included, unless `maxAttempts` says. */
export const DEFAULT_MAX_ATTEMPTS = 10;
/**
 * Regions collected at once. API rate limits are per account, region and API
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html), so regions do not
 * share a budget; a small bound keeps the sockets and memory of one run modest.
 */
export const REGIONS_AT_ONCE = 4;
export interface LiveOptions {
  /** A profile of the shared AWS config/credentials files; default: the default credential chain. */
  profile?: string;
  /** Roles to assume, one per account to collect; default: the account of the credentials themselves. */
  roleArns?: string[];
  /** Home region for global services and STS; also the only region collected unless `regions` is set. */
  region?: string;
  /** Regions to collect regional services in; default `[region]` if set, else every enabled region. */
  regions?: string[];
  /** A custom endpoint for every service (e.g. a local stand-in). */
  endpoint?: string;
  /** Explicit credentials instead of the profile or the default chain. */
  credentials?: AwsCredentials;
  /** Attempts per call, throttling included (default `DEFAULT_MAX_ATTEMPTS`). */
  maxAttempts?: number;
  /** Per-resource calls in flight at once, per service and region (default `DEFAULT_CONCURRENCY`). */
  concurrency?: number;
  onProgress?: (message: string) => void;
}

interface Target {
  label: string;
  credentials: AwsCredentials;
}

export async function getAwsLive(options: LiveOptions = {}): Promise<AwsRaw> {
  // IAM and STS answer in the partition's home region: a GovCloud or China role ARN says which.
  const rolePartition = options.roleArns?.[0] ? partitionOfArn(options.roleArns[0]) : undefined;
  const home = options.region ?? homeRegion(rolePartition ?? DEFAULT_PARTITION);
  const base =
    options.credentials ??
    (options.profile ? fromIni({ profile: options.profile }) : fromNodeProviderChain());
  const targets: Target[] = options.roleArns?.length
    ? options.roleArns.map((roleArn) => ({
        label: roleArn,
        credentials: fromTemporaryCredentials({
          masterCredentials: base,
          params: { RoleArn: roleArn, RoleSessionName: 'reachgraph-collector' },
          clientConfig: { region: home, ...(options.endpoint ? { endpoint: options.endpoint } : {}) },
        }),
      }))
    : [{ label: options.profile ? `profile ${options.profile}` : 'default credentials', credentials: base }];

  const raw: AwsRaw = { accounts: {} };
  const failures: string[] = [];
  for (const target of targets) {
    try {
      const { accountId, scope } = await collectAccount(target, options, home);
      raw.accounts[accountId] = scope;
      if (!raw.organization) {
        const organization = await collectOrganization(target, options, home);
        if (organization) raw.organization = organization;
      }
    } catch (error) {
      failures.push(`${target.label}: ${errorMessage(error)}`);
      options.onProgress?.(`cannot collect ${target.label}: ${errorMessage(error)}`);
    }
  }
  if (Object.keys(raw.accounts).length === 0) {
    throw new Error(`AWS collection failed for every account: ${failures.join('; ')}`);
  }
  if (failures.length) raw.failures = failures;
  return raw;
}

function clientConfig(target: Target, options: LiveOptions, region: string): ClientSettings {
  return {
    region,
    credentials: target.credentials,
    // Adaptive retry: exponential backoff with jitter on throttling and transient errors, plus a
    // client-side rate limiter that slows the client's calls once it is throttled
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

async function collectAccount(
  target: Target,
  options: LiveOptions,
  home: string,
): Promise<{ accountId: string; scope: AwsRawScope }> {
  const scope = emptyScope();
  const config = clientConfig(target, options, home);
  const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
  const accountId = identity.Account;
  if (!accountId) throw new Error('sts:GetCallerIdentity returned no account');
  await record(scope, 'sts-get-caller-identity', async () => identity);
  const progress = (message: string) => options.onProgress?.(`account ${accountId}: ${message}`);
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;

  progress('IAM');
  await collectIam(new IAMClient(config), scope, limit);
  const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
  for (const service of AWS_SERVICES.filter((s) => s.placement === 'account')) {
    progress(service.name);
    await service.collect(liveContext(scope, config, { ...endpoint, accountId, limit }));
  }

  const regions =
    options.regions ??
    (options.region ? [options.region] : await enabledRegions(target, options, home, scope));
  await eachLimit(regions, REGIONS_AT_ONCE, async (region) => {
    progress(`region ${region}`);
    const regionConfig = clientConfig(target, options, region);
    for (const service of AWS_SERVICES.filter((s) => s.placement === 'region'))
      await service.collect(liveContext(scope, regionConfig, { ...endpoint, accountId, region, limit }));
  });
  return { accountId, scope: canonicalScope(scope) };
}

async function enabledRegions(
  target: Target,
  options: LiveOptions,
  home: string,
  scope: AwsRawScope,
): Promise<string[]> {
  const document = await record(scope, 'ec2-describe-regions', () =>
    new EC2Client(clientConfig(target, options, home)).send(new DescribeRegionsCommand({})),
  );
  const names = ((document as { Regions?: { RegionName?: string }[] } | undefined)?.Regions ?? [])
    .map((r) => r.RegionName)
    .filter((r): r is string => typeof r === 'string')
    .sort();
  return names.length ? names : [home];
}

async function collectIam(iam: IAMClient, scope: AwsRawScope, limit: number): Promise<void> {
  const details = (await record(scope, AUTHORIZATION_DETAILS, async () =>
    decodeAuthorizationDetails(await allPages(paginateGetAccountAuthorizationDetails({ client: iam }, {}))),
  )) as { UserDetailList?: { UserName?: string }[] } | undefined;
  await record(scope, 'iam-list-account-aliases', () => iam.send(new ListAccountAliasesCommand({})));
  await record(scope, CREDENTIAL_REPORT, () => credentialReport(iam));

  const users = (details?.UserDetailList ?? []).map((u) => u.UserName).filter((n): n is string => Boolean(n));
  scope.ran.push('iam-list-access-keys', 'iam-get-access-key-last-used');
  await eachLimit(users, limit, async (user) => {
    const keys = (await record(
      scope,
      perResource('iam-list-access-keys', user),
      () => allPages(paginateListAccessKeys({ client: iam }, { UserName: user })),
      true,
    )) as { AccessKeyMetadata?: { AccessKeyId?: string }[] } | undefined;
    for (const key of keys?.AccessKeyMetadata ?? []) {
      if (!key.AccessKeyId) continue;
      const id = key.AccessKeyId;
      await record(scope, perResource('iam-get-access-key-last-used', id), () =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })),
      );
    }
  });

  const oidc = (await record(scope, 'iam-list-open-id-connect-providers', () =>
    iam.send(new ListOpenIDConnectProvidersCommand({})),
  )) as { OpenIDConnectProviderList?: { Arn?: string }[] } | undefined;
  scope.ran.push('iam-get-open-id-connect-provider');
  await eachLimit(ids(oidc?.OpenIDConnectProviderList, 'Arn'), limit, async (arn) => {
    const name = arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
    await record(scope, perResource('iam-get-open-id-connect-provider', name), () =>
      iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
    );
  });
  await record(scope, 'iam-list-saml-providers', () => iam.send(new ListSAMLProvidersCommand({})));
}

/** Generates the credential report (a read in IAM's own access levels) and returns its CSV text. */
async function credentialReport(iam: IAMClient): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const state = await iam.send(new GenerateCredentialReportCommand({}));
    if (state.State === 'COMPLETE') break;
    await sleep(Math.min(500 * 2 ** attempt, 5000));
  }
  const report = await iam.send(new GetCredentialReportCommand({}));
  if (!report.Content) throw new Error('GetCredentialReport returned no content');
  return new TextDecoder().decode(report.Content);
}

/**
 * The organization, when the credentials may read it (the management account or a delegated
 * administrator); otherwise nothing, and the account data stand alone.
 */
async function collectOrganization(
  target: Target,
  options: LiveOptions,
  home: string,
): Promise<AwsRawScope | undefined> {
  const org = new OrganizationsClient(clientConfig(target, options, home));
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const scope = emptyScope();
  try {
    scope.documents['organizations-describe-organization'] = JSON.parse(
      JSON.stringify(await org.send(new DescribeOrganizationCommand({})), (k, v) =>
        k === '$metadata' ? undefined : v,
      ),
    );
    scope.documents['organizations-list-roots'] = await allPages(paginateListRoots({ client: org }, {}));
  } catch (error) {
    options.onProgress?.(`organization not collected (${errorName(error)})`);
    return undefined;
  }
  options.onProgress?.('organization');
  await record(scope, 'organizations-list-accounts', () =>
    allPages(paginateListAccounts({ client: org }, {})),
  );
  const roots = (scope.documents['organizations-list-roots'] as { Roots?: { Id?: string }[] }).Roots ?? [];
  scope.ran.push(
    'organizations-list-organizational-units-for-parent',
    'organizations-list-accounts-for-parent',
  );
  // The tree level by level: every parent of one level at once, their children the next level.
  let level = ids(roots, 'Id');
  while (level.length) {
    const children = await mapLimit(level, limit, async (ParentId) => {
      const units = (await record(
        scope,
        perResource('organizations-list-organizational-units-for-parent', ParentId),
        () => allPages(paginateListOrganizationalUnitsForParent({ client: org }, { ParentId })),
      )) as { OrganizationalUnits?: { Id?: string }[] } | undefined;
      await record(scope, perResource('organizations-list-accounts-for-parent', ParentId), () =>
        allPages(paginateListAccountsForParent({ client: org }, { ParentId })),
      );
      return ids(units?.OrganizationalUnits, 'Id');
    });
    level = children.flat();
  }
  scope.ran.push('organizations-describe-policy', 'organizations-list-targets-for-policy');
  for (const Filter of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    const policies = (await record(scope, `organizations-list-policies-${Filter}`, () =>
      allPages(paginateListPolicies({ client: org }, { Filter })),
    )) as { Policies?: { Id?: string }[] } | undefined;
    await eachLimit(ids(policies?.Policies, 'Id'), limit, async (PolicyId) => {
      await record(scope, perResource('organizations-describe-policy', PolicyId), () =>
        org.send(new DescribePolicyCommand({ PolicyId })),
      );
      await record(scope, perResource('organizations-list-targets-for-policy', PolicyId), () =>
        allPages(paginateListTargetsForPolicy({ client: org }, { PolicyId })),
      );
    });
  }
  return canonicalScope(scope);
}
