// A deterministic synthetic AWS estate for bench/aws-analyze.ts, built directly as an AwsEnvironment:
// several accounts (tooling, production, development), users and roles with inline and managed
// policies full of wildcards, permissions boundaries, trust policies naming services, account roots,
// roles, GitHub OIDC subjects (some with undecidable conditions), and data stores with resource
// policies. `toSnapshotRaw` writes the IAM part in the AWS CLI's own shapes, so the collector's
// snapshot path can be timed on the same estate.

import { type AwsRaw, perResource } from '../src/collectors/aws/raw.js';
import {
  type AwsAccountData,
  type AwsEnvironment,
  type AwsGroupData,
  type AwsResourceData,
  type AwsResourceType,
  type AwsRoleData,
  type AwsUserData,
  emptyAwsAccount,
  type ManagedPolicyData,
} from '../src/model/aws/environment.js';
import type { ConditionBlock, NamedPolicy, PolicyDocument, Statement } from '../src/model/aws/policy.js';
import { prng } from './synthetic-inventory.js';

export interface SyntheticAwsOptions {
  principals: number;
  policies: number;
  resources: number;
  accounts?: number;
  seed?: number;
}

const TEAMS = ['payments', 'checkout', 'search', 'ml', 'platform', 'data', 'security', 'growth'];
const ENVIRONMENTS = ['prod', 'staging', 'dev'];
const SERVICES = [
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'glue.amazonaws.com',
];
const REGION = 'eu-west-1';
/** Actions by family, with the wildcards real policies use. */
const ACTIONS = {
  s3: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:Get*', 's3:List*', 's3:*', 's3:DeleteObject'],
  dynamodb: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:*', 'dynamodb:Describe*'],
  kms: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Describe*'],
  secrets: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:*'],
  read: ['ec2:Describe*', 'cloudwatch:Get*', 'logs:*', 'iam:Get*', 'iam:List*', 'sqs:SendMessage'],
  escalation: [
    'iam:PassRole',
    'iam:CreatePolicyVersion',
    'iam:AttachRolePolicy',
    'lambda:CreateFunction',
    'lambda:UpdateFunctionCode',
    'iam:PutUserPolicy',
    'iam:CreateAccessKey',
    'sts:AssumeRole',
  ],
};
const UNDECIDABLE: ConditionBlock[] = [
  { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
  { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
  { StringEquals: { 'sts:ExternalId': ['partner-4711'] } },
];

export function syntheticAwsEnvironment(options: SyntheticAwsOptions): AwsEnvironment {
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const accountCount = options.accounts ?? 5;
  const accountIds = Array.from({ length: accountCount }, (_, i) =>
    String(100000000000 + (i + 1) * 111111111).padStart(12, '0'),
  );
  const accounts: AwsAccountData[] = accountIds.map((accountId, i) =>
    emptyAwsAccount(accountId, {
      alias: i === 0 ? 'tooling' : `${pick(TEAMS)}-${ENVIRONMENTS[i % ENVIRONMENTS.length]}`,
      collected: { 'iam-get-account-authorization-details': true },
    }),
  );
  const tooling = accounts[0] as AwsAccountData;
  tooling.oidcProviders.push({
    arn: `arn:aws:iam::${tooling.accountId}:oidc-provider/token.actions.githubusercontent.com`,
    url: 'token.actions.githubusercontent.com',
    clientIds: ['sts.amazonaws.com'],
  });

  // Resources first, so policies can name real ARNs as well as patterns.
  const resourceTypes: [AwsResourceType, number][] = [
    ['s3-bucket', 0.4],
    ['dynamodb-table', 0.2],
    ['secret', 0.15],
    ['kms-key', 0.1],
    ['lambda-function', 0.1],
    ['ec2-instance', 0.05],
  ];
  const resources: AwsResourceData[] = [];
  for (let i = 0; i < options.resources; i++) {
    const account = pick(accounts);
    const type = weighted(resourceTypes, random());
    const team = pick(TEAMS);
    const env = ENVIRONMENTS[accountIds.indexOf(account.accountId) % ENVIRONMENTS.length] as string;
    const name = `${team}-${env}-${type.split('-')[0]}-${i}`;
    const arn = resourceArn(type, account.accountId, name, i);
    const resource: AwsResourceData = {
      arn,
      type,
      name,
      accountId: account.accountId,
      region: REGION,
      tags: {
        env,
        team,
        ...(chance(0.3) ? { 'data-classification': pick(['confidential', 'internal', 'public']) } : {}),
      },
    };
    if (type === 'kms-key' || (type === 's3-bucket' && chance(0.3)) || (type === 'secret' && chance(0.2))) {
      resource.policy = {
        id: `${arn}#policy`,
        name: 'resource policy',
        kind: 'resource',
        document: doc([
          {
            Effect: 'Allow',
            Principal: {
              AWS: [
                type === 'kms-key'
                  ? `arn:aws:iam::${account.accountId}:root`
                  : `arn:aws:iam::${pick(accountIds)}:root`,
              ],
            },
            Action: [
              type === 'kms-key'
                ? 'kms:*'
                : type === 's3-bucket'
                  ? 's3:GetObject'
                  : 'secretsmanager:GetSecretValue',
            ],
            Resource: ['*'],
          },
          ...(chance(0.2)
            ? [
                {
                  Effect: 'Deny' as const,
                  Principal: '*' as const,
                  Action: ['*'],
                  Resource: ['*'],
                  Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
                },
              ]
            : []),
        ]),
      };
    }
    account.resources.push(resource);
    resources.push(resource);
  }

  // Policies name some resources by ARN (a few hundred, so ARN patterns repeat as in real estates).
  const targets = resources.filter((r) => r.type !== 'ec2-instance').slice(0, 200);

  // Role ARNs so far: trust policies and sts:AssumeRole statements name existing roles.
  const roleArns: string[] = [];

  // Managed policies: a share of the policy budget, some used as permissions boundaries.
  const managedCount = Math.round(options.policies * 0.2);
  const managedByAccount = new Map<string, ManagedPolicyData[]>();
  for (let i = 0; i < managedCount; i++) {
    const account = pick(accounts);
    const arn = `arn:aws:iam::${account.accountId}:policy/${pick(TEAMS)}-policy-${i}`;
    const boundary = i % 10 === 0;
    const document = boundary
      ? doc([
          {
            Effect: 'Allow',
            Action: ['s3:*', 'dynamodb:*', 'kms:Decrypt', 'logs:*', 'sts:AssumeRole'],
            Resource: ['*'],
          },
        ])
      : doc(statements(3));
    const managed: ManagedPolicyData = {
      arn,
      path: '/',
      policy: { id: arn, name: arn.split('/').pop() as string, kind: 'customer-managed', document },
      defaultVersionId: 'v1',
      otherVersions: chance(0.05)
        ? [{ versionId: 'v0', document: doc([{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }]) }]
        : [],
    };
    account.managedPolicies.push(managed);
    managedByAccount.set(account.accountId, [...(managedByAccount.get(account.accountId) ?? []), managed]);
  }
  const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
  for (const account of accounts)
    account.managedPolicies.push({
      arn: admin,
      path: '/',
      policy: {
        id: admin,
        name: 'AdministratorAccess',
        kind: 'aws-managed',
        document: doc([{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }]),
      },
      defaultVersionId: 'v1',
      otherVersions: [],
    });

  // Principals: 30 % users, 70 % roles; the inline policies use up the rest of the policy budget.
  const inlineBudget = options.policies - managedCount;
  const inlinePerPrincipal = inlineBudget / options.principals;
  for (let i = 0; i < options.principals; i++) {
    const account = pick(accounts);
    const isUser = chance(0.3);
    const team = pick(TEAMS);
    const name = `${team}-${isUser ? pick(['ci', 'svc', 'bot', 'person']) : pick(['app', 'deploy', 'worker', 'reader'])}-${i}`;
    const arn = `arn:aws:iam::${account.accountId}:${isUser ? 'user' : 'role'}/${name}`;
    const inlineCount = Math.floor(inlinePerPrincipal) + (chance(inlinePerPrincipal % 1) ? 1 : 0);
    const inlinePolicies: NamedPolicy[] = Array.from({ length: inlineCount }, (_, k) => ({
      id: `${arn}#inline/p${k}`,
      name: `p${k}`,
      kind: 'inline',
      document: doc(statements(2)),
    }));
    const managed = managedByAccount.get(account.accountId) ?? [];
    const attachedPolicyArns = [
      ...Array.from({ length: Math.floor(random() * 3) }, () => pick(managed)?.arn).filter(
        // Boundary policies (names ending in 0) are used as boundaries only.
        (a): a is string => !!a && !a.endsWith('0'),
      ),
      ...(chance(0.01) ? [admin] : []),
    ];
    const boundaries = managed.filter((m) => m.policy.name.endsWith('0'));
    const base = {
      arn,
      uniqueId: `${isUser ? 'AIDA' : 'AROA'}${String(i).padStart(17, '0')}`,
      name,
      path: '/',
      accountId: account.accountId,
      tags: { team },
      inlinePolicies,
      attachedPolicyArns: [...new Set(attachedPolicyArns)],
      ...(chance(0.2) && boundaries.length > 0 ? { permissionsBoundaryArn: pick(boundaries).arn } : {}),
    };
    if (isUser) {
      const user: AwsUserData = {
        ...base,
        groupArns: [],
        accessKeys: chance(0.6)
          ? [
              {
                accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
                status: 'Active',
                createDate: '2024-01-01T00:00:00Z',
              },
            ]
          : [],
        hasConsolePassword: chance(0.3),
      };
      account.users.push(user);
    } else {
      const role: AwsRoleData = {
        ...base,
        trustPolicy: {
          id: `${arn}#trust`,
          name: 'trust policy',
          kind: 'trust',
          document: trust(account, roleArns),
        },
        serviceLinked: false,
        instanceProfileArns: [],
      };
      account.roles.push(role);
      roleArns.push(arn);
    }
  }
  // Groups: one per team and account, holding some of the account's users.
  for (const account of accounts) {
    const managed = managedByAccount.get(account.accountId) ?? [];
    const groups: AwsGroupData[] = TEAMS.map((team) => ({
      arn: `arn:aws:iam::${account.accountId}:group/${team}`,
      name: team,
      path: '/',
      accountId: account.accountId,
      inlinePolicies: [
        {
          id: `arn:aws:iam::${account.accountId}:group/${team}#inline/team`,
          name: 'team',
          kind: 'inline',
          document: doc(statements(2)),
        },
      ],
      attachedPolicyArns: managed.length ? [pick(managed).arn] : [],
    }));
    account.groups.push(...groups);
    for (const user of account.users) if (chance(0.5)) user.groupArns.push(pick(groups).arn);
    // Workloads run as roles of their account.
    const roles = account.roles;
    for (const resource of account.resources) {
      if ((resource.type === 'lambda-function' || resource.type === 'ec2-instance') && roles.length > 0) {
        const role = pick(roles);
        resource.roleArns = [role.arn];
        if (resource.type === 'ec2-instance') {
          const profile = `arn:aws:iam::${account.accountId}:instance-profile/${role.name}`;
          if (!role.instanceProfileArns.includes(profile)) {
            role.instanceProfileArns.push(profile);
            account.instanceProfiles.push({ arn: profile, name: role.name, roleArns: [role.arn] });
          }
          resource.attributes = { instanceProfileArn: profile, state: 'running' };
        }
      }
    }
  }
  return { accounts, issues: [] };

  function statements(count: number): Omit<Statement, 'index'>[] {
    return Array.from({ length: count }, () => {
      const family = pick([
        's3',
        's3',
        'dynamodb',
        'kms',
        'secrets',
        'read',
        'read',
        'read',
        'escalation',
      ] as const);
      const actions = [
        ...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(ACTIONS[family]))),
      ];
      const target = targets.length > 0 ? pick(targets) : undefined;
      // As in real estates: read-only actions on *, data access mostly scoped to a team's names or to
      // one resource, now and then to everything.
      const resource =
        family === 'read'
          ? ['*']
          : family === 'escalation'
            ? [
                chance(0.05)
                  ? '*'
                  : chance(0.5) && roleArns.length > 0
                    ? pick(roleArns)
                    : `arn:aws:iam::*:role/${pick(TEAMS)}-${pick(['app', 'deploy', 'worker', 'reader'])}-1*`,
              ]
            : chance(0.005)
              ? ['*']
              : chance(0.7) && target
                ? [target.arn, `${target.arn}/*`]
                : [teamPattern(family)];
      const statement: Omit<Statement, 'index'> = {
        Effect: chance(0.08) ? 'Deny' : 'Allow',
        ...(chance(0.005) ? { NotAction: ['iam:*', 'organizations:*'] } : { Action: actions }),
        Resource: resource,
        ...(chance(0.1) ? { Condition: pick(UNDECIDABLE) } : {}),
      };
      return statement;
    });
  }

  /** A team's resources of one family in one environment, one shard in ten: a handful of names. */
  function teamPattern(family: 's3' | 'dynamodb' | 'kms' | 'secrets'): string {
    const service = family === 'secrets' ? 'secretsmanager' : family;
    const type = { s3: 's3', dynamodb: 'dynamodb', kms: 'kms', secrets: 'secret' }[family];
    const name = `${pick(TEAMS)}-${pick(ENVIRONMENTS)}-${type}-${Math.floor(random() * 10)}*`;
    return family === 's3' ? `arn:aws:s3:::${name}` : `arn:aws:${service}:*:*:*${name}`;
  }

  function trust(account: AwsAccountData, existingRoles: string[]): PolicyDocument {
    const roll = random();
    if (roll < 0.4)
      return doc([{ Effect: 'Allow', Principal: { Service: [pick(SERVICES)] }, Action: ['sts:AssumeRole'] }]);
    if (roll < 0.7)
      return doc([
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${chance(0.5) ? account.accountId : pick(accountIds)}:root`] },
          Action: ['sts:AssumeRole'],
          ...(chance(0.3) ? { Condition: pick(UNDECIDABLE) } : {}),
        },
      ]);
    if (roll < 0.93 && existingRoles.length > 0)
      return doc([
        { Effect: 'Allow', Principal: { AWS: [pick(existingRoles)] }, Action: ['sts:AssumeRole'] },
      ]);
    return doc([
      {
        Effect: 'Allow',
        Principal: {
          Federated: [`arn:aws:iam::${tooling.accountId}:oidc-provider/token.actions.githubusercontent.com`],
        },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'] },
          StringLike: {
            'token.actions.githubusercontent.com:sub': [
              `repo:acme/${pick(TEAMS)}:${chance(0.1) ? '*' : 'ref:refs/heads/main'}`,
            ],
          },
        },
      },
    ]);
  }
}

/** The item whose cumulative weight first exceeds `roll` (weights sum to 1). */
function weighted<T>(items: [T, number][], roll: number): T {
  let left = roll;
  for (const [item, weight] of items) {
    left -= weight;
    if (left < 0) return item;
  }
  return (items[items.length - 1] as [T, number])[0];
}

/** A policy document with its statements numbered, as the parser leaves them. */
export function doc(statements: Omit<Statement, 'index'>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements.map((s, index) => ({ ...s, index }) as Statement) };
}

function resourceArn(type: AwsResourceType, account: string, name: string, i: number): string {
  switch (type) {
    case 's3-bucket':
      return `arn:aws:s3:::${name}`;
    case 'dynamodb-table':
      return `arn:aws:dynamodb:${REGION}:${account}:table/${name}`;
    case 'secret':
      return `arn:aws:secretsmanager:${REGION}:${account}:secret:${name}-AbCdEf`;
    case 'kms-key':
      return `arn:aws:kms:${REGION}:${account}:key/${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
    case 'lambda-function':
      return `arn:aws:lambda:${REGION}:${account}:function:${name}`;
    default:
      return `arn:aws:ec2:${REGION}:${account}:instance/i-${String(i).padStart(17, '0')}`;
  }
}

// ── The IAM part as the AWS CLI prints it ───────────────────────────────────────────────────

/**
 * `aws iam get-account-authorization-details`, `aws iam list-access-keys` per user, `aws s3api
 * list-buckets` and `aws s3api get-bucket-policy` per bucket, as the CLI prints them, per account.
 */
/**
 * The environment as the AWS CLI (and the live collector) write it: the IAM details, the access
 * keys and the bucket policies, and whatever else an account's `collected` says was collected (the
 * credential report, key last use, OIDC providers, the buckets' other settings, the regional lists
 * of `region`, empty).
 */
export function toSnapshotRaw(environment: AwsEnvironment, region = 'us-east-1'): AwsRaw {
  const raw: AwsRaw = { accounts: {} };
  for (const account of environment.accounts) {
    const policyList = (policies: NamedPolicy[]) =>
      policies.map((p) => ({ PolicyName: p.name, PolicyDocument: cliDocument(p.document) }));
    const attached = (arns: string[]) =>
      arns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn }));
    const boundary = (arn: string | undefined) =>
      arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } } : {};
    const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
    const attachments = new Map<string, number>();
    for (const p of [...account.users, ...account.groups, ...account.roles])
      for (const arn of p.attachedPolicyArns) attachments.set(arn, (attachments.get(arn) ?? 0) + 1);
    const details = {
      UserDetailList: account.users.map((u) => ({
        Path: u.path,
        UserName: u.name,
        UserId: u.uniqueId,
        Arn: u.arn,
        CreateDate: '2024-01-01T00:00:00+00:00',
        UserPolicyList: policyList(u.inlinePolicies),
        GroupList: u.groupArns.map((g) => g.split('/').pop()),
        AttachedManagedPolicies: attached(u.attachedPolicyArns),
        ...boundary(u.permissionsBoundaryArn),
        Tags: tags(u.tags),
      })),
      GroupDetailList: account.groups.map((g) => ({
        Path: g.path,
        GroupName: g.name,
        GroupId: `AGPA${g.name.toUpperCase().padEnd(17, 'X')}`,
        Arn: g.arn,
        CreateDate: '2024-01-01T00:00:00+00:00',
        GroupPolicyList: policyList(g.inlinePolicies),
        AttachedManagedPolicies: attached(g.attachedPolicyArns),
      })),
      RoleDetailList: account.roles.map((r) => ({
        Path: r.path,
        RoleName: r.name,
        RoleId: r.uniqueId,
        Arn: r.arn,
        CreateDate: '2024-01-01T00:00:00+00:00',
        AssumeRolePolicyDocument: cliDocument(r.trustPolicy.document),
        InstanceProfileList: account.instanceProfiles
          .filter((p) => p.roleArns.includes(r.arn))
          .map((p) => ({
            Path: '/',
            InstanceProfileName: p.name,
            InstanceProfileId: `AIPA${p.name.length}`,
            Arn: p.arn,
            Roles: [],
          })),
        RolePolicyList: policyList(r.inlinePolicies),
        AttachedManagedPolicies: attached(r.attachedPolicyArns),
        ...boundary(r.permissionsBoundaryArn),
        Tags: tags(r.tags),
        RoleLastUsed: {},
      })),
      Policies: account.managedPolicies.map((m) => ({
        PolicyName: m.policy.name,
        PolicyId: `ANPA${m.policy.name.length}`,
        Arn: m.arn,
        Path: m.path,
        DefaultVersionId: 'v1',
        AttachmentCount: attachments.get(m.arn) ?? 0,
        IsAttachable: true,
        PolicyVersionList: [
          { Document: cliDocument(m.policy.document), VersionId: 'v1', IsDefaultVersion: true },
          ...m.otherVersions.map((v) => ({
            Document: cliDocument(v.document),
            VersionId: v.versionId,
            IsDefaultVersion: false,
          })),
        ],
      })),
    };
    const buckets = account.resources.filter((r) => r.type === 's3-bucket');
    const documents: Record<string, unknown> = {
      'iam-get-account-authorization-details': details,
      's3api-list-buckets': {
        Buckets: buckets.map((b) => ({ Name: b.name, CreationDate: '2024-01-01T00:00:00+00:00' })),
      },
    };
    const ran = ['iam-list-access-keys', 's3api-get-bucket-policy'];
    const collected = (command: string) => account.collected[command] === true;
    for (const user of account.users)
      documents[perResource('iam-list-access-keys', user.name)] = {
        AccessKeyMetadata: user.accessKeys.map((k) => ({
          UserName: user.name,
          AccessKeyId: k.accessKeyId,
          Status: k.status,
          CreateDate: k.createDate ?? '2024-01-01T00:00:00+00:00',
        })),
      };
    for (const bucket of buckets)
      if (bucket.policy)
        documents[perResource('s3api-get-bucket-policy', bucket.name)] = {
          Policy: JSON.stringify(cliDocument(bucket.policy.document)),
        };
    // What else the account says was collected, in the shapes the live collector writes.
    if (collected('sts-get-caller-identity'))
      documents['sts-get-caller-identity'] = {
        UserId: 'AIDASYNTHETICCALLER',
        Account: account.accountId,
        Arn: `arn:${account.partition}:iam::${account.accountId}:user/synthetic-caller`,
      };
    if (collected('iam-credential-report')) documents['iam-credential-report'] = credentialReport(account);
    if (collected('iam-get-access-key-last-used')) {
      ran.push('iam-get-access-key-last-used');
      for (const user of account.users)
        for (const key of user.accessKeys)
          documents[perResource('iam-get-access-key-last-used', key.accessKeyId)] = {
            UserName: user.name,
            AccessKeyLastUsed: key.lastUsedDate
              ? { LastUsedDate: key.lastUsedDate, ServiceName: key.lastUsedService ?? 'N/A', Region: 'N/A' }
              : { ServiceName: 'N/A', Region: 'N/A' },
          };
    }
    if (collected('iam-list-account-aliases'))
      documents['iam-list-account-aliases'] = { AccountAliases: account.alias ? [account.alias] : [] };
    if (collected('iam-list-open-id-connect-providers'))
      documents['iam-list-open-id-connect-providers'] = {
        OpenIDConnectProviderList: account.oidcProviders.map((p) => ({ Arn: p.arn })),
      };
    if (collected('iam-get-open-id-connect-provider')) {
      ran.push('iam-get-open-id-connect-provider');
      for (const p of account.oidcProviders)
        documents[perResource('iam-get-open-id-connect-provider', p.url)] = {
          Url: p.url,
          ClientIDList: p.clientIds,
        };
    }
    if (collected('iam-list-saml-providers'))
      documents['iam-list-saml-providers'] = {
        SAMLProviderList: account.samlProviders.map((p) => ({ Arn: p.arn })),
      };
    for (const command of S3_PER_BUCKET.filter(collected)) {
      ran.push(command);
      for (const bucket of buckets) {
        const document = bucketDocument(command, bucket);
        if (document) documents[perResource(command, bucket.name)] = document;
      }
    }
    for (const [command, empty] of Object.entries(EMPTY_LISTS))
      if (collected(command)) documents[`${region}/${command}`] = empty;
    raw.accounts[account.accountId] = { documents, ran: [...new Set(ran)].sort(), errors: {} };
  }
  return raw;
}

