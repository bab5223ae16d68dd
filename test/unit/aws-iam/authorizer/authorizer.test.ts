// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import type { AwsOrganizationData } from '../../../../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  group,
  groupArn,
  managed,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';

const A = '111111111111';
const B = '222222222222';
const BUCKET = 'arn:aws:s3:::data-bucket';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

beforeAll(() => loadCatalog());

describe('policy gathering', () => {
  it('collects inline, attached managed and every group policy of a user', () => {
    const env = environment(
      account(A, {
        users: [
          user(A, 'alice', {
            groupArns: [groupArn(A, 'readers'), groupArn(A, 'writers')],
            attachedPolicyArns: [`arn:aws:iam::${A}:policy/own`],
          }),
        ],
        groups: [
          group(A, 'readers', { policy: doc(allow('s3:GetObject', `${BUCKET}/*`)) }),
          group(A, 'writers', { attachedPolicyArns: [`arn:aws:iam::${A}:policy/write`] }),
        ],
        managedPolicies: [
          managed(`arn:aws:iam::${A}:policy/own`, doc(allow('sqs:SendMessage'))),
          managed(`arn:aws:iam::${A}:policy/write`, doc(allow('s3:PutObject', `${BUCKET}/*`))),
        ],
      }),
    );
    const authz = createAuthorizer(env);
    const alice = userArn(A, 'alice');
    expect(authz.record(alice)?.identityPolicies.map((p) => p.id)).toEqual([
      `arn:aws:iam::${A}:policy/own`,
      `${groupArn(A, 'readers')}#inline/inline`,
      `arn:aws:iam::${A}:policy/write`,
    ]);
    expect(authz.evaluate(alice, 's3:PutObject', `${BUCKET}/x`).outcome).toBe('allow');
    expect(authz.evaluate(alice, 's3:GetObject', `${BUCKET}/x`).allowedBy[0]?.policyId).toBe(
      `${groupArn(A, 'readers')}#inline/inline`,
    );
    expect(authz.evaluate(alice, 's3:DeleteObject', `${BUCKET}/x`).outcome).toBe('implicit-deny');
  });

  it('reports an attached policy that was not collected instead of failing', () => {
    const env = environment(
      account(A, { users: [user(A, 'bob', { attachedPolicyArns: [`arn:aws:iam::${A}:policy/gone`] })] }),
    );
    const authz = createAuthorizer(env);
    expect(authz.issues.map((i) => i.message).join()).toContain(`arn:aws:iam::${A}:policy/gone`);
    expect(authz.evaluate(userArn(A, 'bob'), 's3:GetObject', '*').outcome).toBe('implicit-deny');
  });

  it('applies the permissions boundary', () => {
    const env = environment(
      account(A, {
        roles: [
          role(A, 'bounded', trusts({ Service: ['lambda.amazonaws.com'] }), {
            policy: doc(allow('*')),
            permissionsBoundaryArn: `arn:aws:iam::${A}:policy/boundary`,
          }),
        ],
        managedPolicies: [managed(`arn:aws:iam::${A}:policy/boundary`, doc(allow('s3:*')))],
      }),
    );
    const authz = createAuthorizer(env);
    const r = roleArn(A, 'bounded');
    expect(authz.evaluate(r, 's3:GetObject', `${BUCKET}/x`).outcome).toBe('allow');
    expect(authz.evaluate(r, 'iam:CreateUser', '*').outcome).toBe('implicit-deny');
    expect(authz.policySet(r, 'iam:CreateUser', '*')?.permissionsBoundary?.kind).toBe('permissions-boundary');
  });
});

