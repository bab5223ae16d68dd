import { CloudFormationClient, paginateDescribeStacks } from '@aws-sdk/client-cloudformation';
import { BatchGetProjectsCommand, CodeBuildClient, paginateListProjects } from '@aws-sdk/client-codebuild';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand as DynamoDbGetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { DescribeRegionsCommand, EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import { GlueClient, paginateGetDevEndpoints } from '@aws-sdk/client-glue';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  type IAMClientConfig,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  paginateListResourceTags,
} from '@aws-sdk/client-kms';
import {
  GetPolicyCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
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
import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeNotebookInstanceCommand,
  paginateListNotebookInstances,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  GetResourcePolicyCommand,
  paginateListSecrets,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  allPages,
  decodeAuthorizationDetails,
  eachLimit,
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
  emptyScope,
  perResource,
  regional,
} from './raw.js';

/**
 * The live source: the same documents the snapshot script writes, fetched with the AWS SDK v3.
 * Read-only calls only (docs/permissions.md lists them); every list is paginated with the SDK's
 * paginators and throttling is retried by the SDK's adaptive retry strategy. A failed call is
 * recorded under the document's name and collection goes on.
 */
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
  /** Attempts per call, throttling included (default 10). */
  maxAttempts?: number;
  /** Per-resource calls in flight at once (default 8). */
  concurrency?: number;
  onProgress?: (message: string) => void;
}

/** Static credentials or a provider, as every SDK client accepts them. */
export type AwsCredentials = NonNullable<IAMClientConfig['credentials']>;

interface Target {
  label: string;
  credentials: AwsCredentials;
}

