import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAssume } from '../../../../src/analyzers/aws-iam/edges/can-assume.js';
import type {
  AwsAccountData,
  AwsEnvironment,
  AwsOrganizationData,
} from '../../../../src/model/aws/environment.js';
import type { ConditionBlock } from '../../../../src/model/aws/policy.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  managed,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';

const TOOLING = '111111111111';
const PROD = '222222222222';
const OUTSIDE = '999999999999';

beforeAll(() => loadCatalog());

function derive(...accounts: AwsAccountData[]) {
  return canAssume.derive(createAuthorizer(environment(...accounts)));
}
const pairs = (out: ReturnType<typeof derive>) => out.edges.map((e) => `${e.from} -> ${e.to}`).sort();

describe('CAN_ASSUME', () => {
  it('a trust naming a principal of the same account needs no identity permission', () => {
    const out = derive(
      account(PROD, {
        users: [user(PROD, 'ci')],
        roles: [role(PROD, 'deploy', trusts({ AWS: [userArn(PROD, 'ci')] }))],
      }),
    );
    expect(pairs(out)).toEqual([`${userArn(PROD, 'ci')} -> ${roleArn(PROD, 'deploy')}`]);
    const [edge] = out.edges;
    expect(edge?.evidence).toEqual([
      expect.objectContaining({
        source: 'trust-policy',
        ref: `${roleArn(PROD, 'deploy')}#trust`,
        statement: '#0',
      }),
    ]);
    expect(edge?.properties.conditional).toBeUndefined();
  });

  it('a trust naming the account delegates to the callers’ identity policies (and names the account root)', () => {
    const out = derive(
      account(PROD, {
        users: [
          user(PROD, 'allowed', { policy: doc(allow('sts:AssumeRole', roleArn(PROD, 'ops'))) }),
          user(PROD, 'elsewhere', { policy: doc(allow('sts:AssumeRole', roleArn(PROD, 'other'))) }),
          user(PROD, 'nothing'),
        ],
        roles: [role(PROD, 'ops', trusts({ AWS: [`arn:aws:iam::${PROD}:root`] }))],
      }),
    );
    expect(pairs(out)).toEqual(
      [
        `${userArn(PROD, 'allowed')} -> ${roleArn(PROD, 'ops')}`,
        `arn:aws:iam::${PROD}:root -> ${roleArn(PROD, 'ops')}`,
      ].sort(),
    );
    const edge = out.edges.find((e) => e.from === userArn(PROD, 'allowed'));
    expect(edge?.evidence.map((e) => e.source).sort()).toEqual(['identity-policy', 'trust-policy']);
    expect(out.nodes?.map((n) => n.kind)).toEqual(['AwsAccountRoot']);
  });

  it('cross-account: both the trust and the caller’s identity policy; an uncollected account is an ExternalPrincipal', () => {
    const out = derive(
      account(TOOLING, {
        roles: [
          role(TOOLING, 'pipeline', trusts({ Service: ['codebuild.amazonaws.com'] }), {
            policy: doc(allow('sts:AssumeRole', `arn:aws:iam::${PROD}:role/*`)),
          }),
          role(TOOLING, 'no-permission', trusts({ Service: ['codebuild.amazonaws.com'] })),
        ],
      }),
      account(PROD, {
        roles: [
          role(
            PROD,
            'deploy',
            trusts({ AWS: [roleArn(TOOLING, 'pipeline'), roleArn(TOOLING, 'no-permission')] }),
          ),
          role(PROD, 'vendor', trusts({ AWS: [OUTSIDE] })),
        ],
      }),
    );
    expect(pairs(out)).toEqual(
      [
        `${roleArn(TOOLING, 'pipeline')} -> ${roleArn(PROD, 'deploy')}`,
        `external:arn:aws:iam::${OUTSIDE}:root -> ${roleArn(PROD, 'vendor')}`,
      ].sort(),
    );
    expect(out.nodes?.find((n) => n.kind === 'ExternalPrincipal')?.properties.accountId).toBe(OUTSIDE);
  });

  it('an explicit Deny, a permissions boundary or a Deny in the trust removes the edge', () => {
    const BOUNDARY = `arn:aws:iam::${PROD}:policy/no-sts`;
    const out = derive(
      account(PROD, {
        users: [
          user(PROD, 'denied', { policy: doc(allow('sts:AssumeRole'), deny('sts:AssumeRole')) }),
          user(PROD, 'bounded', { policy: doc(allow('sts:AssumeRole')), permissionsBoundaryArn: BOUNDARY }),
          user(PROD, 'blocked-by-trust', { policy: doc(allow('sts:AssumeRole')) }),
        ],
        roles: [
          role(
            PROD,
            'ops',
            doc(
              { Effect: 'Allow', Principal: { AWS: [PROD] }, Action: 'sts:AssumeRole' },
              {
                Effect: 'Deny',
                Principal: { AWS: [userArn(PROD, 'blocked-by-trust')] },
                Action: 'sts:AssumeRole',
              },
            ),
          ),
        ],
        managedPolicies: [managed(BOUNDARY, doc(allow('s3:*')))],
      }),
    );
    expect(out.edges.filter((e) => e.from.includes(':user/'))).toEqual([]);
  });

  it('an undecidable condition (sts:ExternalId) makes the edge conditional, with the condition in the evidence', () => {
    const out = derive(
      account(PROD, {
        roles: [
          role(
            PROD,
            'vendor',
            trusts({ AWS: [OUTSIDE] }, { Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } } }),
          ),
        ],
      }),
    );
    const [edge] = out.edges;
    expect(edge?.properties).toMatchObject({ conditional: true, conditions: ['sts:ExternalId'] });
    expect(edge?.evidence[0]?.conditions).toEqual(['sts:ExternalId']);
    expect(edge?.evidence[0]?.reason).toContain('sts:ExternalId StringEquals "s3cr3t"');
  });

  it('Principal "*" gives a Public edge and a critical finding; a role never assumes itself', () => {
    const out = derive(
      account(PROD, {
        users: [user(PROD, 'someone', { policy: doc(allow('sts:AssumeRole')) })],
        roles: [role(PROD, 'wide-open', trusts('*'), { policy: doc(allow('sts:AssumeRole')) })],
      }),
    );
    expect(pairs(out)).toEqual(
      [
        `${userArn(PROD, 'someone')} -> ${roleArn(PROD, 'wide-open')}`,
        `public:aws -> ${roleArn(PROD, 'wide-open')}`,
      ].sort(),
    );
    expect(out.findings).toEqual([
      expect.objectContaining({ rule: 'aws-role-trusts-anyone', severity: 'critical' }),
    ]);
  });

  it('service principals in a trust are not callers', () => {
    const out = derive(
      account(PROD, { roles: [role(PROD, 'fn', trusts({ Service: ['lambda.amazonaws.com'] }))] }),
    );
    expect(out.edges).toEqual([]);
  });
});

