// The `dense` profile of the AWS benchmarks: one account shaped like real ones, sized by its number
// of roles S, seeded. S roles whose trust policies name services, other roles, the account root
// (with and without MFA), a partner account's root (with an ExternalId) and GitHub OIDC; S/2 users
// with access keys; S/10 groups; about 2S customer-managed policies (service wildcards, `NotAction`
// power-user policies with Deny statements, conditions, `iam:PassRole` with compute create actions,
// risky IAM writes, `sts:AssumeRole` on patterns) and S/20 permissions boundaries (of roles); S/5
// buckets with bucket policies; every other service collected and empty. The account is moto's (123456789012, us-east-1), so bench/sync-dense.ts can seed
// the very same estate into moto; toSnapshotRaw (synthetic-aws.ts) writes it in the CLI's shapes.

import {
  type AwsAccountData,
  type AwsEnvironment,
  type AwsGroupData,
  type AwsResourceData,
  type AwsRoleData,
  type AwsUserData,
  emptyAwsAccount,
  type ManagedPolicyData,
} from '../src/model/aws/environment.js';
import type { ConditionBlock, NamedPolicy, PolicyDocument, Statement } from '../src/model/aws/policy.js';
import { doc, EMPTY_LISTS, S3_PER_BUCKET } from './synthetic-aws.js';
import { prng } from './synthetic-inventory.js';

export interface DenseAwsOptions {
  /** S: the number of roles; everything else is sized from it. */
  roles: number;
  seed?: number;
}

export const DENSE_ACCOUNT = '123456789012';
export const DENSE_PARTNER_ACCOUNT = '210987654321';
export const DENSE_REGION = 'us-east-1';
const GITHUB = 'token.actions.githubusercontent.com';

