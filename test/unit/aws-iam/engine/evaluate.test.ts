// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ContextValues,
  evaluate,
  loadCatalog,
  type PolicySet,
  type Request,
  type RequestPrincipal,
} from '../../../../src/analyzers/aws-iam/engine/index.js';
import type { NamedPolicy, PolicyDocument } from '../../../../src/model/aws/policy.js';
import { allow, deny, doc, type StatementInput } from '../../../helpers/aws-environment.js';

const A = '111122223333';
const B = '444455556666';
const alice: RequestPrincipal = {
  arn: `arn:aws:iam::${A}:user/alice`,
  kind: 'user',
  accountId: A,
  username: 'alice',
  userId: 'AIDAALICE',
  tags: { team: 'payments' },
};
const deploy: RequestPrincipal = {
  arn: `arn:aws:iam::${A}:role/deploy`,
  kind: 'role',
  accountId: A,
  tags: {},
  sessionArn: `arn:aws:sts::${A}:assumed-role/deploy/ci`,
};
const deployNoSession: RequestPrincipal = { ...deploy, sessionArn: undefined };
const bob: RequestPrincipal = {
  arn: `arn:aws:iam::${B}:user/bob`,
  kind: 'user',
  accountId: B,
  username: 'bob',
  tags: {},
};
const bobRole: RequestPrincipal = {
  arn: `arn:aws:iam::${B}:role/ci`,
  kind: 'role',
  accountId: B,
  tags: {},
  sessionArn: `arn:aws:sts::${B}:assumed-role/ci/s`,
};
const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, kind: 'root', accountId: A };
const lambda: RequestPrincipal = {
  arn: 'lambda.amazonaws.com',
  kind: 'service',
  service: 'lambda.amazonaws.com',
};
const anonymous: RequestPrincipal = { arn: '*', kind: 'anonymous' };
const githubProvider = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
const github: RequestPrincipal = { arn: githubProvider, kind: 'federated', service: githubProvider };

