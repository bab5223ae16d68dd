/**
 * Every condition key the engine knows, with how it is decided offline: the one home of that
 * knowledge. The engine reads it (context.ts derives the `known` keys, evaluate.ts lets the caller
 * choose the `attacker-chosen` ones) and docs/aws-condition-keys.md is generated from it.
 *
 * - `known`: the collection (or the analysis time, `--as-of`) fixes the value, or its absence.
 * - `attacker-chosen`: the caller sets the value in the request, so a condition on it holds for some
 *   request whenever some value satisfies it (and a Deny on it is avoided whenever some value
 *   escapes it): satisfiable, not conditional.
 * - `undecidable`: depends on the network, the credential or the calling service at request time;
 *   a statement that depends on it stays conditional.
 *
 * A key the table does not name is undecidable, unless the caller of the engine passes its value.
 */

export type KeyDecision = 'known' | 'attacker-chosen' | 'undecidable';

export interface ConditionKey {
  /** The key as AWS documents it; a name ending in `/` stands for every key with that prefix. */
  key: string;
  decision: KeyDecision;
  /** How the value is decided (or why it cannot be), one sentence. */
  how: string;
  /** The AWS documentation page that defines the key. */
  doc: string;
  /** In every request (a caller cannot leave it out). */
  always?: true;
  /**
   * Known only where the analysis passes the value for the request it asks about (the service a
   * PassRole technique passes a role to); unknown, so conditional, everywhere else.
   */
  perRequest?: true;
}

const GLOBAL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
/** IAM's and STS's keys. */
const IAM_STS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html';
const EC2 = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html';
const S3 = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html';
const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html';
/** IAM's own keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys */
const IAM =
  'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-policy-keys';

/** Stands for `ec2:ResourceTag/`, `secretsmanager:ResourceTag/` and every other service's own. */
const SERVICE_RESOURCE_TAG = '<service>:ResourceTag/';

const g = (anchor: string) => `${GLOBAL}#${anchor}`;