/** A policy document as written (no statement index). */
export function cliDocument(document: PolicyDocument): unknown {
  return { ...document, Statement: document.Statement.map(({ index: _, ...s }) => s) };
}

/** The per-bucket settings besides the policy that the live collector reads. */
export const S3_PER_BUCKET = [
  's3api-get-bucket-tagging',
  's3api-get-bucket-location',
  's3api-get-public-access-block',
  's3api-get-bucket-acl',
  's3api-get-bucket-ownership-controls',
];

/** Each regional list as the AWS CLI prints it when the account has none. */
export const EMPTY_LISTS: Record<string, unknown> = {
  'kms-list-keys': { Keys: [] },
  'kms-list-aliases': { Aliases: [] },
  'secretsmanager-list-secrets': { SecretList: [] },
  'dynamodb-list-tables': { TableNames: [] },
  'rds-describe-db-instances': { DBInstances: [] },
  'rds-describe-db-clusters': { DBClusters: [] },
  'sqs-list-queues': {},
  'sns-list-topics': { Topics: [] },
  'ecr-describe-repositories': { repositories: [] },
  'ssm-describe-parameters': { Parameters: [] },
  'efs-describe-file-systems': { FileSystems: [] },
  'opensearch-list-domain-names': { DomainNames: [] },
  'apigateway-get-rest-apis': { items: [] },
  'glacier-list-vaults': { VaultList: [] },
  'lambda-list-functions': { Functions: [] },
  'ec2-describe-instances': { Reservations: [] },
  'glue-get-dev-endpoints': { DevEndpoints: [] },
  'sagemaker-list-notebook-instances': { NotebookInstances: [] },
  'cloudformation-describe-stacks': { Stacks: [] },
  'codebuild-list-projects': { projects: [] },
  'ecs-list-task-definitions': { taskDefinitionArns: [] },
  'ecs-list-clusters': { clusterArns: [] },
  'eks-list-clusters': { clusters: [] },
  'cognito-identity-list-identity-pools': { IdentityPools: [] },
  'cognito-idp-list-user-pools': { UserPools: [] },
};