const BUCKET = 'arn:aws:s3:::orders';
const OBJECT = 'arn:aws:s3:::orders/2024/01.csv';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234`;
const ROLE = `arn:aws:iam::${A}:role/target`;

let counter = 0;
function policy(kind: NamedPolicy['kind'], ...statements: StatementInput[]): NamedPolicy {
  counter += 1;
  return { id: `policy-${counter}`, name: `${kind}-${counter}`, kind, document: doc(...statements) };
}
const identity = (...s: StatementInput[]) => policy('inline', ...s);
const resourcePolicy = (...s: StatementInput[]) => policy('resource', ...s);
const boundary = (...s: StatementInput[]) => policy('permissions-boundary', ...s);
const scp = (...s: StatementInput[]) => policy('scp', ...s);
const rcp = (...s: StatementInput[]) => policy('rcp', ...s);
const fullAccess = () => scp(allow('*'));
const trust = (...s: StatementInput[]) => policy('trust', ...s);

function request(
  principal: RequestPrincipal,
  action: string,
  resource: string,
  context?: ContextValues,
  resourceAccount?: string,
): Request {
  const accountId = resourceAccount ?? (resource.split(':')[4] || A);
  return {
    principal,
    action,
    resource: { arn: resource, accountId, tags: {} },
    ...(context ? { context } : {}),
  };
}

const set = (p: Partial<PolicySet>): PolicySet => ({ identityPolicies: [], ...p });

describe('identity policies', () => {
  it.each<[string, RequestPrincipal, string, string, Partial<PolicySet>, string]>([
    [
      'an Allow grants',
      alice,
      's3:GetObject',
      OBJECT,
      { identityPolicies: [identity(allow('s3:GetObject', `${BUCKET}/*`))] },
      'allow',
    ],
    ['nothing allows: implicit deny', alice, 's3:GetObject', OBJECT, {}, 'implicit-deny'],
    [
      'action matching is case-insensitive',
      alice,
      'S3:getobject',
      OBJECT,
      { identityPolicies: [identity(allow('s3:GetObject', '*'))] },
      'allow',
    ],
    [
      'another action',
      alice,
      's3:PutObject',
      OBJECT,
      { identityPolicies: [identity(allow('s3:Get*', '*'))] },
      'implicit-deny',
    ],
    [
      'another resource',
      alice,
      's3:GetObject',
      'arn:aws:s3:::other/x',
      { identityPolicies: [identity(allow('s3:*', `${BUCKET}/*`))] },
      'implicit-deny',
    ],
    [
      'a Deny in the same policy wins',
      alice,
      's3:GetObject',
      OBJECT,
      { identityPolicies: [identity(allow('s3:*'), deny('s3:GetObject', OBJECT))] },
      'explicit-deny',
    ],
    [
      'a Deny in another policy wins',
      alice,
      's3:GetObject',
      OBJECT,
      { identityPolicies: [identity(allow('*')), identity(deny('s3:*'))] },
      'explicit-deny',
    ],
    [
      'a Deny on another resource does not apply',
      alice,
      's3:GetObject',
      OBJECT,
      { identityPolicies: [identity(allow('*'), deny('s3:*', 'arn:aws:s3:::secret/*'))] },
      'allow',
    ],
    [
      'NotAction allows everything else',
      alice,
      's3:GetObject',
      OBJECT,
      { identityPolicies: [identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
      'allow',
    ],
    [
      'NotAction excludes what it lists',
      alice,
      'iam:CreateUser',
      '*',
      { identityPolicies: [identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
      'implicit-deny',
    ],
    [
      'NotResource Deny spares the listed resource',
      alice,
      's3:GetObject',
      OBJECT,
      {
        identityPolicies: [
          identity(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }),
        ],
      },
      'allow',
    ],
    [
      'NotResource Deny hits every other resource',
      alice,
      's3:GetObject',
      'arn:aws:s3:::x/y',
      {
        identityPolicies: [
          identity(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/*` }),
        ],
      },
      'explicit-deny',
    ],
    [
      'an action without resource needs Resource "*"',
      alice,
      'iam:ListRoles',
      '*',
      { identityPolicies: [identity(allow('iam:ListRoles', `arn:aws:iam::${A}:role/*`))] },
      'implicit-deny',
    ],
    [
      'an action without resource and Resource "*"',
      alice,
      'iam:ListRoles',
      '*',
      { identityPolicies: [identity(allow('iam:ListRoles', '*'))] },
      'allow',
    ],
    [
      'a statement with a false condition does not apply',
      alice,
      's3:GetObject',
      OBJECT,
      {
        identityPolicies: [
          identity(
            allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': ['data'] } } }),
          ),
        ],
      },
      'implicit-deny',
    ],
    [
      'a statement with a true derived condition applies',
      alice,
      's3:GetObject',
      OBJECT,
      {
        identityPolicies: [
          identity(
            allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': ['payments'] } } }),
          ),
        ],
      },
      'allow',
    ],
    [
      'a Deny with a false condition does not block',
      alice,
      's3:GetObject',
      OBJECT,
      {
        identityPolicies: [
          identity(
            allow('s3:*'),
            deny('s3:*', '*', { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['payments'] } } }),
          ),
        ],
      },
      'allow',
    ],
    [
      'a Deny with a true condition blocks',
      alice,
      's3:GetObject',
      OBJECT,
      {
        identityPolicies: [
          identity(
            allow('s3:*'),
            deny('s3:*', '*', { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': ['data'] } } }),
          ),
        ],
      },
      'explicit-deny',
    ],
  ])('%s', (_name, principal, action, resource, policies, outcome) => {
    expect(evaluate(request(principal, action, resource), set(policies)).outcome).toBe(outcome);
  });

  it('names the granting statement and a readable reason', () => {
    const p = identity({ Sid: 'ReadOrders', ...allow('s3:GetObject', `${BUCKET}/*`) });
    const d = evaluate(request(alice, 's3:GetObject', OBJECT), set({ identityPolicies: [p] }));
    expect(d.allowedBy).toEqual([
      {
        policyId: p.id,
        policyName: p.name,
        policyKind: 'inline',
        statement: 'ReadOrders',
        effect: 'Allow',
        conditions: [],
      },
    ]);
    expect(d.reason).toContain('statement ReadOrders');
    expect(d.deniedBy).toEqual([]);
  });

  it('names the denying statement by index when it has no Sid', () => {
    const p = identity(allow('*'), deny('s3:*'));
    const d = evaluate(request(alice, 's3:GetObject', OBJECT), set({ identityPolicies: [p] }));
    expect(d.deniedBy.map((s) => s.statement)).toEqual(['#1']);
    expect(d.reason).toContain('#1');
    expect(d.allowedBy).toEqual([]);
  });
});

describe('undecided conditions make the outcome conditional, never silently allowed or dropped', () => {
  const mfa = { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } };
  const ip = { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } };

  it('an Allow that depends on MFA is conditional and lists the condition', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({ identityPolicies: [identity(allow('s3:*', '*', { Condition: mfa }))] }),
    );
    expect(d.outcome).toBe('conditional');
    expect(d.conditions).toEqual([{ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }]);
    expect(d.allowedBy[0]?.conditions).toEqual(d.conditions);
    expect(d.reason).toMatch(/aws:MultiFactorAuthPresent/);
  });

  it('an unconditional Allow beside a conditional one is a plain allow', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({
        identityPolicies: [identity(allow('s3:*', '*', { Condition: mfa }), allow('s3:GetObject', OBJECT))],
      }),
    );
    expect(d.outcome).toBe('allow');
    expect(d.conditions).toEqual([]);
  });

  it('a Deny that depends on the source IP does not block but makes the allow conditional', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({ identityPolicies: [identity(allow('s3:*'), deny('*', '*', { Condition: ip }))] }),
    );
    expect(d.outcome).toBe('conditional');
    expect(d.deniedBy).toHaveLength(1);
    expect(d.deniedBy[0]?.conditions).toEqual([
      { operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'] },
    ]);
    expect(d.conditions).toEqual(d.deniedBy[0]?.conditions);
    expect(d.reason).toMatch(/unless/);
  });

  it('a conditional Deny without any Allow stays an implicit deny', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({ identityPolicies: [identity(deny('*', '*', { Condition: ip }))] }),
    );
    expect(d.outcome).toBe('implicit-deny');
  });

  it('a known context value decides what would otherwise be undecided', () => {
    const p = set({ identityPolicies: [identity(allow('s3:*', '*', { Condition: mfa }))] });
    expect(
      evaluate(request(alice, 's3:GetObject', OBJECT, { 'aws:MultiFactorAuthPresent': ['true'] }), p).outcome,
    ).toBe('allow');
    expect(
      evaluate(request(alice, 's3:GetObject', OBJECT, { 'aws:MultiFactorAuthPresent': ['false'] }), p)
        .outcome,
    ).toBe('implicit-deny');
    expect(
      evaluate(request(alice, 's3:GetObject', OBJECT, { 'aws:MultiFactorAuthPresent': null }), p).outcome,
    ).toBe('implicit-deny');
  });

  it('a decided false condition beside an undecided one makes the statement not apply', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({
        identityPolicies: [
          identity(allow('s3:*', '*', { Condition: { ...mfa, StringEquals: { 'aws:username': ['bob'] } } })),
        ],
      }),
    );
    expect(d.outcome).toBe('implicit-deny');
  });
});

describe('policy variables in Resource', () => {
  const home = (version?: string): NamedPolicy => {
    const p = identity(allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*'));
    const document: PolicyDocument = { ...p.document };
    if (version) document.Version = version;
    else delete document.Version;
    return { ...p, document };
  };
  it.each([
    ['own home', 'arn:aws:s3:::home/alice/notes', '2012-10-17', 'allow'],
    ['someone else’s home', 'arn:aws:s3:::home/bob/notes', '2012-10-17', 'implicit-deny'],
    ['user names are case-sensitive', 'arn:aws:s3:::home/Alice/notes', '2012-10-17', 'implicit-deny'],
    ['no variables without Version 2012-10-17', 'arn:aws:s3:::home/alice/notes', undefined, 'implicit-deny'],
    ['old Version: the text is literal', 'arn:aws:s3:::home/${aws:username}/x', '2008-10-17', 'allow'],
  ])('%s', (_name, resource, version, outcome) => {
    expect(
      evaluate(request(alice, 's3:GetObject', resource), set({ identityPolicies: [home(version)] })).outcome,
    ).toBe(outcome);
  });

  it('an absent variable makes the entry match nothing, with a warning', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', 'arn:aws:s3:::t/x'),
      set({ identityPolicies: [identity(allow('s3:*', 'arn:aws:s3:::${aws:PrincipalTag/project}/*'))] }),
    );
    expect(d.outcome).toBe('implicit-deny');
    expect(d.warnings.join('\n')).toMatch(/aws:PrincipalTag\/project is absent/);
  });

  it('a variable unknown offline makes the Resource match conditional', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', 'arn:aws:s3:::t/x'),
      set({ identityPolicies: [identity(allow('s3:*', 'arn:aws:s3:::t/${aws:SourceIdentity}'))] }),
    );
    expect(d.outcome).toBe('conditional');
    expect(d.conditions).toEqual([
      { operator: 'Resource', key: 'aws:SourceIdentity', values: ['arn:aws:s3:::t/${aws:SourceIdentity}'] },
    ]);
  });

  it('a warning is given only for statements whose action matches', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({
        identityPolicies: [
          identity(allow('s3:*', OBJECT), allow('ec2:*', 'arn:aws:ec2:::${aws:PrincipalTag/none}')),
        ],
      }),
    );
    expect(d.warnings).toEqual([]);
  });
});

describe('permissions boundary and session policies', () => {
  const readAll = () => identity(allow('s3:*'));
  it.each<[string, Partial<PolicySet>, string]>([
    [
      'both allow',
      { identityPolicies: [readAll()], permissionsBoundary: boundary(allow('s3:GetObject')) },
      'allow',
    ],
    [
      'the boundary does not allow',
      { identityPolicies: [readAll()], permissionsBoundary: boundary(allow('ec2:*')) },
      'implicit-deny',
    ],
    ['the boundary alone grants nothing', { permissionsBoundary: boundary(allow('*')) }, 'implicit-deny'],
    [
      'a Deny in the boundary',
      { identityPolicies: [readAll()], permissionsBoundary: boundary(allow('*'), deny('s3:GetObject')) },
      'explicit-deny',
    ],
    [
      'a conditional boundary',
      {
        identityPolicies: [readAll()],
        permissionsBoundary: boundary(
          allow('s3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
        ),
      },
      'conditional',
    ],
    [
      'a boundary on a key the caller chooses (aws:SecureTransport)',
      {
        identityPolicies: [readAll()],
        permissionsBoundary: boundary(
          allow('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': ['true'] } } }),
        ),
      },
      'allow',
    ],
    [
      'session policy allows',
      { identityPolicies: [readAll()], sessionPolicies: [policy('inline', allow('s3:GetObject'))] },
      'allow',
    ],
    [
      'session policy does not allow',
      { identityPolicies: [readAll()], sessionPolicies: [policy('inline', allow('ec2:*'))] },
      'implicit-deny',
    ],
    [
      'an empty session policy list allows nothing',
      { identityPolicies: [readAll()], sessionPolicies: [] },
      'implicit-deny',
    ],
  ])('%s', (_name, policies, outcome) => {
    expect(evaluate(request(deploy, 's3:GetObject', OBJECT), set(policies)).outcome).toBe(outcome);
  });

  it('says the boundary blocked it', () => {
    const d = evaluate(
      request(deploy, 's3:GetObject', OBJECT),
      set({ identityPolicies: [readAll()], permissionsBoundary: boundary(allow('ec2:*')) }),
    );
    expect(d.reason).toMatch(/permissions boundary/);
  });
});

describe('resource policies within one account', () => {
  const named = (principal: string) =>
    resourcePolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: [principal] } }));
  const noBoundary = boundary(allow('ec2:*'));
  it.each<[string, RequestPrincipal, Partial<PolicySet>, string]>([
    ['naming the user grants without identity policy', alice, { resourcePolicy: named(alice.arn) }, 'allow'],
    [
      'naming the user is not limited by the user’s boundary',
      alice,
      { resourcePolicy: named(alice.arn), permissionsBoundary: noBoundary },
      'allow',
    ],
    [
      'naming the role ARN grants without identity policy',
      deploy,
      { resourcePolicy: named(deploy.arn) },
      'allow',
    ],
    [
      'naming the role ARN is limited by the role’s boundary',
      deploy,
      { resourcePolicy: named(deploy.arn), permissionsBoundary: noBoundary },
      'implicit-deny',
    ],
    [
      'naming the role ARN is limited by session policies',
      deploy,
      { resourcePolicy: named(deploy.arn), sessionPolicies: [policy('inline', allow('ec2:*'))] },
      'implicit-deny',
    ],
    [
      'naming the session ARN is not limited by the boundary',
      deploy,
      { resourcePolicy: named(deploy.sessionArn ?? ''), permissionsBoundary: noBoundary },
      'allow',
    ],
    [
      'naming the session ARN is not limited by session policies',
      deploy,
      { resourcePolicy: named(deploy.sessionArn ?? ''), sessionPolicies: [policy('inline', allow('ec2:*'))] },
      'allow',
    ],
    [
      'naming the account delegates to identity policies (none)',
      alice,
      { resourcePolicy: named(A) },
      'implicit-deny',
    ],
    [
      'naming the account plus an identity Allow',
      alice,
      { resourcePolicy: named(A), identityPolicies: [identity(allow('s3:*'))] },
      'allow',
    ],
    [
      'identity Allow alone suffices in one account',
      alice,
      { resourcePolicy: named(`arn:aws:iam::${A}:user/carol`), identityPolicies: [identity(allow('s3:*'))] },
      'allow',
    ],
    [
      'naming another user grants nothing',
      alice,
      { resourcePolicy: named(`arn:aws:iam::${A}:user/carol`) },
      'implicit-deny',
    ],
    [
      'a resource-policy Deny naming the user beats an identity Allow',
      alice,
      {
        identityPolicies: [identity(allow('s3:*'))],
        resourcePolicy: resourcePolicy(deny('s3:*', '*', { Principal: { AWS: [alice.arn] } })),
      },
      'explicit-deny',
    ],
    [
      'a resource-policy Deny naming the account hits its users',
      alice,
      {
        identityPolicies: [identity(allow('s3:*'))],
        resourcePolicy: resourcePolicy(deny('s3:*', '*', { Principal: { AWS: [A] } })),
      },
      'explicit-deny',
    ],
    [
      'a resource-policy Deny naming someone else does not apply',
      alice,
      {
        identityPolicies: [identity(allow('s3:*'))],
        resourcePolicy: resourcePolicy(deny('s3:*', '*', { Principal: { AWS: [bob.arn] } })),
      },
      'allow',
    ],
    [
      'Principal "*" grants',
      alice,
      { resourcePolicy: resourcePolicy(allow('s3:GetObject', '*', { Principal: '*' })) },
      'allow',
    ],
  ])('%s', (_name, principal, policies, outcome) => {
    expect(evaluate(request(principal, 's3:GetObject', OBJECT), set(policies)).outcome).toBe(outcome);
  });

  it('a policy naming a session whose name is unknown offline is conditional on the session name', () => {
    const d = evaluate(
      request(deployNoSession, 's3:GetObject', OBJECT),
      set({ resourcePolicy: named(`arn:aws:sts::${A}:assumed-role/deploy/nightly`) }),
    );
    expect(d.outcome).toBe('conditional');
    expect(d.conditions).toEqual([
      {
        operator: 'Principal',
        key: 'sts:RoleSessionName',
        values: [`arn:aws:sts::${A}:assumed-role/deploy/nightly`],
      },
    ]);
  });

  it('evidence names both sides when both grant', () => {
    const rp = named(A);
    const ip = identity(allow('s3:*'));
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({ resourcePolicy: rp, identityPolicies: [ip] }),
    );
    expect(d.allowedBy.map((s) => s.policyId)).toContain(ip.id);
  });
});

describe('NotPrincipal in resource policies', () => {
  const exceptAlice = (list: string[]) =>
    resourcePolicy(allow('s3:*', '*', { Principal: '*' }), {
      Effect: 'Deny',
      NotPrincipal: { AWS: list },
      Action: 's3:*',
      Resource: '*',
    });
  it.each<[string, RequestPrincipal, string[], Partial<PolicySet>, string]>([
    ['the listed user and account are spared', alice, [alice.arn, A], {}, 'allow'],
    ['without its account the user is denied too', alice, [alice.arn], {}, 'explicit-deny'],
    ['everyone else is denied', bob, [alice.arn, A], {}, 'explicit-deny'],
    ['role ARN and account spare its sessions', deploy, [deploy.arn, A], {}, 'allow'],
    [
      'a principal with a boundary is always denied',
      alice,
      [alice.arn, A],
      { permissionsBoundary: boundary(allow('*')) },
      'explicit-deny',
    ],
  ])('%s', (_name, principal, list, extra, outcome) => {
    const policies = set({
      resourcePolicy: exceptAlice(list),
      identityPolicies: [identity(allow('*'))],
      ...extra,
    });
    expect(evaluate(request(principal, 's3:GetObject', OBJECT, undefined, A), policies).outcome).toBe(
      outcome,
    );
  });
});

describe('cross-account access needs both sides', () => {
  const bucketNaming = (principal: string) =>
    resourcePolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: [principal] } }));
  const bobCan = () => identity(allow('s3:GetObject', '*'));
  it.each<[string, RequestPrincipal, Partial<PolicySet>, string]>([
    ['identity side only', bob, { identityPolicies: [bobCan()] }, 'implicit-deny'],
    ['resource side only (naming the user)', bob, { resourcePolicy: bucketNaming(bob.arn) }, 'implicit-deny'],
    ['both sides', bob, { identityPolicies: [bobCan()], resourcePolicy: bucketNaming(bob.arn) }, 'allow'],
    [
      'resource side names the account',
      bob,
      { identityPolicies: [bobCan()], resourcePolicy: bucketNaming(B) },
      'allow',
    ],
    [
      'resource side names the account root ARN',
      bob,
      { identityPolicies: [bobCan()], resourcePolicy: bucketNaming(`arn:aws:iam::${B}:root`) },
      'allow',
    ],
    [
      'resource side names another account',
      bob,
      { identityPolicies: [bobCan()], resourcePolicy: bucketNaming('999988887777') },
      'implicit-deny',
    ],
    [
      'the session ARN does not bypass the boundary across accounts',
      bobRole,
      {
        identityPolicies: [bobCan()],
        resourcePolicy: bucketNaming(bobRole.sessionArn ?? ''),
        permissionsBoundary: boundary(allow('ec2:*')),
      },
      'implicit-deny',
    ],
    [
      'Principal "*" still needs the identity side',
      bob,
      { resourcePolicy: resourcePolicy(allow('s3:*', '*', { Principal: '*' })) },
      'implicit-deny',
    ],
  ])('%s', (_name, principal, policies, outcome) => {
    expect(evaluate(request(principal, 's3:GetObject', OBJECT, undefined, A), set(policies)).outcome).toBe(
      outcome,
    );
  });

  it('explains a missing resource policy', () => {
    const d = evaluate(
      request(bob, 's3:GetObject', OBJECT, undefined, A),
      set({ identityPolicies: [bobCan()] }),
    );
    expect(d.reason).toMatch(/cross-account/);
  });

  it('cites both sides as evidence', () => {
    const ip = bobCan();
    const rp = bucketNaming(B);
    const d = evaluate(
      request(bob, 's3:GetObject', OBJECT, undefined, A),
      set({ identityPolicies: [ip], resourcePolicy: rp }),
    );
    expect(d.allowedBy.map((s) => s.policyId).sort()).toEqual([ip.id, rp.id].sort());
  });
});

describe('role trust policies and KMS key policies must allow even within one account', () => {
  const assume = (principal: RequestPrincipal, policies: Partial<PolicySet>, context?: ContextValues) =>
    evaluate(
      request(principal, 'sts:AssumeRole', ROLE, context),
      set({ resourcePolicyRequired: true, ...policies }),
    ).outcome;
  const trusting = (principal: Record<string, string[]> | '*', extra: Partial<StatementInput> = {}) =>
    trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra });
  const canAssume = () => identity(allow('sts:AssumeRole', ROLE));

  it.each<[string, RequestPrincipal, Partial<PolicySet>, string]>([
    [
      'trust names the user: no identity permission needed in one account',
      alice,
      { resourcePolicy: trusting({ AWS: [alice.arn] }) },
      'allow',
    ],
    [
      'trust names the account root: identity policy needed',
      alice,
      { resourcePolicy: trusting({ AWS: [`arn:aws:iam::${A}:root`] }) },
      'implicit-deny',
    ],
    [
      'trust names the account id plus identity permission',
      alice,
      { resourcePolicy: trusting({ AWS: [A] }), identityPolicies: [canAssume()] },
      'allow',
    ],
    [
      'trust names someone else: identity permission is not enough',
      alice,
      { resourcePolicy: trusting({ AWS: [bob.arn] }), identityPolicies: [identity(allow('*'))] },
      'implicit-deny',
    ],
    ['no trust policy at all', alice, { identityPolicies: [identity(allow('*'))] }, 'implicit-deny'],
    [
      'trust names the role ARN for role chaining, limited by its boundary',
      deploy,
      { resourcePolicy: trusting({ AWS: [deploy.arn] }), permissionsBoundary: boundary(allow('s3:*')) },
      'implicit-deny',
    ],
    [
      'trust names the role ARN, no boundary',
      deploy,
      { resourcePolicy: trusting({ AWS: [deploy.arn] }) },
      'allow',
    ],
    [
      'cross-account: trust names the user, identity needed',
      bob,
      { resourcePolicy: trusting({ AWS: [bob.arn] }) },
      'implicit-deny',
    ],
    [
      'cross-account: trust names the user and identity allows',
      bob,
      { resourcePolicy: trusting({ AWS: [bob.arn] }), identityPolicies: [canAssume()] },
      'allow',
    ],
    [
      'cross-account: trust names the account and identity allows',
      bob,
      { resourcePolicy: trusting({ AWS: [B] }), identityPolicies: [canAssume()] },
      'allow',
    ],
    [
      'a service named in the trust policy',
      lambda,
      { resourcePolicy: trusting({ Service: ['lambda.amazonaws.com'] }) },
      'allow',
    ],
    [
      'a service not named',
      lambda,
      { resourcePolicy: trusting({ Service: ['ec2.amazonaws.com'] }) },
      'implicit-deny',
    ],
    [
      'trust policy Deny',
      alice,
      {
        resourcePolicy: trust(
          { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: [A] } },
          { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: [alice.arn] } },
        ),
        identityPolicies: [canAssume()],
      },
      'explicit-deny',
    ],
    [
      'external id is undecided',
      bob,
      {
        resourcePolicy: trusting({ AWS: [B] }, { Condition: { StringEquals: { 'sts:ExternalId': ['x'] } } }),
        identityPolicies: [canAssume()],
      },
      'conditional',
    ],
  ])('%s', (_name, principal, policies, outcome) => {
    expect(assume(principal, policies)).toBe(outcome);
  });

  it('an explicit reason for a trust policy that does not name the caller', () => {
    const d = evaluate(
      request(alice, 'sts:AssumeRole', ROLE),
      set({
        resourcePolicyRequired: true,
        resourcePolicy: trusting({ AWS: [bob.arn] }),
        identityPolicies: [canAssume()],
      }),
    );
    expect(d.reason).toMatch(/must, even within one account/);
  });

  describe('KMS key policy', () => {
    const decrypt = (policies: Partial<PolicySet>) =>
      evaluate(request(alice, 'kms:Decrypt', KEY), set({ resourcePolicyRequired: true, ...policies }))
        .outcome;
    const iamEnabled = () =>
      resourcePolicy(allow('kms:*', '*', { Principal: { AWS: [`arn:aws:iam::${A}:root`] } }));
    it.each<[string, Partial<PolicySet>, string]>([
      [
        'identity policy without a key-policy statement for the account',
        {
          resourcePolicy: resourcePolicy(allow('kms:*', '*', { Principal: { AWS: [deploy.arn] } })),
          identityPolicies: [identity(allow('kms:Decrypt'))],
        },
        'implicit-deny',
      ],
      [
        'key policy enables IAM policies, identity allows',
        { resourcePolicy: iamEnabled(), identityPolicies: [identity(allow('kms:Decrypt'))] },
        'allow',
      ],
      ['key policy enables IAM policies, identity silent', { resourcePolicy: iamEnabled() }, 'implicit-deny'],
      [
        'key policy names the user',
        { resourcePolicy: resourcePolicy(allow('kms:Decrypt', '*', { Principal: { AWS: [alice.arn] } })) },
        'allow',
      ],
    ])('%s', (_name, policies, outcome) => {
      expect(decrypt(policies)).toBe(outcome);
    });
  });

  describe('web identity federation (OIDC claims as context keys)', () => {
    const sub = 'token.actions.githubusercontent.com:sub';
    const aud = 'token.actions.githubusercontent.com:aud';
    const federatedTrust = () =>
      trust({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: [githubProvider] },
        Condition: {
          StringEquals: { [aud]: ['sts.amazonaws.com'] },
          StringLike: { [sub]: ['repo:acme/payments:ref:refs/heads/main'] },
        },
      });
    const federate = (context?: ContextValues) =>
      evaluate(
        request(github, 'sts:AssumeRoleWithWebIdentity', ROLE, context),
        set({ resourcePolicyRequired: true, resourcePolicy: federatedTrust() }),
      );

    it('the matching subject is allowed', () => {
      expect(
        federate({ [sub]: ['repo:acme/payments:ref:refs/heads/main'], [aud]: ['sts.amazonaws.com'] }).outcome,
      ).toBe('allow');
    });
    it('another subject is not', () => {
      expect(
        federate({ [sub]: ['repo:acme/payments:pull_request'], [aud]: ['sts.amazonaws.com'] }).outcome,
      ).toBe('implicit-deny');
    });
    it('claims that were not supplied are kept as conditions, not dropped', () => {
      const d = federate();
      expect(d.outcome).toBe('conditional');
      expect(d.conditions.map((c) => c.key).sort()).toEqual([aud, sub].sort());
    });
    it('another provider is not admitted', () => {
      const other: RequestPrincipal = {
        ...github,
        arn: 'arn:aws:iam::1:oidc-provider/x',
        service: 'arn:aws:iam::1:oidc-provider/x',
      };
      expect(
        evaluate(
          request(other, 'sts:AssumeRoleWithWebIdentity', ROLE),
          set({ resourcePolicyRequired: true, resourcePolicy: federatedTrust() }),
        ).outcome,
      ).toBe('implicit-deny');
    });
  });
});

describe('service control policies', () => {
  const admin = () => identity(allow('*'));
  it.each<[string, RequestPrincipal, PolicySet['serviceControlPolicies'], string]>([
    ['every level allows', alice, [[fullAccess()], [fullAccess()], [scp(allow('s3:*'))]], 'allow'],
    [
      'one level does not allow',
      alice,
      [[fullAccess()], [scp(allow('ec2:*'))], [fullAccess()]],
      'implicit-deny',
    ],
    ['a level with no policy allows nothing', alice, [[fullAccess()], []], 'implicit-deny'],
    ['any policy at a level may allow', alice, [[scp(allow('ec2:*')), scp(allow('s3:*'))]], 'allow'],
    [
      'a Deny at any level',
      alice,
      [[fullAccess(), scp(deny('s3:GetObject'))], [fullAccess()]],
      'explicit-deny',
    ],
    [
      'a Deny with a decided condition on the principal',
      alice,
      [
        [
          fullAccess(),
          scp(
            deny('s3:*', '*', {
              Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${A}:role/*`] } },
            }),
          ),
        ],
      ],
      'explicit-deny',
    ],
    [
      'a Deny whose condition exempts the principal',
      deploy,
      [
        [
          fullAccess(),
          scp(
            deny('s3:*', '*', {
              Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${A}:role/*`] } },
            }),
          ),
        ],
      ],
      'allow',
    ],
    [
      'service-linked roles are not restricted',
      { ...deploy, serviceLinked: true },
      [[scp(deny('*'))]],
      'allow',
    ],
    [
      'the root user of a member account is restricted',
      root,
      [[fullAccess(), scp(deny('s3:*'))]],
      'explicit-deny',
    ],
    [
      'a region guardrail is undecided',
      alice,
      [
        [
          fullAccess(),
          scp(deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } })),
        ],
      ],
      'conditional',
    ],
  ])('%s', (_name, principal, levels, outcome) => {
    expect(
      evaluate(
        request(principal, 's3:GetObject', OBJECT),
        set({ identityPolicies: [admin()], serviceControlPolicies: levels }),
      ).outcome,
    ).toBe(outcome);
  });

  it('also caps a grant made by a resource policy in the same account', () => {
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({
        resourcePolicy: resourcePolicy(allow('s3:*', '*', { Principal: { AWS: [alice.arn] } })),
        serviceControlPolicies: [[scp(allow('ec2:*'))]],
      }),
    );
    expect(d.outcome).toBe('implicit-deny');
    expect(d.reason).toMatch(/service control policy at level 0/);
  });

  it('do not apply to service principals', () => {
    const d = evaluate(
      request(lambda, 'sts:AssumeRole', ROLE),
      set({
        resourcePolicyRequired: true,
        resourcePolicy: trust({
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: ['lambda.amazonaws.com'] },
        }),
        serviceControlPolicies: [[scp(deny('*'))]],
      }),
    );
    expect(d.outcome).toBe('allow');
  });

  it('a fully allowing SCP is not cited as evidence', () => {
    const ip = admin();
    const d = evaluate(
      request(alice, 's3:GetObject', OBJECT),
      set({ identityPolicies: [ip], serviceControlPolicies: [[fullAccess()]] }),
    );
    expect(d.allowedBy.map((s) => s.policyId)).toEqual([ip.id]);
  });
});

describe('resource control policies', () => {
  beforeAll(async () => {
    await loadCatalog();
  }, 60_000);

  const perimeter = () =>
    rcp(allow('*', '*', { Principal: '*' }), {
      Effect: 'Deny',
      Action: 's3:*',
      Resource: '*',
      Principal: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ['o-ours'] } },
    });
  const crossAccountRead = () => ({
    identityPolicies: [identity(allow('s3:*'))],
    resourcePolicy: resourcePolicy(allow('s3:*', '*', { Principal: { AWS: [B] } })),
  });

  it.each<[string, RequestPrincipal, PolicySet['resourceControlPolicies'], string]>([
    [
      'a perimeter blocks a principal from another organization',
      { ...bob, orgId: 'o-theirs' },
      [[perimeter()]],
      'explicit-deny',
    ],
    [
      'a perimeter admits a principal of the organization',
      { ...bob, orgId: 'o-ours' },
      [[perimeter()]],
      'allow',
    ],
    ['the organization unknown offline makes it conditional', bob, [[perimeter()]], 'conditional'],
    ['a level without an Allow', { ...bob, orgId: 'o-ours' }, [[perimeter()], []], 'implicit-deny'],
    [
      'service-linked roles are not restricted',
      { ...bobRole, serviceLinked: true, orgId: 'o-theirs' },
      [[perimeter()]],
      'allow',
    ],
  ])('%s', (_name, principal, levels, outcome) => {
    expect(
      evaluate(
        request(principal, 's3:GetObject', OBJECT, undefined, A),
        set({ ...crossAccountRead(), resourceControlPolicies: levels }),
      ).outcome,
    ).toBe(outcome);
  });

  it('do not apply to services that do not support them', () => {
    const d = evaluate(
      request(alice, 'ec2:StartInstances', `arn:aws:ec2:us-east-1:${A}:instance/i-1`),
      set({
        identityPolicies: [identity(allow('ec2:*'))],
        resourceControlPolicies: [[rcp(deny('*', '*', { Principal: '*' }))]],
      }),
    );
    expect(d.outcome).toBe('allow');
  });
});

describe('special principals', () => {
  it.each<[string, RequestPrincipal, Partial<PolicySet>, string]>([
    ['the root user has every permission in its account', root, {}, 'allow'],
    [
      'anonymous access through a public bucket policy',
      anonymous,
      { resourcePolicy: resourcePolicy(allow('s3:GetObject', '*', { Principal: '*' })) },
      'allow',
    ],
    [
      'anonymous access through AWS "*"',
      anonymous,
      { resourcePolicy: resourcePolicy(allow('s3:GetObject', '*', { Principal: { AWS: ['*'] } })) },
      'allow',
    ],
    [
      'anonymous is not an account',
      anonymous,
      { resourcePolicy: resourcePolicy(allow('s3:GetObject', '*', { Principal: { AWS: [A] } })) },
      'implicit-deny',
    ],
    ['anonymous without a resource policy', anonymous, {}, 'implicit-deny'],
    [
      'a service principal named in a bucket policy',
      lambda,
      {
        resourcePolicy: resourcePolicy(
          allow('s3:GetObject', '*', { Principal: { Service: ['lambda.amazonaws.com'] } }),
        ),
      },
      'allow',
    ],
    [
      'a service condition on aws:SourceAccount stays undecided',
      lambda,
      {
        resourcePolicy: resourcePolicy(
          allow('s3:GetObject', '*', {
            Principal: { Service: ['lambda.amazonaws.com'] },
            Condition: { StringEquals: { 'aws:SourceAccount': [A] } },
          }),
        ),
      },
      'conditional',
    ],
  ])('%s', (_name, principal, policies, outcome) => {
    expect(evaluate(request(principal, 's3:GetObject', OBJECT, undefined, A), set(policies)).outcome).toBe(
      outcome,
    );
  });
});

describe('the action catalogue', () => {
  beforeAll(async () => {
    await loadCatalog();
  }, 60_000);

  it('warns about an unknown service and still evaluates by name', () => {
    const d = evaluate(
      request(alice, 'frobnicator:Spin', '*'),
      set({ identityPolicies: [identity(allow('frob*:*'))] }),
    );
    expect(d.outcome).toBe('allow');
    expect(d.warnings).toEqual([expect.stringContaining('unknown service "frobnicator"')]);
  });

  it('no warning for a known service', () => {
    expect(evaluate(request(alice, 's3:GetObject', OBJECT), set({})).warnings).toEqual([]);
  });
});