export const CONDITION_KEYS: readonly ConditionKey[] = [
  // ── the principal, from the collected IAM data and organization ───────────────────────────
  {
    key: 'aws:PrincipalArn',
    decision: 'known',
    how: 'the user, role (not the session) or account root ARN; absent for services and anonymous callers',
    doc: g('condition-keys-principalarn'),
  },
  {
    key: 'aws:PrincipalAccount',
    decision: 'known',
    how: "the principal's account; absent for anonymous callers",
    doc: g('condition-keys-principalaccount'),
  },
  {
    key: 'aws:PrincipalType',
    decision: 'known',
    how: '`User`, `AssumedRole`, `Account` or `Anonymous` from the kind of principal',
    doc: g('condition-keys-principaltype'),
  },
  {
    key: 'aws:PrincipalTag/',
    decision: 'known',
    how: "the user's or role's collected tags (tag keys case-insensitive); absent for services and anonymous callers",
    doc: g('condition-keys-principaltag'),
  },
  {
    key: 'aws:PrincipalOrgID',
    decision: 'known',
    how: "the collected organization's id for its member accounts; unknown for an account outside the collected data",
    doc: g('condition-keys-principalorgid'),
  },
  {
    key: 'aws:PrincipalOrgPaths',
    decision: 'known',
    how: "the account's path of organizational units in the collected organization",
    doc: g('condition-keys-principalorgpaths'),
  },
  {
    key: 'aws:PrincipalIsAWSService',
    decision: 'known',
    how: '`true` for service principals, `false` for every other caller; absent for anonymous callers',
    doc: g('condition-keys-principalisawsservice'),
  },
  {
    key: 'aws:PrincipalServiceName',
    decision: 'known',
    how: "the service principal's name; absent for every other caller",
    doc: g('condition-keys-principalservicename'),
  },
  {
    key: 'aws:username',
    decision: 'known',
    how: "the IAM user's name; absent for every other principal",
    doc: g('condition-keys-username'),
  },
  {
    key: 'aws:userid',
    decision: 'known',
    how: "the user's unique id (`AIDA…`); for a role session `AROA…:<session name>`, whose session part the caller chooses, so unknown",
    doc: g('condition-keys-userid'),
  },
  // ── the resource, from the collected resources ──────────────────────────────────────────
  {
    key: 'aws:ResourceAccount',
    decision: 'known',
    how: "the resource's account, from the collection or its ARN",
    doc: g('condition-keys-resourceaccount'),
  },
  {
    key: 'aws:ResourceTag/',
    decision: 'known',
    how: "the resource's collected tags; unknown for a resource whose tags were not collected and for `*`",
    doc: g('condition-keys-resourcetag'),
  },
  {
    key: 'iam:ResourceTag/',
    decision: 'known',
    how: 'the tags of the IAM user or role the request acts on, from the collection',
    doc: `${IAM_STS}#ck_resourcetag`,
  },
  {
    key: SERVICE_RESOURCE_TAG,
    decision: 'known',
    how: "a service's own resource-tag key (`ec2:ResourceTag/…`, `secretsmanager:ResourceTag/…`): the resource's collected tags, as for `aws:ResourceTag/`",
    doc: EC2,
  },
  {
    key: 'aws:RequestedRegion',
    decision: 'known',
    how: "the region of a regional resource's ARN (a request for it goes to that region's endpoint); unknown for global and `*` resources",
    doc: g('condition-keys-requestedregion'),
  },
  {
    key: 'aws:SourceArn',
    decision: 'known',
    how: 'absent when an IAM user, role or account root calls directly; for a service principal the resource it acts for, passed by the edge that asks (else undecidable)',
    doc: g('condition-keys-sourcearn'),
  },
  {
    key: 'aws:SourceAccount',
    decision: 'known',
    how: 'absent when an IAM user, role or account root calls directly; for a service principal the account of the resource it acts for, passed by the edge that asks (else undecidable)',
    doc: g('condition-keys-sourceaccount'),
  },
  // ── time, from the analysis time (`--as-of`) ───────────────────────────────────────────
  {
    key: 'aws:CurrentTime',
    decision: 'known',
    how: 'the analysis time (`--as-of`, default now)',
    doc: g('condition-keys-currenttime'),
  },
  {
    key: 'aws:EpochTime',
    decision: 'known',
    how: 'the analysis time in epoch seconds',
    doc: g('condition-keys-epochtime'),
  },
  {
    key: 'aws:TokenIssueTime',
    decision: 'known',
    how: "an interval: for a role session [as-of − the role's MaxSessionDuration (12 h for roles a service assumes), as-of]; for a user either absent (long-term keys) or within [as-of − 36 h, as-of] (GetSessionToken); root: absent or within the last hour. A condition is decided when the whole interval decides it",
    doc: g('condition-keys-tokenissuetime'),
  },
  {
    key: 'iam:PassedToService',
    decision: 'known',
    how: 'the service a role is passed to: the caller picks it by the API it calls, so each PassRole technique is decided with the service it passes the role to (in a partition with its own DNS suffix, under either name); unknown where no technique asks',
    doc: `${IAM_STS}#ck_passedtoservice`,
    perRequest: true,
  },
  // ── set by the caller ───────────────────────────────────────────────────────────────────
  {
    key: 'aws:SecureTransport',
    decision: 'attacker-chosen',
    how: 'the caller picks HTTPS or plain HTTP; in every request',
    doc: g('condition-keys-securetransport'),
    always: true,
  },
  {
    key: 'aws:RequestTag/',
    decision: 'attacker-chosen',
    how: 'the tags the caller puts in the request',
    doc: g('condition-keys-requesttag'),
  },
  {
    key: 'aws:TagKeys',
    decision: 'attacker-chosen',
    how: 'the tag keys the caller puts in the request',
    doc: g('condition-keys-tagkeys'),
  },
  {
    key: 'sts:RoleSessionName',
    decision: 'attacker-chosen',
    how: 'the session name the caller passes to sts:AssumeRole',
    doc: `${IAM_STS}#ck_rolesessionname`,
  },
  {
    key: 'sts:SourceIdentity',
    decision: 'attacker-chosen',
    how: 'the source identity the caller passes when assuming the role',
    doc: `${IAM_STS}#ck_sourceidentity`,
  },
  {
    key: 'aws:SourceIdentity',
    decision: 'attacker-chosen',
    how: 'the source identity set when the session was created, by whoever assumed the role',
    doc: g('condition-keys-sourceidentity'),
  },
  {
    key: 'sts:TransitiveTagKeys',
    decision: 'attacker-chosen',
    how: 'the session tags the caller marks transitive',
    doc: `${IAM_STS}#ck_transitivetagkeys`,
  },
  {
    key: 'aws:UserAgent',
    decision: 'attacker-chosen',
    how: 'an HTTP header the caller sets',
    doc: g('condition-keys-useragent'),
  },
  {
    key: 'aws:Referer',
    decision: 'attacker-chosen',
    how: 'an HTTP header the caller sets',
    doc: g('condition-keys-referer'),
  },
  {
    key: 's3:x-amz-acl',
    decision: 'attacker-chosen',
    how: 'a request header the caller sets',
    doc: S3,
  },
  {
    key: 's3:x-amz-server-side-encryption',
    decision: 'attacker-chosen',
    how: 'a request header the caller sets',
    doc: S3,
  },
  {
    key: 's3:prefix',
    decision: 'attacker-chosen',
    how: 'the prefix the caller lists',
    doc: S3,
  },
  {
    key: 'kms:EncryptionContext:',
    decision: 'attacker-chosen',
    how: 'the encryption context the caller passes (for Decrypt, the one the data was encrypted with: the caller holding the data knows it)',
    doc: KMS,
  },
  {
    key: 'iam:PolicyARN',
    decision: 'attacker-chosen',
    how: 'the managed policy the caller attaches or detaches, among the existing ones; the Attach*Policy techniques ask with the policy they attach (AdministratorAccess), the Detach*Policy ones with the policy they remove',
    doc: `${IAM_STS}#ck_policyarn`,
  },
  {
    key: 'iam:PermissionsBoundary',
    decision: 'attacker-chosen',
    how: 'the permissions boundary the caller sets when it creates a user or role or puts a boundary on one; the boundary techniques ask with the policy they set',
    doc: `${IAM_STS}#ck_permissionsboundary`,
  },
  {
    key: 'iam:AWSServiceName',
    decision: 'attacker-chosen',
    how: 'the service the caller names when it creates a service-linked role',
    doc: `${IAM_STS}#ck_awsservicename`,
  },
  {
    key: 'iam:OrganizationsPolicyId',
    decision: 'attacker-chosen',
    how: 'the Organizations policy the caller names when it generates an access report',
    doc: `${IAM_STS}#ck_organizationspolicyid`,
  },
  {
    key: 'iam:ServiceSpecificCredentialServiceName',
    decision: 'attacker-chosen',
    how: 'the service the caller creates a service-specific credential for',
    doc: IAM,
  },
  {
    key: 'iam:ServiceSpecificCredentialAgeDays',
    decision: 'attacker-chosen',
    how: 'the lifetime the caller requests for a service-specific credential',
    doc: IAM,
  },
  // ── not decidable offline ───────────────────────────────────────────────────────────────
  {
    key: 'aws:SourceIp',
    decision: 'undecidable',
    how: "the caller's network address",
    doc: g('condition-keys-sourceip'),
  },
  {
    key: 'aws:SourceVpc',
    decision: 'undecidable',
    how: 'whether and through which VPC the request travels',
    doc: g('condition-keys-sourcevpc'),
  },
  {
    key: 'aws:SourceVpce',
    decision: 'undecidable',
    how: 'whether and through which VPC endpoint the request travels',
    doc: g('condition-keys-sourcevpce'),
  },
  {
    key: 'aws:VpcSourceIp',
    decision: 'undecidable',
    how: "the caller's address inside a VPC",
    doc: g('condition-keys-vpcsourceip'),
  },
  {
    key: 'aws:MultiFactorAuthPresent',
    decision: 'undecidable',
    how: 'whether the credentials were obtained with MFA (absent with long-term keys, which a user may or may not use)',
    doc: g('condition-keys-multifactorauthpresent'),
  },
  {
    key: 'aws:MultiFactorAuthAge',
    decision: 'undecidable',
    how: 'seconds since MFA authentication',
    doc: g('condition-keys-multifactorauthage'),
  },
  {
    key: 'aws:ViaAWSService',
    decision: 'undecidable',
    how: 'whether a service makes the request on the principal’s behalf (forward access sessions)',
    doc: g('condition-keys-viaawsservice'),
  },
  {
    key: 'aws:CalledVia',
    decision: 'undecidable',
    how: 'the chain of services that made the request on the principal’s behalf',
    doc: g('condition-keys-calledvia'),
  },
  {
    key: 'aws:SourceOrgID',
    decision: 'undecidable',
    how: 'the organization of the resource a service principal acts for',
    doc: g('condition-keys-sourceorgid'),
  },
  {
    key: 'aws:SourceOrgPaths',
    decision: 'undecidable',
    how: 'the organization path of the resource a service principal acts for',
    doc: g('condition-keys-sourceorgpaths'),
  },
  {
    key: 'aws:FederatedProvider',
    decision: 'undecidable',
    how: 'the identity provider that issued the session',
    doc: g('condition-keys-federatedprovider'),
  },
  {
    key: 'aws:Ec2InstanceSourceVpc',
    decision: 'undecidable',
    how: 'the VPC of the instance the credentials were delivered to',
    doc: g('condition-keys-ec2instancesourcevpc'),
  },
  {
    key: 'aws:Ec2InstanceSourcePrivateIPv4',
    decision: 'undecidable',
    how: 'the private address of the instance the credentials were delivered to',
    doc: g('condition-keys-ec2instancesourceprivateip4'),
  },
  {
    key: 'sts:ExternalId',
    decision: 'undecidable',
    how: 'a value the role owner shares with the party meant to assume the role; who else knows it is not known offline',
    doc: `${IAM_STS}#ck_externalid`,
  },
  {
    key: 'iam:AssociatedResourceArn',
    decision: 'undecidable',
    how: 'the resource a passed role will act for (an EC2 instance, …): a new resource’s ARN is assigned when it is created',
    doc: `${IAM_STS}#ck_associatedresourcearn`,
  },
  {
    key: 'iam:RegisterSecurityKey',
    decision: 'undecidable',
    how: 'the state of an MFA device being registered',
    doc: IAM,
  },
  {
    key: 'iam:FIDO-certification',
    decision: 'undecidable',
    how: 'the FIDO certification level of the security key being registered',
    doc: IAM,
  },
  {
    key: 'kms:ViaService',
    decision: 'undecidable',
    how: 'the service that makes the request on the principal’s behalf',
    doc: KMS,
  },
];