export async function getAwsLive(options: LiveOptions = {}): Promise<AwsRaw> {
  const home = options.region ?? 'us-east-1';
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

function clientConfig(target: Target, options: LiveOptions, region: string) {
  return {
    region,
    credentials: target.credentials,
    maxAttempts: options.maxAttempts ?? 10,
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
  const limit = options.concurrency ?? 8;

  progress('IAM');
  await collectIam(new IAMClient(config), scope, limit);
  progress('S3');
  await collectS3(
    new S3Client({ ...config, forcePathStyle: Boolean(options.endpoint), followRegionRedirects: true }),
    scope,
    limit,
  );

  const regions =
    options.regions ??
    (options.region ? [options.region] : await enabledRegions(target, options, home, scope));
  for (const region of regions) {
    progress(`region ${region}`);
    await collectRegion(target, options, region, scope, limit);
  }
  return { accountId, scope };
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
  for (const provider of oidc?.OpenIDConnectProviderList ?? []) {
    const arn = provider.Arn;
    if (!arn) continue;
    const name = arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length);
    await record(scope, perResource('iam-get-open-id-connect-provider', name), () =>
      iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
    );
  }
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

async function collectS3(s3: S3Client, scope: AwsRawScope, limit: number): Promise<void> {
  const list = (await record(scope, 's3api-list-buckets', () =>
    allPages(paginateListBuckets({ client: s3 }, {})),
  )) as { Buckets?: { Name?: string }[] } | undefined;
  const commands = [
    's3api-get-bucket-policy',
    's3api-get-bucket-tagging',
    's3api-get-bucket-location',
    's3api-get-public-access-block',
  ];
  scope.ran.push(...commands);
  const buckets = (list?.Buckets ?? []).map((b) => b.Name).filter((n): n is string => Boolean(n));
  await eachLimit(buckets, limit, async (Bucket) => {
    await record(
      scope,
      perResource('s3api-get-bucket-policy', Bucket),
      () => s3.send(new GetBucketPolicyCommand({ Bucket })),
      true,
    );
    await record(
      scope,
      perResource('s3api-get-bucket-tagging', Bucket),
      () => s3.send(new GetBucketTaggingCommand({ Bucket })),
      true,
    );
    await record(scope, perResource('s3api-get-bucket-location', Bucket), () =>
      s3.send(new GetBucketLocationCommand({ Bucket })),
    );
    await record(
      scope,
      perResource('s3api-get-public-access-block', Bucket),
      () => s3.send(new GetPublicAccessBlockCommand({ Bucket })),
      true,
    );
  });
}

async function collectRegion(
  target: Target,
  options: LiveOptions,
  region: string,
  scope: AwsRawScope,
  limit: number,
): Promise<void> {
  const config = clientConfig(target, options, region);
  const at = (command: string) => regional(command, region);
  const one = (command: string, resource: string) => perResource(command, resource, region);
  const ran = (...commands: string[]) => scope.ran.push(...commands.map(at));

  // KMS: keys, their policies, descriptions, tags and aliases.
  const kms = new KMSClient(config);
  const keys = (await record(scope, at('kms-list-keys'), () =>
    allPages(paginateListKeys({ client: kms }, {})),
  )) as { Keys?: { KeyId?: string }[] } | undefined;
  await record(scope, at('kms-list-aliases'), () => allPages(paginateListAliases({ client: kms }, {})));
  ran('kms-describe-key', 'kms-get-key-policy', 'kms-list-resource-tags');
  await eachLimit(ids(keys?.Keys, 'KeyId'), limit, async (KeyId) => {
    await record(scope, one('kms-describe-key', KeyId), () => kms.send(new DescribeKeyCommand({ KeyId })));
    await record(scope, one('kms-get-key-policy', KeyId), () =>
      kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })),
    );
    await record(scope, one('kms-list-resource-tags', KeyId), () =>
      allPages(paginateListResourceTags({ client: kms }, { KeyId })),
    );
  });

  // Secrets Manager: metadata and resource policies only, never secret values.
  const sm = new SecretsManagerClient(config);
  const secrets = (await record(scope, at('secretsmanager-list-secrets'), () =>
    allPages(paginateListSecrets({ client: sm }, {})),
  )) as { SecretList?: { Name?: string }[] } | undefined;
  ran('secretsmanager-get-resource-policy');
  await eachLimit(ids(secrets?.SecretList, 'Name'), limit, async (SecretId) => {
    await record(
      scope,
      one('secretsmanager-get-resource-policy', SecretId),
      () => sm.send(new GetResourcePolicyCommand({ SecretId })),
      true,
    );
  });

  // DynamoDB: tables, their descriptions, tags and resource policies.
  const ddb = new DynamoDBClient(config);
  const tables = (await record(scope, at('dynamodb-list-tables'), () =>
    allPages(paginateListTables({ client: ddb }, {})),
  )) as { TableNames?: string[] } | undefined;
  ran('dynamodb-describe-table', 'dynamodb-list-tags-of-resource', 'dynamodb-get-resource-policy');
  await eachLimit(tables?.TableNames ?? [], limit, async (TableName) => {
    const described = (await record(scope, one('dynamodb-describe-table', TableName), () =>
      ddb.send(new DescribeTableCommand({ TableName })),
    )) as { Table?: { TableArn?: string } } | undefined;
    const ResourceArn = described?.Table?.TableArn;
    if (!ResourceArn) return;
    await record(scope, one('dynamodb-list-tags-of-resource', TableName), () =>
      ddb.send(new ListTagsOfResourceCommand({ ResourceArn })),
    );
    await record(
      scope,
      one('dynamodb-get-resource-policy', TableName),
      () => ddb.send(new DynamoDbGetResourcePolicyCommand({ ResourceArn })),
      true,
    );
  });

  await record(scope, at('rds-describe-db-instances'), () =>
    allPages(paginateDescribeDBInstances({ client: new RDSClient(config) }, {})),
  );

  // Lambda: functions (with their execution roles), function policies and tags.
  const lambda = new LambdaClient(config);
  const functions = (await record(scope, at('lambda-list-functions'), () =>
    allPages(paginateListFunctions({ client: lambda }, {})),
  )) as { Functions?: { FunctionName?: string; FunctionArn?: string }[] } | undefined;
  ran('lambda-get-policy', 'lambda-list-tags');
  await eachLimit(functions?.Functions ?? [], limit, async (fn) => {
    if (!fn.FunctionName || !fn.FunctionArn) return;
    const { FunctionName, FunctionArn } = fn;
    await record(
      scope,
      one('lambda-get-policy', FunctionName),
      () => lambda.send(new GetPolicyCommand({ FunctionName })),
      true,
    );
    await record(scope, one('lambda-list-tags', FunctionName), () =>
      lambda.send(new ListTagsCommand({ Resource: FunctionArn })),
    );
  });

  await record(scope, at('ec2-describe-instances'), () =>
    allPages(paginateDescribeInstances({ client: new EC2Client(config) }, {})),
  );
  await record(scope, at('glue-get-dev-endpoints'), () =>
    allPages(paginateGetDevEndpoints({ client: new GlueClient(config) }, {})),
  );

  const sagemaker = new SageMakerClient(config);
  const notebooks = (await record(scope, at('sagemaker-list-notebook-instances'), () =>
    allPages(paginateListNotebookInstances({ client: sagemaker }, {})),
  )) as { NotebookInstances?: { NotebookInstanceName?: string }[] } | undefined;
  ran('sagemaker-describe-notebook-instance');
  await eachLimit(
    ids(notebooks?.NotebookInstances, 'NotebookInstanceName'),
    limit,
    async (NotebookInstanceName) => {
      await record(scope, one('sagemaker-describe-notebook-instance', NotebookInstanceName), () =>
        sagemaker.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName })),
      );
    },
  );

  await record(scope, at('cloudformation-describe-stacks'), () =>
    allPages(paginateDescribeStacks({ client: new CloudFormationClient(config) }, {})),
  );

  const codebuild = new CodeBuildClient(config);
  const projects = (await record(scope, at('codebuild-list-projects'), () =>
    allPages(paginateListProjects({ client: codebuild }, {})),
  )) as { projects?: string[] } | undefined;
  const names = projects?.projects ?? [];
  if (names.length) {
    await record(scope, at('codebuild-batch-get-projects'), async () => {
      // BatchGetProjects takes at most 100 names.
      const found: unknown[] = [];
      for (let i = 0; i < names.length; i += 100) {
        const page = await codebuild.send(new BatchGetProjectsCommand({ names: names.slice(i, i + 100) }));
        found.push(...(page.projects ?? []));
      }
      return { projects: found };
    });
  }

  const ecs = new ECSClient(config);
  const definitions = (await record(scope, at('ecs-list-task-definitions'), () =>
    allPages(paginateListTaskDefinitions({ client: ecs }, {})),
  )) as { taskDefinitionArns?: string[] } | undefined;
  ran('ecs-describe-task-definition');
  await eachLimit(definitions?.taskDefinitionArns ?? [], limit, async (taskDefinition) => {
    const familyRevision = taskDefinition.slice(
      taskDefinition.indexOf('task-definition/') + 'task-definition/'.length,
    );
    await record(scope, one('ecs-describe-task-definition', familyRevision), () =>
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })),
    );
  });
}