const TEAMS = ['payments', 'checkout', 'search', 'ml', 'platform', 'data', 'security', 'growth'];
const ENVIRONMENTS = ['prod', 'staging', 'dev'];
const ROLE_KINDS = ['app', 'deploy', 'worker', 'reader', 'admin', 'ci'];
const SERVICES = [
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'glue.amazonaws.com',
  'codebuild.amazonaws.com',
  'sagemaker.amazonaws.com',
];
/** Service wildcards as customer policies write them. */
const SERVICE_WILDCARDS = [
  's3:*',
  'dynamodb:*',
  'sqs:*',
  'sns:*',
  'lambda:*',
  'ec2:*',
  'logs:*',
  'kms:*',
  'secretsmanager:*',
  'cloudwatch:*',
  's3:Get*',
  's3:List*',
  'dynamodb:Get*',
];
/** What `iam:PassRole` is paired with to start a compute service as the passed role. */
const COMPUTE_CREATE = [
  ['lambda:CreateFunction', 'lambda:InvokeFunction'],
  ['ec2:RunInstances'],
  ['ecs:RunTask', 'ecs:RegisterTaskDefinition'],
  ['glue:CreateJob', 'glue:StartJobRun'],
  ['codebuild:CreateProject', 'codebuild:StartBuild'],
  ['sagemaker:CreateNotebookInstance'],
];
/** IAM writes that escalate privileges. */
const RISKY_IAM = [
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AddUserToGroup',
  'iam:CreateLoginProfile',
];
const CONDITIONS: ConditionBlock[] = [
  { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
  { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
  { StringEquals: { 'aws:PrincipalTag/team': ['platform'] } },
  { StringEquals: { 'aws:RequestedRegion': [DENSE_REGION] } },
];

type Draft = Omit<Statement, 'index'>;

export function denseAwsEnvironment(options: DenseAwsOptions): AwsEnvironment {
  const S = options.roles;
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const some = <T>(items: readonly T[], count: number): T[] => [
    ...new Set(Array.from({ length: count }, () => pick(items))),
  ];
  const iam = (kind: string, name: string) => `arn:aws:iam::${DENSE_ACCOUNT}:${kind}/${name}`;
  const root = (account: string) => `arn:aws:iam::${account}:root`;

  const account: AwsAccountData = emptyAwsAccount(DENSE_ACCOUNT, {
    alias: 'dense',
    oidcProviders: [{ arn: iam('oidc-provider', GITHUB), url: GITHUB, clientIds: ['sts.amazonaws.com'] }],
    collected: denseCollected(),
  });

  // Names first, so policies and trust policies can name real roles, users and buckets.
  const roleNames = Array.from(
    { length: S },
    (_, i) => `${pick(TEAMS)}-${pick(ENVIRONMENTS)}-${pick(ROLE_KINDS)}-${i}`,
  );
  const roleArns = roleNames.map((n) => iam('role', n));
  const bucketNames = Array.from(
    { length: Math.max(1, Math.round(S / 5)) },
    (_, i) => `${pick(TEAMS)}-${pick(ENVIRONMENTS)}-data-${i}`,
  );
  const bucketArn = (name: string) => `arn:aws:s3:::${name}`;

  // ── Customer-managed policies: ~2S, plus S/20 permissions boundaries ──
  const boundaries: ManagedPolicyData[] = Array.from({ length: Math.max(1, Math.round(S / 20)) }, (_, i) =>
    managed(
      `boundary-${pick(TEAMS)}-${i}`,
      doc([
        {
          Sid: 'Workloads',
          Effect: 'Allow',
          Action: some(['s3:*', 'dynamodb:*', 'sqs:*', 'logs:*', 'kms:Decrypt', 'sts:AssumeRole'], 4),
          Resource: ['*'],
        },
        ...(chance(0.5)
          ? [{ Sid: 'NoIam', Effect: 'Deny' as const, Action: ['iam:*'], Resource: ['*'] }]
          : []),
      ]),
    ),
  );
  const policies: ManagedPolicyData[] = Array.from({ length: 2 * S }, (_, i) => {
    const roll = random();
    const kind =
      roll < 0.35
        ? 'service'
        : roll < 0.55
          ? 'data'
          : roll < 0.62
            ? 'power-user'
            : roll < 0.75
              ? 'pass-role'
              : roll < 0.83
                ? 'iam-write'
                : roll < 0.93
                  ? 'assume'
                  : 'read';
    return managed(`${pick(TEAMS)}-${kind}-${i}`, doc(policyStatements(kind)));
  });
  account.managedPolicies.push(...boundaries, ...policies);
  const attachable = policies.map((p) => p.arn);

  // ── Groups: S/10 ──
  for (let i = 0; i < Math.max(1, Math.round(S / 10)); i++) {
    const name = `${pick(TEAMS)}-group-${i}`;
    const group: AwsGroupData = {
      arn: iam('group', name),
      name,
      path: '/',
      accountId: DENSE_ACCOUNT,
      inlinePolicies: chance(0.3) ? [inline(iam('group', name), 'team', policyStatements('data'))] : [],
      attachedPolicyArns: some(attachable, between(1, 3)),
    };
    account.groups.push(group);
  }

  // ── Roles: S ──
  for (const [i, name] of roleNames.entries()) {
    const arn = roleArns[i] as string;
    const role: AwsRoleData = {
      ...named(arn, name, `AROA${String(i).padStart(17, '0')}`),
      inlinePolicies: chance(0.5)
        ? [inline(arn, 'inline', policyStatements(pick(['service', 'data', 'pass-role'] as const)))]
        : [],
      attachedPolicyArns: some(attachable, between(1, 3)),
      ...(chance(0.15) ? { permissionsBoundaryArn: pick(boundaries).arn } : {}),
      trustPolicy: { id: `${arn}#trust`, name: 'trust policy', kind: 'trust', document: trust(i) },
      serviceLinked: false,
      instanceProfileArns: [],
    };
    account.roles.push(role);
  }

  // ── Users: S/2, each with an access key ──
  for (let i = 0; i < Math.max(1, Math.round(S / 2)); i++) {
    const name = `${pick(TEAMS)}-${pick(['ci', 'svc', 'bot', 'person'])}-${i}`;
    const arn = iam('user', name);
    const inlinePolicies = chance(0.2)
      ? [inline(arn, 'inline', policyStatements(pick(['assume', 'data'] as const)))]
      : [];
    const attachedPolicyArns = chance(0.6) ? some(attachable, between(1, 2)) : [];
    // A boundary is drawn, so the rest of the account stays as it was, but not given: moto 5.x keeps
    // no user boundary (CreateUser ignores PermissionsBoundary, PutUserPermissionsBoundary is not
    // implemented), and the live benchmark must read the very account the snapshot describes.
    if (chance(0.1)) pick(boundaries);
    const user: AwsUserData = {
      ...named(arn, name, `AIDA${String(i).padStart(17, '0')}`),
      inlinePolicies,
      attachedPolicyArns,
      groupArns: some(account.groups, between(1, 2)).map((g) => g.arn),
      accessKeys: [{ accessKeyId: `AKIA${String(i).padStart(16, '0')}`, status: 'Active' }],
      // What the credential report says of a user created with a key and no password.
      hasConsolePassword: false,
      mfaActive: false,
      activeAccessKeyCount: 1,
    };
    account.users.push(user);
  }

  // ── Buckets: S/5, each with a bucket policy ──
  for (const name of bucketNames) {
    const arn = bucketArn(name);
    const bucket: AwsResourceData = {
      arn,
      type: 's3-bucket',
      name,
      accountId: DENSE_ACCOUNT,
      region: DENSE_REGION,
      tags: { team: name.split('-')[0] as string, env: name.split('-')[1] as string },
      policy: { id: `${arn}#policy`, name: 'bucket policy', kind: 'resource', document: bucketPolicy(arn) },
      // A new bucket's ACL: its owner's full control (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#default-acl).
      attributes: { aclGrants: ['owner FULL_CONTROL'] },
    };
    account.resources.push(bucket);
  }

  return { accounts: [account], issues: [] };

  /** What names a user or role; its team is the first part of its name. */
  function named(arn: string, name: string, uniqueId: string) {
    return {
      arn,
      uniqueId,
      name,
      path: '/',
      accountId: DENSE_ACCOUNT,
      tags: { team: name.split('-')[0] as string },
    };
  }

  function managed(name: string, document: PolicyDocument): ManagedPolicyData {
    const arn = iam('policy', name);
    return {
      arn,
      path: '/',
      policy: { id: arn, name, kind: 'customer-managed', document },
      defaultVersionId: 'v1',
      otherVersions: [],
    };
  }

  function inline(owner: string, name: string, statements: Draft[]): NamedPolicy {
    return { id: `${owner}#inline/${name}`, name, kind: 'inline', document: doc(statements) };
  }

  /** A team's names in one environment (`arn:aws:s3:::payments-prod-*`), or every bucket. */
  function bucketPattern(): string[] {
    const pattern = chance(0.15) ? '*' : `${pick(TEAMS)}-${pick(ENVIRONMENTS)}-*`;
    return [bucketArn(pattern), bucketArn(`${pattern}/*`)];
  }

  function rolePattern(): string {
    return chance(0.3) ? '*' : chance(0.5) ? iam('role', `${pick(TEAMS)}-*`) : (pick(roleArns) as string);
  }

  function policyStatements(
    kind: 'service' | 'data' | 'power-user' | 'pass-role' | 'iam-write' | 'assume' | 'read',
  ): Draft[] {
    const condition = () => (chance(0.15) ? { Condition: pick(CONDITIONS) } : {});
    switch (kind) {
      case 'service':
        return [
          {
            Effect: 'Allow',
            Action: some(SERVICE_WILDCARDS, between(1, 3)),
            Resource: ['*'],
            ...condition(),
          },
          ...(chance(0.3)
            ? [
                {
                  Effect: 'Deny' as const,
                  Action: ['s3:DeleteBucket', 'dynamodb:DeleteTable'],
                  Resource: ['*'],
                },
              ]
            : []),
        ];
      case 'data': {
        const bucket = bucketArn(pick(bucketNames));
        return [
          {
            Effect: 'Allow',
            Action: some(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'], 3),
            Resource: chance(0.6) ? [bucket, `${bucket}/*`] : bucketPattern(),
            ...condition(),
          },
        ];
      }
      case 'power-user':
        // The shape of AWS's PowerUserAccess, with the Deny statements real copies add.
        return [
          {
            Effect: 'Allow',
            NotAction: ['iam:*', 'organizations:*', 'account:*'],
            Resource: ['*'],
          },
          {
            Effect: 'Allow',
            Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization'],
            Resource: ['*'],
          },
          {
            Effect: 'Deny',
            Action: ['s3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'cloudtrail:StopLogging'],
            Resource: ['*'],
          },
          ...(chance(0.5)
            ? [
                {
                  Effect: 'Deny' as const,
                  NotAction: ['s3:*', 'dynamodb:*', 'lambda:*', 'sts:*'],
                  Resource: ['*'],
                  Condition: { StringNotEquals: { 'aws:RequestedRegion': [DENSE_REGION] } },
                },
              ]
            : []),
        ];
      case 'pass-role':
        return [
          {
            Effect: 'Allow',
            Action: ['iam:PassRole'],
            Resource: [rolePattern()],
            ...(chance(0.3)
              ? { Condition: { StringEquals: { 'iam:PassedToService': [pick(SERVICES)] } } }
              : {}),
          },
          { Effect: 'Allow', Action: pick(COMPUTE_CREATE), Resource: ['*'] },
        ];
      case 'iam-write':
        return [
          {
            Effect: 'Allow',
            Action: some(RISKY_IAM, between(1, 3)),
            Resource: [chance(0.4) ? '*' : chance(0.5) ? iam('role', `${pick(TEAMS)}-*`) : iam('user', '*')],
            ...condition(),
          },
        ];
      case 'assume':
        return [
          {
            Effect: 'Allow',
            Action: ['sts:AssumeRole'],
            Resource: [rolePattern()],
            ...condition(),
          },
        ];
      default:
        return [
          {
            Effect: 'Allow',
            Action: some(
              ['ec2:Describe*', 'iam:Get*', 'iam:List*', 's3:List*', 'cloudwatch:Get*', 'logs:*'],
              3,
            ),
            Resource: ['*'],
          },
        ];
    }
  }

  function trust(i: number): PolicyDocument {
    const assume = ['sts:AssumeRole'];
    const roll = random();
    if (roll < 0.35)
      return doc([{ Effect: 'Allow', Principal: { Service: [pick(SERVICES)] }, Action: assume }]);
    if (roll < 0.55 && i > 0)
      return doc([
        { Effect: 'Allow', Principal: { AWS: some(roleArns.slice(0, i), between(1, 2)) }, Action: assume },
      ]);
    if (roll < 0.7)
      return doc([{ Effect: 'Allow', Principal: { AWS: [root(DENSE_ACCOUNT)] }, Action: assume }]);
    if (roll < 0.8)
      return doc([
        {
          Effect: 'Allow',
          Principal: { AWS: [root(DENSE_ACCOUNT)] },
          Action: assume,
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
        },
      ]);
    if (roll < 0.9)
      return doc([
        {
          Effect: 'Allow',
          Principal: { AWS: [root(DENSE_PARTNER_ACCOUNT)] },
          Action: assume,
          Condition: { StringEquals: { 'sts:ExternalId': [`partner-${i}`] } },
        },
      ]);
    return doc([
      {
        Effect: 'Allow',
        Principal: { Federated: [iam('oidc-provider', GITHUB)] },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: {
          StringEquals: { [`${GITHUB}:aud`]: ['sts.amazonaws.com'] },
          StringLike: {
            [`${GITHUB}:sub`]: [`repo:acme/${pick(TEAMS)}:${chance(0.2) ? '*' : 'ref:refs/heads/main'}`],
          },
        },
      },
    ]);
  }

  function bucketPolicy(arn: string): PolicyDocument {
    const statements: Draft[] = [
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
      },
    ];
    const roll = random();
    if (roll < 0.4)
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: some(roleArns, between(1, 3)) },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [`${arn}/*`],
      });
    else if (roll < 0.7)
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: [root(DENSE_ACCOUNT)] },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [arn, `${arn}/*`],
      });
    else if (roll < 0.95)
      statements.push({
        Effect: 'Allow',
        Principal: { AWS: [root(DENSE_PARTNER_ACCOUNT)] },
        Action: ['s3:GetObject'],
        Resource: [`${arn}/*`],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc123'] } },
      });
    else
      statements.push({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`${arn}/*`] });
    return doc(statements);
  }
}

/**
 * What the account says was collected: everything the live collector reads in one region, each
 * empty where the account has nothing, so the account read from its snapshot decides what the same
 * account collected live from moto decides (an uncollected Lambda list leaves "a function may run as
 * this role" open; a collected, empty one closes it). Only the account's Block Public Access
 * settings stay unknown: S3 Control is not reachable through moto's IP endpoint
 * (src/collectors/aws/services/s3.ts).
 */
function denseCollected(): Record<string, boolean> {
  const collected: Record<string, boolean> = {
    'sts-get-caller-identity': true,
    'iam-get-account-authorization-details': true,
    'iam-credential-report': true,
    'iam-list-access-keys': true,
    'iam-get-access-key-last-used': true,
    'iam-list-open-id-connect-providers': true,
    'iam-get-open-id-connect-provider': true,
    'iam-list-saml-providers': true,
    'iam-list-account-aliases': true,
    's3api-list-buckets': true,
    's3control-get-public-access-block': false,
  };
  for (const command of S3_PER_BUCKET) collected[command] = true;
  for (const command of Object.keys(EMPTY_LISTS)) collected[command] = true;
  return collected;
}