describe('aws-cross-account-trust-without-external-id', () => {
  const RULE = 'aws-cross-account-trust-without-external-id';
  const MANAGEMENT = '100000000001';
  const organization: AwsOrganizationData = {
    id: 'o-abc123',
    arn: `arn:aws:organizations::${MANAGEMENT}:organization/o-abc123`,
    managementAccountId: MANAGEMENT,
    rootId: 'r-root',
    accounts: [
      { id: TOOLING, parentId: 'r-root' },
      { id: PROD, parentId: 'r-root' },
    ],
    organizationalUnits: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const vendorRole = (trust: ReturnType<typeof trusts>) =>
    account(PROD, { roles: [role(PROD, 'vendor', trust)] });
  const flags = (env: AwsEnvironment) =>
    (canAssume.derive(createAuthorizer(env)).findings ?? []).filter((f) => f.rule === RULE);

  it('flags another account’s root or principal trusted without sts:ExternalId, naming the statement (medium without an organization)', () => {
    const found = flags(
      environment(
        vendorRole(
          trusts(
            { AWS: [OUTSIDE, `arn:aws:iam::${OUTSIDE}:role/reader`, `arn:aws:iam::${TOOLING}:user/ops`] },
            { Sid: 'Vendors' },
          ),
        ),
      ),
    );
    // One finding per trusted account; without an organization every other account counts.
    expect(found.map((f) => [f.subject, f.severity]).sort()).toEqual([
      [roleArn(PROD, 'vendor'), 'medium'],
      [roleArn(PROD, 'vendor'), 'medium'],
    ]);
    const outside = found.find((f) => f.message.includes(OUTSIDE));
    expect(outside?.message).toContain(`arn:aws:iam::${OUTSIDE}:role/reader`);
    expect(outside?.evidence).toEqual([
      expect.objectContaining({
        source: 'trust-policy',
        ref: `${roleArn(PROD, 'vendor')}#trust`,
        statement: 'Vendors',
      }),
    ]);
    expect(outside?.evidence[0]?.reason).toContain('no sts:ExternalId condition');
  });

  it('is high for an account outside the collected organization, and silent for accounts inside it', () => {
    const env: AwsEnvironment = {
      ...environment(
        account(TOOLING),
        vendorRole(
          trusts({ AWS: [`arn:aws:iam::${OUTSIDE}:root`, `arn:aws:iam::${TOOLING}:root`, MANAGEMENT] }),
        ),
      ),
      organization,
    };
    const found = flags(env);
    expect(found.map((f) => f.severity)).toEqual(['high']);
    expect(found[0]?.message).toContain(`account ${OUTSIDE}, outside the organization`);
  });

  it('is silent when the statement requires an external id, or trusts only the role’s own account', () => {
    const requiring: ConditionBlock[] = [
      { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } },
      { StringLike: { 'sts:ExternalId': ['tenant-*'] } },
      { 'ForAnyValue:StringEqualsIgnoreCase': { 'sts:externalid': ['S3CR3T'] } },
    ];
    for (const Condition of requiring)
      expect(
        flags(environment(vendorRole(trusts({ AWS: [OUTSIDE] }, { Condition })))),
        JSON.stringify(Condition),
      ).toEqual([]);
    expect(flags(environment(vendorRole(trusts({ AWS: [`arn:aws:iam::${PROD}:root`, PROD] }))))).toEqual([]);
    expect(flags(environment(vendorRole(trusts({ Service: ['lambda.amazonaws.com'] }))))).toEqual([]);
  });

  it('flags conditions that let a request without an external id through', () => {
    const loose: ConditionBlock[] = [
      { StringEqualsIfExists: { 'sts:ExternalId': ['s3cr3t'] } },
      { 'ForAllValues:StringEquals': { 'sts:ExternalId': ['s3cr3t'] } },
      { StringLike: { 'sts:ExternalId': ['*'] } },
      { StringNotEquals: { 'sts:ExternalId': ['wrong'] } },
      { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
    ];
    for (const Condition of loose)
      expect(
        flags(environment(vendorRole(trusts({ AWS: [OUTSIDE] }, { Condition })))).length,
        JSON.stringify(Condition),
      ).toBe(1);
  });

  it('judges each statement alone: an external id one statement requires does not cover another', () => {
    const found = flags(
      environment(
        vendorRole(
          doc(
            {
              Sid: 'WithId',
              Effect: 'Allow',
              Principal: { AWS: [OUTSIDE] },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } },
            },
            { Sid: 'WithoutId', Effect: 'Allow', Principal: { AWS: [OUTSIDE] }, Action: 'sts:AssumeRole' },
          ),
        ),
      ),
    );
    expect(found.map((f) => f.evidence[0]?.statement)).toEqual(['WithoutId']);
  });
});
