import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { AwsAccountData, AwsOrganizationData } from '../../../../src/model/aws/environment.js';
import type { ConditionBlock, Statement } from '../../../../src/model/aws/policy.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';

// The organization holds MEMBER (collected) and UNCOLLECTED (a member account that was not
// collected); OUTSIDER is collected but not in the organization; STRANGER is neither.
const ORG_ID = 'o-abc1234567';
const MGMT = '100000000001';
const MEMBER = '111111111111';
const UNCOLLECTED = '222222222222';
const OUTSIDER = '333333333333';
const STRANGER = '444455556666';
const SECRET = `arn:aws:secretsmanager:eu-west-1:${MEMBER}:secret:payments-AbCdEf`;
const root = (id: string) => `arn:aws:iam::${id}:root`;

beforeAll(() => loadCatalog());

/** An RCP on the member account: the full-access baseline and one more statement. */
function organization(rcp: Omit<Statement, 'index'>): AwsOrganizationData {
  const policy = (id: string, statements: Omit<Statement, 'index'>[]) => ({
    policy: {
      id,
      name: id,
      kind: 'rcp' as const,
      document: { Version: '2012-10-17', Statement: statements.map((s, index) => ({ ...s, index })) },
    },
    targets: ['r-root', 'ou-prod', MEMBER, UNCOLLECTED],
  });
  return {
    id: ORG_ID,
    arn: `arn:aws:organizations::${MGMT}:organization/${ORG_ID}`,
    managementAccountId: MGMT,
    rootId: 'r-root',
    accounts: [
      { id: MGMT, parentId: 'r-root' },
      { id: MEMBER, parentId: 'ou-prod' },
      { id: UNCOLLECTED, parentId: 'ou-prod' },
    ],
    organizationalUnits: [{ id: 'ou-prod', parentId: 'r-root' }],
    serviceControlPolicies: [],
    resourceControlPolicies: [
      policy('p-full', [{ Effect: 'Allow', Principal: '*', Action: ['*'], Resource: ['*'] }]),
      policy('p-guard', [rcp]),
    ],
  };
}

/** The fixture's guard: deny the secret to every principal outside the organization that is not a service. */
const STAY_INSIDE: Omit<Statement, 'index'> = {
  Sid: 'SecretsStayInTheOrganization',
  Effect: 'Deny',
  Principal: '*',
  Action: ['secretsmanager:*'],
  Resource: ['*'],
  Condition: {
    StringNotEqualsIfExists: { 'aws:PrincipalOrgID': [ORG_ID] },
    BoolIfExists: { 'aws:PrincipalIsAWSService': ['false'] },
  },
};

function accounts(): AwsAccountData[] {
  const reader = (id: string) =>
    user(id, 'reader', { policy: doc(allow('secretsmanager:GetSecretValue', '*')) });
  const secretPolicy = doc({
    Effect: 'Allow',
    Principal: { AWS: [root(MEMBER), root(OUTSIDER), root(UNCOLLECTED), root(STRANGER)] },
    Action: 'secretsmanager:GetSecretValue',
    Resource: '*',
  });
  return [
    account(MEMBER, {
      users: [reader(MEMBER)],
      resources: [resource('secret', SECRET, { policy: secretPolicy })],
    }),
    account(OUTSIDER, { users: [reader(OUTSIDER)] }),
  ];
}

const read = (rcp: Omit<Statement, 'index'>, principal: string, withOrganization = true) => {
  const env = {
    ...environment(...accounts()),
    ...(withOrganization ? { organization: organization(rcp) } : {}),
  };
  return createAuthorizer(env).evaluate(principal, 'secretsmanager:GetSecretValue', SECRET);
};

describe('organization membership of principals (aws:PrincipalOrgID, aws:PrincipalOrgPaths)', () => {
  it('a principal of an account outside the collected organization is denied by a guard naming the organization', () => {
    expect(read(STAY_INSIDE, `external:${root(STRANGER)}`).outcome).toBe('explicit-deny');
    expect(read(STAY_INSIDE, userArn(OUTSIDER, 'reader')).outcome).toBe('explicit-deny');
  });

  it('principals of member accounts, collected or not, carry the organization id and pass the guard', () => {
    expect(read(STAY_INSIDE, userArn(MEMBER, 'reader')).outcome).toBe('allow');
    const uncollected = read(STAY_INSIDE, `external:${root(UNCOLLECTED)}`);
    expect(uncollected.outcome).toBe('allow');
    expect(uncollected.allowedBy.map((m) => m.policyId)).toEqual([`${SECRET}#policy`]);
  });

  it('a guard on the organization paths is decided the same way', () => {
    const paths: Omit<Statement, 'index'> = {
      ...STAY_INSIDE,
      Condition: {
        'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [`${ORG_ID}/r-root/*`] },
        BoolIfExists: { 'aws:PrincipalIsAWSService': ['false'] },
      },
    };
    // Absent paths: ForAllValues is true; another organization's paths: none is like ours. Deny both ways.
    expect(read(paths, `external:${root(STRANGER)}`).outcome).toBe('explicit-deny');
    expect(read(paths, `external:${root(UNCOLLECTED)}`).outcome).toBe('allow');
  });

  it('stays undecided without a collected organization', () => {
    const decision = read(STAY_INSIDE, `external:${root(STRANGER)}`, false);
    expect(decision.outcome).toBe('allow');
    const guarded = { ...environment(...accounts()) };
    // With the guard as a plain resource-policy Deny and no organization, the key is unknown.
    const secret = guarded.accounts[0]?.resources[0];
    if (secret?.policy) secret.policy.document.Statement.push({ ...STAY_INSIDE, index: 1 });
    const unknown = createAuthorizer(guarded).evaluate(
      `external:${root(STRANGER)}`,
      'secretsmanager:GetSecretValue',
      SECRET,
    );
    expect(unknown.outcome).toBe('conditional');
    expect(unknown.conditions.map((c) => c.key)).toContain('aws:PrincipalOrgID');
  });

  it('stays undecided when the answer depends on which other organization (or none) it is', () => {
    const condition = (block: ConditionBlock): Omit<Statement, 'index'> => ({
      ...STAY_INSIDE,
      Condition: block,
    });
    // Absent: IfExists is true (denied); in another organization: not equal (not denied).
    const ifExists = read(
      condition({ StringEqualsIfExists: { 'aws:PrincipalOrgID': [ORG_ID] } }),
      `external:${root(STRANGER)}`,
    );
    expect(ifExists.outcome).toBe('conditional');
    expect(ifExists.conditions.map((c) => c.key)).toEqual(['aws:PrincipalOrgID']);
    // Another organization named: it might be that one.
    const partner = read(
      condition({ StringNotEquals: { 'aws:PrincipalOrgID': ['o-partner9999'] } }),
      `external:${root(STRANGER)}`,
    );
    expect(partner.outcome).toBe('conditional');
  });

  it('CAN_ACCESS gives no edge to the outsider the guard denies, and keeps the members', () => {
    const env = { ...environment(...accounts()), organization: organization(STAY_INSIDE) };
    const froms = canAccess
      .derive(createAuthorizer(env))
      .edges.filter((e) => e.to === SECRET)
      .map((e) => e.from)
      .sort();
    expect(froms).toEqual([userArn(MEMBER, 'reader'), `external:${root(UNCOLLECTED)}`]);
  });
});