const exact = new Map<string, ConditionKey>();
const prefixes: ConditionKey[] = [];
for (const entry of CONDITION_KEYS) {
  if (entry.key === SERVICE_RESOURCE_TAG) continue;
  if (entry.key.endsWith('/') || entry.key.endsWith(':')) prefixes.push(entry);
  else exact.set(entry.key.toLowerCase(), entry);
}
const serviceResourceTag = CONDITION_KEYS.find((e) => e.key === SERVICE_RESOURCE_TAG);

/** `<service>:resourcetag/<tag>` (lowercase): the tag, for any service's resource-tag key. */
export function resourceTagOf(lowerKey: string): string | undefined {
  const match = /^[a-z0-9-]+:resourcetag\/(.+)$/.exec(lowerKey);
  return match?.[1];
}

/** The table's entry for a key (names are case-insensitive); undefined for a key it does not name. */
export function conditionKey(key: string): ConditionKey | undefined {
  const lower = key.toLowerCase();
  return (
    exact.get(lower) ??
    prefixes.find((p) => lower.startsWith(p.key.toLowerCase())) ??
    (resourceTagOf(lower) !== undefined ? serviceResourceTag : undefined)
  );
}

/** Does the caller choose this key's value? */
export function isAttackerChosen(key: string): boolean {
  return conditionKey(key)?.decision === 'attacker-chosen';
}