function ids<K extends string>(items: Partial<Record<K, unknown>>[] | undefined, key: K): string[] {
  return (items ?? []).map((item) => item[key]).filter((v): v is string => typeof v === 'string' && v !== '');
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
  const queue = ids(roots, 'Id');
  while (queue.length) {
    const ParentId = queue.shift() as string;
    const units = (await record(
      scope,
      perResource('organizations-list-organizational-units-for-parent', ParentId),
      () => allPages(paginateListOrganizationalUnitsForParent({ client: org }, { ParentId })),
    )) as { OrganizationalUnits?: { Id?: string }[] } | undefined;
    queue.push(...ids(units?.OrganizationalUnits, 'Id'));
    await record(scope, perResource('organizations-list-accounts-for-parent', ParentId), () =>
      allPages(paginateListAccountsForParent({ client: org }, { ParentId })),
    );
  }
  scope.ran.push('organizations-describe-policy', 'organizations-list-targets-for-policy');
  for (const Filter of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    const policies = (await record(scope, `organizations-list-policies-${Filter}`, () =>
      allPages(paginateListPolicies({ client: org }, { Filter })),
    )) as { Policies?: { Id?: string }[] } | undefined;
    for (const PolicyId of ids(policies?.Policies, 'Id')) {
      await record(scope, perResource('organizations-describe-policy', PolicyId), () =>
        org.send(new DescribePolicyCommand({ PolicyId })),
      );
      await record(scope, perResource('organizations-list-targets-for-policy', PolicyId), () =>
        allPages(paginateListTargetsForPolicy({ client: org }, { PolicyId })),
      );
    }
  }
  return scope;
}