describe('organization guardrails', () => {
  const org = (scps: AwsOrganizationData['serviceControlPolicies']): AwsOrganizationData => ({
    id: 'o-abc123',
    arn: `arn:aws:organizations::${B}:organization/o-abc123`,
    managementAccountId: B,
    rootId: 'r-root',
    accounts: [
      { id: A, parentId: 'ou-prod' },
      { id: B, parentId: 'r-root' },
    ],
    organizationalUnits: [{ id: 'ou-prod', parentId: 'r-root' }],
    serviceControlPolicies: scps,
    resourceControlPolicies: [],
  });
  const full = (id: string, targets: string[]) => ({
    policy: { id, name: id, kind: 'scp' as const, document: doc(allow('*')) },
    targets,
  });

  it('builds the SCP chain root → OU → account and every level must allow', () => {
    const denyIam = {
      policy: {
        id: 'p-deny-iam',
        name: 'deny-iam',
        kind: 'scp' as const,
        document: doc(allow('*'), deny('iam:*')),
      },
      targets: ['ou-prod'],
    };
    const env = {
      ...environment(
        account(A, { users: [user(A, 'ops', { policy: doc(allow('*')) })] }),
        account(B, { users: [user(B, 'mgmt', { policy: doc(allow('*')) })] }),
      ),
      organization: org([full('p-full', ['r-root', A]), denyIam]),
    };
    const authz = createAuthorizer(env);
    expect(
      authz
        .policySet(userArn(A, 'ops'), 'iam:CreateUser', '*')
        ?.serviceControlPolicies?.map((l) => l.map((p) => p.id)),
    ).toEqual([['p-full'], ['p-deny-iam'], ['p-full']]);
    expect(authz.evaluate(userArn(A, 'ops'), 'iam:CreateUser', '*').outcome).toBe('explicit-deny');
    expect(authz.evaluate(userArn(A, 'ops'), 's3:ListAllMyBuckets', '*').outcome).toBe('allow');
    // SCPs do not restrict the management account.
    expect(
      authz.policySet(userArn(B, 'mgmt'), 'iam:CreateUser', '*')?.serviceControlPolicies,
    ).toBeUndefined();
    expect(authz.evaluate(userArn(B, 'mgmt'), 'iam:CreateUser', '*').outcome).toBe('allow');
  });

  it('treats an OU level without any SCP as incomplete data: reported, not denying', () => {
    const env = {
      ...environment(account(A, { users: [user(A, 'ops', { policy: doc(allow('s3:*')) })] })),
      organization: org([full('p-full', ['r-root', A])]),
    };
    const authz = createAuthorizer(env);
    expect(authz.evaluate(userArn(A, 'ops'), 's3:GetObject', `${BUCKET}/x`).outcome).toBe('allow');
    expect(authz.issues.some((i) => i.object === 'ou-prod')).toBe(true);
  });

  it('gives principals their organization id and path', () => {
    const env = { ...environment(account(A, { users: [user(A, 'ops')] })), organization: org([]) };
    const request = createAuthorizer(env).principal(userArn(A, 'ops'))?.request;
    expect(request?.orgId).toBe('o-abc123');
    expect(request?.orgPaths).toEqual(['o-abc123/r-root/ou-prod/']);
  });
});

