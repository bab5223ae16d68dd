import type { CollectionIssue } from '../collection-issue.js';
import type { EksClusterData } from './eks.js';
import type { NamedPolicy, PolicyDocument } from './policy.js';

/**
 * The AWS environment: one typed, normalized record per account (and the organization, when
 * collected), the same whether the collector read it from the live API or from a snapshot
 * directory. The collector produces it and the analyzers read it; neither owns it. Policy
 * documents in it are already parsed into the grammar of `policy.ts`.
 *
 * Nothing in here is secret material: access key ids, ages and last use, never keys or passwords.
 */

export interface Tags {
  [key: string]: string;
}

export interface AccessKeyMetadata {
  /** `AKIA…`; never the secret. */
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate?: string;
  lastUsedDate?: string;
  lastUsedService?: string;
}

interface PrincipalBase {
  arn: string;
  /** The unique id AWS assigns (`AIDA…`, `AROA…`): what `aws:userid` holds. */
  uniqueId?: string;
  name: string;
  path: string;
  accountId: string;
  createDate?: string;
  tags: Tags;
  /** Inline policies (kind `inline`). */
  inlinePolicies: NamedPolicy[];
  /** ARNs of attached managed policies; look them up in `AwsAccountData.managedPolicies`. */
  attachedPolicyArns: string[];
  /** ARN of the permissions boundary, if any. */
  permissionsBoundaryArn?: string;
}

export interface AwsUserData extends PrincipalBase {
  /** ARNs of the groups the user is in. */
  groupArns: string[];
  accessKeys: AccessKeyMetadata[];
  /** From the credential report or login profile; undefined when unknown (file missing). */
  hasConsolePassword?: boolean;
  passwordLastUsed?: string;
  mfaActive?: boolean;
  /**
   * Active access keys according to the credential report: known even when the key list (and so
   * the key ids) was not collected.
   */
  activeAccessKeyCount?: number;
}

export interface AwsRoleData extends PrincipalBase {
  /** The trust policy (kind `trust`). */
  trustPolicy: NamedPolicy;
  /** Service-linked roles (path `/aws-service-role/`) are not restricted by SCPs. */
  serviceLinked: boolean;
  instanceProfileArns: string[];
  lastUsedDate?: string;
  maxSessionDuration?: number;
}

export interface AwsGroupData {
  arn: string;
  name: string;
  path: string;
  accountId: string;
  inlinePolicies: NamedPolicy[];
  attachedPolicyArns: string[];
}

export interface ManagedPolicyData {
  policy: NamedPolicy;
  arn: string;
  path: string;
  defaultVersionId?: string;
  /** Non-default versions, kept because SetDefaultPolicyVersion can activate them. */
  otherVersions: { versionId: string; document: PolicyDocument }[];
  attachmentCount?: number;
}

export interface InstanceProfileData {
  arn: string;
  name: string;
  roleArns: string[];
}

export interface OidcProviderData {
  arn: string;
  /** Issuer host and path without scheme, e.g. `token.actions.githubusercontent.com`. */
  url: string;
  clientIds: string[];
}

export interface SamlProviderData {
  arn: string;
  name: string;
}

export type AwsResourceType =
  | 's3-bucket'
  | 'kms-key'
  | 'secret'
  | 'dynamodb-table'
  | 'rds-instance'
  | 'rds-cluster'
  | 'lambda-function'
  | 'ec2-instance'
  | 'glue-dev-endpoint'
  | 'sagemaker-notebook'
  | 'cloudformation-stack'
  | 'codebuild-project'
  | 'ecs-task-definition'
  | 'ecs-cluster'
  | 'ecs-service'
  | 'cognito-identity-pool'
  | 'cognito-user-pool'
  | 'sqs-queue'
  | 'sns-topic'
  | 'ecr-repository'
  | 'ssm-parameter'
  | 'efs-file-system'
  | 'opensearch-domain'
  | 'api-gateway-rest-api'
  | 'glacier-vault';

export interface AwsResourceData {
  arn: string;
  type: AwsResourceType;
  name: string;
  accountId: string;
  region?: string;
  tags: Tags;
  /** The resource-based policy (kind `resource`): bucket, key, secret, function, queue policies. */
  policy?: NamedPolicy;
  /** The role the resource runs as or passes (Lambda execution role, instance profile roles, stack role…). */
  roleArns?: string[];
  /** Further facts the analyzers or the graph use (e.g. `instanceProfileArn`, `state`, `runtime`). */
  attributes?: Record<string, string | number | boolean | string[]>;
}

/** A problem met while collecting: a missing optional file, a malformed policy, a denied API call. */
export type { CollectionIssue };

export interface AwsAccountData {
  accountId: string;
  partition: string;
  alias?: string;
  users: AwsUserData[];
  roles: AwsRoleData[];
  groups: AwsGroupData[];
  /** Every managed policy the account's authorization details list (customer and AWS managed). */
  managedPolicies: ManagedPolicyData[];
  instanceProfiles: InstanceProfileData[];
  oidcProviders: OidcProviderData[];
  samlProviders: SamlProviderData[];
  resources: AwsResourceData[];
  /** EKS clusters with their access entries and pod identity associations (src/model/aws/eks.ts). */
  eksClusters?: EksClusterData[];
  /**
   * What was and was not collected, by `<service>-<command>` name (e.g. `ec2-describe-instances`).
   * An analyzer that needs a resource list that is missing says so instead of assuming there is none.
   */
  collected: Record<string, boolean>;
  issues: CollectionIssue[];
}

/**
 * An account with nothing in it yet: every list empty, nothing collected, no issues, in the `aws`
 * partition; `parts` sets the rest (what was collected, the partition, lists already known).
 */
export function emptyAwsAccount(accountId: string, parts: Partial<AwsAccountData> = {}): AwsAccountData {
  return {
    accountId,
    partition: 'aws',
    users: [],
    roles: [],
    groups: [],
    managedPolicies: [],
    instanceProfiles: [],
    oidcProviders: [],
    samlProviders: [],
    resources: [],
    collected: {},
    issues: [],
    ...parts,
  };
}

export interface OrganizationPolicyData {
  policy: NamedPolicy;
  /** Root, OU and account ids the policy is attached to. */
  targets: string[];
}

export interface AwsOrganizationData {
  id: string;
  arn: string;
  managementAccountId: string;
  rootId?: string;
  accounts: { id: string; name?: string; parentId: string }[];
  organizationalUnits: { id: string; name?: string; parentId: string }[];
  serviceControlPolicies: OrganizationPolicyData[];
  resourceControlPolicies: OrganizationPolicyData[];
}

export interface AwsEnvironment {
  accounts: AwsAccountData[];
  organization?: AwsOrganizationData;
  issues: CollectionIssue[];
}