const CANONICAL_OWNER = 'synthetic-owner';

/** One bucket's setting; none where the API answers "no such configuration". */
function bucketDocument(command: string, bucket: AwsResourceData): unknown {
  switch (command) {
    case 's3api-get-bucket-tagging':
      return Object.keys(bucket.tags).length
        ? { TagSet: Object.entries(bucket.tags).map(([Key, Value]) => ({ Key, Value })) }
        : undefined;
    // us-east-1 is answered with no LocationConstraint.
    case 's3api-get-bucket-location':
      return bucket.region && bucket.region !== 'us-east-1' ? { LocationConstraint: bucket.region } : {};
    case 's3api-get-bucket-acl':
      return {
        Owner: { ID: CANONICAL_OWNER },
        Grants: [{ Grantee: { Type: 'CanonicalUser', ID: CANONICAL_OWNER }, Permission: 'FULL_CONTROL' }],
      };
    default:
      return undefined;
  }
}

/** The credential report's CSV: password, MFA and the first two keys of every user. */
function credentialReport(account: AwsAccountData): string {
  const header = [
    'user',
    'arn',
    'user_creation_time',
    'password_enabled',
    'mfa_active',
    'access_key_1_active',
    'access_key_2_active',
  ];
  const rows = account.users.map((u) =>
    [
      u.name,
      u.arn,
      u.createDate ?? '2024-01-01T00:00:00+00:00',
      String(u.hasConsolePassword ?? false),
      String(u.mfaActive ?? false),
      String(u.accessKeys[0]?.status === 'Active'),
      String(u.accessKeys[1]?.status === 'Active'),
    ].join(','),
  );
  return [header.join(','), ...rows].join('\n');
}