describe('resource side', () => {
  it('requires the trust policy for sts:AssumeRole even within the account', () => {
    const env = environment(
      account(A, {
        users: [user(A, 'dev', { policy: doc(allow('sts:AssumeRole')) })],
        roles: [
          role(A, 'locked', trusts({ Service: ['ec2.amazonaws.com'] })),
          role(A, 'open', trusts({ AWS: [A] })),
        ],
      }),
    );
    const authz = createAuthorizer(env);
    const set = authz.policySet(userArn(A, 'dev'), 'sts:AssumeRole', roleArn(A, 'locked'));
    expect(set?.resourcePolicyRequired).toBe(true);
    expect(set?.resourcePolicy?.kind).toBe('trust');
    expect(authz.evaluate(userArn(A, 'dev'), 'sts:AssumeRole', roleArn(A, 'locked')).outcome).toBe(
      'implicit-deny',
    );
    expect(authz.evaluate(userArn(A, 'dev'), 'sts:AssumeRole', roleArn(A, 'open')).outcome).toBe('allow');
  });

  it('requires the KMS key policy, and assumes the default one when it was not collected', () => {
    const strict = resource('kms-key', KEY, {
      policy: doc({
        Effect: 'Allow',
        Principal: { AWS: [roleArn(A, 'app')] },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    });
    const env = environment(
      account(A, {
        users: [user(A, 'admin', { policy: doc(allow('kms:*')) })],
        roles: [role(A, 'app', trusts({ Service: ['lambda.amazonaws.com'] }))],
        resources: [strict],
      }),
    );
    const authz = createAuthorizer(env);
    // The key policy names neither the account nor the user: the identity policy is not enough.
    expect(authz.evaluate(userArn(A, 'admin'), 'kms:Decrypt', KEY).outcome).toBe('implicit-deny');
    // A principal the key policy names needs nothing else in its account.
    expect(authz.evaluate(roleArn(A, 'app'), 'kms:Decrypt', KEY).outcome).toBe('allow');

    const unknownPolicy = environment(
      account(A, {
        users: [user(A, 'admin', { policy: doc(allow('kms:*')) })],
        resources: [resource('kms-key', KEY)],
      }),
    );
    const decision = createAuthorizer(unknownPolicy).evaluate(userArn(A, 'admin'), 'kms:Decrypt', KEY);
    // Granted only if the real key policy delegates to the account, which the data cannot tell.
    expect(decision.outcome).toBe('conditional');
    expect(decision.conditions.map((c) => c.key)).toEqual(['reachgraph:KeyPolicyDelegatesToAccount']);
    expect(decision.allowedBy.map((m) => m.policyName)).toContain(
      'default key policy (the key policy was not collected)',
    );
  });

  it('needs both sides across accounts', () => {
    const shared = resource('s3-bucket', BUCKET, {
      accountId: B,
      policy: doc({
        Effect: 'Allow',
        Principal: { AWS: [A] },
        Action: 's3:GetObject',
        Resource: `${BUCKET}/*`,
      }),
    });
    const env = environment(
      account(A, {
        users: [user(A, 'reader', { policy: doc(allow('s3:GetObject', `${BUCKET}/*`)) }), user(A, 'nobody')],
      }),
      account(B, { resources: [shared] }),
    );
    const authz = createAuthorizer(env);
    const both = authz.evaluate(userArn(A, 'reader'), 's3:GetObject', `${BUCKET}/k`);
    expect(both.outcome).toBe('allow');
    expect(both.allowedBy.map((m) => m.policyKind).sort()).toEqual(['inline', 'resource']);
    expect(authz.evaluate(userArn(A, 'nobody'), 's3:GetObject', `${BUCKET}/k`).outcome).toBe('implicit-deny');
    // A principal outside the collected data: only the resource side is checked.
    expect(authz.evaluate(`external:arn:aws:iam::${A}:root`, 's3:GetObject', `${BUCKET}/k`).outcome).toBe(
      'allow',
    );
    expect(
      authz.evaluate('external:arn:aws:iam::999999999999:root', 's3:GetObject', `${BUCKET}/k`).outcome,
    ).toBe('implicit-deny');
  });
});

describe('indexes', () => {
  const env = environment(
    account(A, {
      users: [
        user(A, 's3-only', {
          policy: doc(allow(['s3:GetObject', 's3:ListBucket'], [`${BUCKET}`, `${BUCKET}/*`])),
        }),
        user(A, 'not-action', { policy: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }),
        user(A, 'home', { policy: doc(allow('s3:GetObject', `arn:aws:s3:::homes/${'$'}{aws:username}/*`)) }),
        user(A, 'named'),
      ],
      resources: [
        resource('s3-bucket', BUCKET, { accountId: A }),
        resource('s3-bucket', 'arn:aws:s3:::other', {
          accountId: A,
          policy: doc({
            Effect: 'Allow',
            Principal: { AWS: [userArn(A, 'named')] },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::other/*',
          }),
        }),
      ],
    }),
  );
  const authz = createAuthorizer(env);

  it('mayAllow looks at the service bucket, NotAction statements and resource policies naming the principal', () => {
    expect(authz.mayAllow(userArn(A, 's3-only'), 's3:getobject')).toBe(true);
    expect(authz.mayAllow(userArn(A, 's3-only'), 's3:PutObject')).toBe(false);
    expect(authz.mayAllow(userArn(A, 's3-only'), 'kms:Decrypt')).toBe(false);
    expect(authz.mayAllow(userArn(A, 'not-action'), 'kms:Decrypt')).toBe(true);
    expect(authz.mayAllow(userArn(A, 'not-action'), 'iam:CreateUser')).toBe(false);
    expect(authz.mayAllow(userArn(A, 'named'), 's3:GetObject')).toBe(true);
    expect(authz.mayAllow(userArn(A, 'named'), 's3:PutObject')).toBe(false);
  });

  it('gives resource patterns with policy variables resolved, and finds resources through them', () => {
    expect(authz.resourcePatterns(userArn(A, 'home'), 's3:GetObject')).toEqual(['arn:aws:s3:::homes/home/*']);
    expect(authz.resourcePatterns(userArn(A, 'not-action'), 's3:GetObject')).toEqual(['*']);
    expect(authz.resourcesMatching('arn:aws:s3:::data-*').map((r) => r.arn)).toEqual([BUCKET]);
    expect(authz.resourcesMatching(BUCKET).map((r) => r.arn)).toEqual([BUCKET]);
    expect(authz.resourcesNaming(userArn(A, 'named'), 's3:GetObject').map((r) => r.arn)).toEqual([
      'arn:aws:s3:::other',
    ]);
  });

  it('memoizes repeated decisions', () => {
    const before = authz.evaluationCount;
    authz.evaluate(userArn(A, 's3-only'), 's3:GetObject', `${BUCKET}/a`);
    authz.evaluate(userArn(A, 's3-only'), 's3:GetObject', `${BUCKET}/a`);
    expect(authz.evaluationCount - before).toBe(1);
  });
});

describe('isAdmin', () => {
  const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const BOUNDARY = `arn:aws:iam::${A}:policy/s3-boundary`;
  const build = (...principals: ReturnType<typeof user>[]) =>
    createAuthorizer(
      environment(
        account(A, {
          users: principals,
          managedPolicies: [managed(ADMIN, doc(allow('*'))), managed(BOUNDARY, doc(allow('s3:*')))],
        }),
      ),
    );

  it('is an administrator with Allow * on * and nothing restricting it', () => {
    const authz = build(user(A, 'root-like', { attachedPolicyArns: [ADMIN] }));
    const decision = authz.isAdmin(userArn(A, 'root-like'));
    expect(decision.outcome).toBe('allow');
    expect(decision.allowedBy.map((m) => m.policyId)).toContain(ADMIN);
  });

  it('is not an administrator when a deny, a boundary or a narrower grant takes part of it back', () => {
    const authz = build(
      user(A, 'denied', { attachedPolicyArns: [ADMIN], policy: doc(deny('iam:*')) }),
      user(A, 'bounded', { attachedPolicyArns: [ADMIN], permissionsBoundaryArn: BOUNDARY }),
      user(A, 'power', {
        policy: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }),
      }),
      user(A, 'services', {
        policy: doc(allow(['iam:*', 'sts:*', 's3:*', 'kms:*', 'secretsmanager:*', 'ec2:*', 'lambda:*'])),
      }),
    );
    expect(authz.isAdmin(userArn(A, 'denied')).outcome).toBe('explicit-deny');
    expect(authz.isAdmin(userArn(A, 'bounded')).outcome).toBe('implicit-deny');
    expect(authz.isAdmin(userArn(A, 'power')).outcome).toBe('implicit-deny');
    // Every probe allowed, but no statement grants every action.
    expect(authz.isAdmin(userArn(A, 'services')).outcome).toBe('implicit-deny');
  });

  it('is a conditional administrator when the grant needs MFA', () => {
    const authz = build(
      user(A, 'mfa', {
        policy: doc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } })),
      }),
    );
    const decision = authz.isAdmin(userArn(A, 'mfa'));
    expect(decision.outcome).toBe('conditional');
    expect(decision.conditions.map((c) => c.key)).toContain('aws:MultiFactorAuthPresent');
  });
});

describe('indexing', () => {
  it('warns about an action of a service the catalogue does not know when indexing, naming where it is', () => {
    const env = environment(
      account(A, {
        users: [
          user(A, 'odd', {
            policy: doc(allow(['foobarsvc:DoThing', 's3:GetObject'], `${BUCKET}/*`, { Sid: 'Mixed' })),
          }),
        ],
      }),
    );
    const authz = createAuthorizer(env);
    const warnings = authz.issues.filter((i) => i.severity === 'warning' && i.message.includes('foobarsvc'));
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning?.object).toBe(userArn(A, 'odd'));
    for (const part of [`account ${A}`, userArn(A, 'odd'), `${userArn(A, 'odd')}#inline/inline`, 'Mixed'])
      expect(warning?.message).toContain(part);
    // Reported before anything is evaluated, and the known action beside it still counts.
    expect(authz.evaluationCount).toBe(0);
    expect(authz.evaluate(userArn(A, 'odd'), 's3:GetObject', `${BUCKET}/x`).outcome).toBe('allow');
  });

  it('widens Resource patterns whose variables cannot be resolved offline instead of dropping them', () => {
    const env = environment(
      account(A, {
        users: [
          user(A, 'carol', {
            policy: doc(
              allow('s3:GetObject', [
                'arn:aws:s3:::home-${aws:username}/*',
                'arn:aws:s3:::team-${aws:PrincipalTag/team}/*',
                'arn:aws:s3:::dept-${aws:PrincipalTag/dept}/*',
                'arn:aws:s3:::literal-${*}',
                'arn:aws:s3:::session-${aws:SourceIdentity}/*',
              ]),
            ),
            tags: { team: 'blue' },
          }),
        ],
      }),
    );
    const authz = createAuthorizer(env);
    // Resolved; absent tag widened to `*`; `${*}` a literal star; unknown offline: any resource,
    // as the engine may grant it (conditionally) on any.
    expect(authz.resourcePatterns(userArn(A, 'carol'), 's3:GetObject').sort()).toEqual([
      '*',
      'arn:aws:s3:::dept-*/*',
      'arn:aws:s3:::home-carol/*',
      'arn:aws:s3:::literal-*',
      'arn:aws:s3:::team-blue/*',
    ]);
  });
});
