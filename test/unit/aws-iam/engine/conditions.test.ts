// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { describe, expect, it } from 'vitest';
import {
  type ContextValues,
  evaluateCondition,
  evaluateConditionBlock,
  type Request,
  RequestContext,
} from '../../../../src/analyzers/aws-iam/engine/index.js';

const baseRequest: Request = {
  principal: {
    arn: 'arn:aws:iam::111122223333:role/deploy',
    kind: 'role',
    accountId: '111122223333',
    tags: { team: 'Payments' },
    orgId: 'o-abc',
  },
  action: 's3:PutObject',
  resource: { arn: 'arn:aws:s3:::orders/x', accountId: '111122223333', tags: { env: 'prod' } },
};

function ctx(context: ContextValues = {}): RequestContext {
  return new RequestContext({ ...baseRequest, context });
}

/** T / F / U as the engine reports them. */
const run = (operator: string, key: string, values: string[], context: ContextValues = {}) =>
  evaluateCondition(operator, key, values, ctx(context));

describe('string operators', () => {
  it.each([
    ['StringEquals', ['prod'], ['prod'], 'T'],
    ['StringEquals', ['prod'], ['Prod'], 'F'],
    ['StringEquals', ['dev', 'prod'], ['prod'], 'T'],
    ['StringNotEquals', ['prod'], ['prod'], 'F'],
    ['StringNotEquals', ['dev', 'prod'], ['prod'], 'F'],
    ['StringNotEquals', ['dev', 'test'], ['prod'], 'T'],
    ['StringEqualsIgnoreCase', ['PROD'], ['prod'], 'T'],
    ['StringNotEqualsIgnoreCase', ['PROD'], ['prod'], 'F'],
    ['StringNotEqualsIgnoreCase', ['dev'], ['prod'], 'T'],
    ['StringLike', ['pr*'], ['prod'], 'T'],
    ['StringLike', ['pr?d'], ['prod'], 'T'],
    ['StringLike', ['pr?d'], ['prd'], 'F'],
    ['StringLike', ['PR*'], ['prod'], 'F'],
    ['StringNotLike', ['pr*'], ['prod'], 'F'],
    ['StringNotLike', ['dev*'], ['prod'], 'T'],
    ['StringEquals', ['pr*'], ['prod'], 'F'],
    ['StringEquals', ['pr*'], ['pr*'], 'T'],
  ])('%s %j vs context %j → %s', (operator, values, contextValues, expected) => {
    expect(run(operator, 'test:key', values, { 'test:key': contextValues })).toBe(expected);
  });

  it('condition keys are case-insensitive, values are not', () => {
    expect(run('StringEquals', 'TEST:KEY', ['v'], { 'test:key': ['v'] })).toBe('T');
    expect(run('StringEquals', 'test:key', ['V'], { 'Test:Key': ['v'] })).toBe('F');
  });

  it('operator names are read case-insensitively', () => {
    expect(run('stringequals', 'test:key', ['v'], { 'test:key': ['v'] })).toBe('T');
  });
});

describe('an absent key', () => {
  it.each([
    ['StringEquals', 'F'],
    ['StringLike', 'F'],
    ['StringEqualsIgnoreCase', 'F'],
    ['NumericEquals', 'F'],
    ['DateGreaterThan', 'F'],
    ['Bool', 'F'],
    ['BinaryEquals', 'F'],
    ['IpAddress', 'F'],
    ['ArnLike', 'F'],
    ['ArnEquals', 'F'],
    // Negated operators are true when the key is absent.
    ['StringNotEquals', 'T'],
    ['StringNotLike', 'T'],
    ['StringNotEqualsIgnoreCase', 'T'],
    ['NumericNotEquals', 'T'],
    ['DateNotEquals', 'T'],
    ['NotIpAddress', 'T'],
    ['ArnNotEquals', 'T'],
    ['ArnNotLike', 'T'],
    // …IfExists is true when the key is absent.
    ['StringEqualsIfExists', 'T'],
    ['StringLikeIfExists', 'T'],
    ['BoolIfExists', 'T'],
    ['NumericLessThanIfExists', 'T'],
    ['ArnLikeIfExists', 'T'],
    ['IpAddressIfExists', 'T'],
    ['DateLessThanIfExists', 'T'],
    // Set qualifiers: ForAllValues holds for the empty set, ForAnyValue does not.
    ['ForAllValues:StringEquals', 'T'],
    ['ForAllValues:StringLike', 'T'],
    ['ForAnyValue:StringEquals', 'F'],
    ['ForAnyValue:StringLike', 'F'],
    ['ForAnyValue:StringNotEquals', 'F'],
    ['ForAllValues:StringNotEquals', 'T'],
  ])('%s → %s (key set to null: known absent)', (operator, expected) => {
    expect(run(operator, 'test:key', ['x'], { 'test:key': null })).toBe(expected);
  });

  it('an empty list of values counts as absent', () => {
    expect(run('ForAllValues:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] })).toBe('T');
    expect(run('ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] })).toBe('F');
    expect(run('StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] })).toBe('F');
  });

  it('a tag the principal does not carry is known absent', () => {
    expect(run('StringEquals', 'aws:PrincipalTag/env', ['prod'])).toBe('F');
    expect(run('StringNotEquals', 'aws:PrincipalTag/env', ['prod'])).toBe('T');
  });
});

describe('Null', () => {
  it.each([
    [['true'], null, 'T'],
    [['true'], ['x'], 'F'],
    [['false'], null, 'F'],
    [['false'], ['x'], 'T'],
  ])('Null %j with context %j → %s', (values, contextValues, expected) => {
    expect(run('Null', 'test:key', values, { 'test:key': contextValues as string[] | null })).toBe(expected);
  });

  it('is undecided for a key unknown offline', () => {
    expect(run('Null', 'aws:MultiFactorAuthAge', ['true'])).toBe('U');
  });
});

describe('numeric, date, bool, binary', () => {
  it.each([
    ['NumericEquals', ['10'], ['10'], 'T'],
    ['NumericEquals', ['10'], ['10.0'], 'T'],
    ['NumericNotEquals', ['10'], ['11'], 'T'],
    ['NumericLessThan', ['10'], ['9'], 'T'],
    ['NumericLessThan', ['10'], ['10'], 'F'],
    ['NumericLessThanEquals', ['10'], ['10'], 'T'],
    ['NumericGreaterThan', ['10'], ['11'], 'T'],
    ['NumericGreaterThanEquals', ['10'], ['9'], 'F'],
    ['NumericEquals', ['abc'], ['10'], 'F'],
    ['NumericEquals', ['10'], ['ten'], 'F'],
    ['DateEquals', ['2024-01-01T00:00:00Z'], ['2024-01-01T00:00:00Z'], 'T'],
    ['DateLessThan', ['2024-01-01T00:00:00Z'], ['2023-12-31T23:59:59Z'], 'T'],
    ['DateGreaterThan', ['2024-01-01T00:00:00Z'], ['2023-12-31T23:59:59Z'], 'F'],
    ['DateGreaterThanEquals', ['2024-01-01'], ['2024-01-01T00:00:00Z'], 'T'],
    ['DateLessThanEquals', ['1704067200'], ['2024-01-01T00:00:00Z'], 'T'],
    ['DateNotEquals', ['2024-01-01T00:00:00Z'], ['2025-01-01T00:00:00Z'], 'T'],
    ['Bool', ['true'], ['true'], 'T'],
    ['Bool', ['true'], ['false'], 'F'],
    ['Bool', ['TRUE'], ['true'], 'T'],
    ['BinaryEquals', ['QmluYXJ5'], ['QmluYXJ5'], 'T'],
    ['BinaryEquals', ['QmluYXJ5'], ['QmluYXJ6'], 'F'],
  ])('%s %j vs %j → %s', (operator, values, contextValues, expected) => {
    expect(run(operator, 'test:key', values, { 'test:key': contextValues })).toBe(expected);
  });
});

describe('IpAddress / NotIpAddress', () => {
  it.each([
    ['IpAddress', ['203.0.113.0/24'], '203.0.113.7', 'T'],
    ['IpAddress', ['203.0.113.0/24'], '203.0.114.7', 'F'],
    ['IpAddress', ['203.0.113.7'], '203.0.113.7', 'T'],
    ['IpAddress', ['0.0.0.0/0'], '8.8.8.8', 'T'],
    ['IpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '192.168.1.1', 'T'],
    ['NotIpAddress', ['10.0.0.0/8'], '192.168.1.1', 'T'],
    ['NotIpAddress', ['10.0.0.0/8'], '10.1.2.3', 'F'],
    ['IpAddress', ['2001:db8::/32'], '2001:db8:1::1', 'T'],
    ['IpAddress', ['2001:db8::/32'], '2001:db9::1', 'F'],
    ['IpAddress', ['10.0.0.0/8'], '2001:db8::1', 'F'],
    ['IpAddress', ['::ffff:0:0/96'], '::ffff:10.0.0.1', 'T'],
    ['IpAddress', ['not-an-ip'], '10.0.0.1', 'F'],
  ])('%s %j vs %s → %s', (operator, values, ip, expected) => {
    expect(run(operator, 'aws:SourceIp', values, { 'aws:SourceIp': [ip] })).toBe(expected);
  });
});

describe('ARN operators', () => {
  it.each([
    ['ArnEquals', ['arn:aws:iam::111122223333:role/deploy'], 'T'],
    ['ArnLike', ['arn:aws:iam::111122223333:role/*'], 'T'],
    ['ArnEquals', ['arn:aws:iam::111122223333:role/*'], 'T'],
    ['ArnLike', ['arn:aws:iam::*:role/dep?oy'], 'T'],
    ['ArnLike', ['arn:aws:iam::222233334444:role/*'], 'F'],
    ['ArnNotEquals', ['arn:aws:iam::111122223333:role/deploy'], 'F'],
    ['ArnNotLike', ['arn:aws:iam::*:role/admin*'], 'T'],
    ['ArnLike', ['arn:aws:iam::111122223333:role/Deploy'], 'F'],
  ])('%s %j vs aws:PrincipalArn → %s', (operator, values, expected) => {
    expect(run(operator, 'aws:PrincipalArn', values)).toBe(expected);
  });
});

describe('multi-valued keys and set qualifiers', () => {
  const tags = { 'aws:TagKeys': ['env', 'team'] };
  it.each([
    ['ForAllValues:StringEquals', ['env', 'team', 'owner'], 'T'],
    ['ForAllValues:StringEquals', ['env'], 'F'],
    ['ForAnyValue:StringEquals', ['env'], 'T'],
    ['ForAnyValue:StringEquals', ['owner'], 'F'],
    ['ForAllValues:StringLike', ['e*', 't*'], 'T'],
    ['ForAnyValue:StringLike', ['x*', 't*'], 'T'],
    ['ForAnyValue:StringNotEquals', ['env'], 'T'],
    ['ForAllValues:StringNotEquals', ['owner'], 'T'],
    ['ForAllValues:StringNotEquals', ['env'], 'F'],
    // Without a qualifier, a positive operator matches if any value matches; a negated one if none does.
    ['StringEquals', ['team'], 'T'],
    ['StringNotEquals', ['team'], 'F'],
    ['StringNotEquals', ['owner'], 'T'],
  ])('%s %j vs aws:TagKeys [env, team] → %s', (operator, values, expected) => {
    expect(run(operator, 'aws:TagKeys', values, tags)).toBe(expected);
  });
});

describe('keys unknown offline are undecided', () => {
  it.each([
    ['Bool', 'aws:MultiFactorAuthPresent', ['true']],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['false']],
    ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8']],
    ['NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8']],
    ['StringEquals', 'sts:ExternalId', ['secret']],
    ['DateLessThan', 'aws:CurrentTime', ['2030-01-01T00:00:00Z']],
    ['StringEquals', 'aws:SourceVpce', ['vpce-1']],
    ['StringLike', 'token.actions.githubusercontent.com:sub', ['repo:acme/*']],
    ['StringEquals', 'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud', ['sts.amazonaws.com']],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a']],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a']],
    ['StringEquals', 'aws:PrincipalOrgPaths', ['o-abc/r-1/']],
  ])('%s %s', (operator, key, values) => {
    expect(run(operator, key, values)).toBe('U');
  });

  it('an unknown operator is undecided with a warning', () => {
    const warnings: string[] = [];
    expect(evaluateCondition('StringSortOf', 'k', ['v'], ctx({ k: ['v'] }), true, warnings)).toBe('U');
    expect(warnings[0]).toMatch(/unknown condition operator "StringSortOf"/);
  });
});

describe('OIDC claim keys are first-class context keys', () => {
  const sub = 'token.actions.githubusercontent.com:sub';
  it.each([
    [
      'StringEquals',
      ['repo:acme/payments:ref:refs/heads/main'],
      'repo:acme/payments:ref:refs/heads/main',
      'T',
    ],
    ['StringEquals', ['repo:acme/payments:ref:refs/heads/main'], 'repo:acme/payments:pull_request', 'F'],
    ['StringLike', ['repo:acme/*'], 'repo:acme/payments:ref:refs/heads/main', 'T'],
    ['StringLike', ['repo:acme/*'], 'repo:evil/acme:ref:refs/heads/main', 'F'],
    ['StringLike', ['repo:acme/payments:environment:prod'], 'repo:acme/payments:environment:prod', 'T'],
  ])('%s %j vs sub %s → %s', (operator, values, subject, expected) => {
    expect(run(operator, sub, values, { [sub]: [subject] })).toBe(expected);
  });

  it('EKS subject and audience', () => {
    const issuer = 'oidc.eks.eu-west-1.amazonaws.com/id/5C3F';
    const context = {
      [`${issuer}:sub`]: ['system:serviceaccount:pay:api'],
      [`${issuer}:aud`]: ['sts.amazonaws.com'],
    };
    const block = {
      StringEquals: {
        [`${issuer}:sub`]: ['system:serviceaccount:pay:api'],
        [`${issuer}:aud`]: ['sts.amazonaws.com'],
      },
    };
    expect(evaluateConditionBlock(block, ctx(context)).result).toBe('true');
    expect(
      evaluateConditionBlock(block, ctx({ [`${issuer}:sub`]: ['system:serviceaccount:pay:other'] })).result,
    ).toBe('false');
  });
});

describe('derived keys', () => {
  it.each([
    ['StringEquals', 'aws:PrincipalAccount', ['111122223333'], 'T'],
    ['StringEquals', 'aws:PrincipalOrgID', ['o-abc'], 'T'],
    ['StringEquals', 'aws:PrincipalOrgID', ['o-other'], 'F'],
    ['StringEquals', 'aws:PrincipalTag/team', ['Payments'], 'T'],
    ['StringEquals', 'aws:ResourceTag/env', ['prod'], 'T'],
    ['StringEquals', 'aws:ResourceAccount', ['111122223333'], 'T'],
    ['StringEquals', 'aws:PrincipalType', ['AssumedRole'], 'T'],
    ['Bool', 'aws:PrincipalIsAWSService', ['false'], 'T'],
    ['Null', 'aws:username', ['true'], 'T'],
    ['Null', 'aws:PrincipalServiceName', ['true'], 'T'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(run(operator, key, values)).toBe(expected);
  });

  it('a given context value overrides a derived one, null included', () => {
    expect(
      run('StringEquals', 'aws:PrincipalTag/team', ['Payments'], { 'aws:PrincipalTag/team': null }),
    ).toBe('F');
  });
});

describe('policy variables in condition values', () => {
  it.each([
    ['StringEquals', 'aws:ResourceTag/env', ['${aws:ResourceTag/env}'], 'T'],
    ['StringEquals', 'test:key', ['${aws:PrincipalTag/team}'], 'T'],
    ['StringLike', 'test:key', ['Pay${*}'], 'F'],
    ['StringLike', 'test:key', ['Pay*'], 'T'],
    ['StringEquals', 'test:key', ['${aws:PrincipalTag/absent}'], 'F'],
    ['StringEquals', 'test:key', ["${aws:PrincipalTag/absent, 'Payments'}"], 'T'],
    ['StringEquals', 'test:key', ['${aws:SourceIdentity}'], 'U'],
    ['StringEquals', 'test:key', ['${aws:SourceIdentity}', 'Payments'], 'T'],
    ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::${aws:PrincipalAccount}:role/*'], 'T'],
  ])('%s %s %j → %s', (operator, key, values, expected) => {
    expect(run(operator, key, values, { 'test:key': ['Payments'] })).toBe(expected);
  });

  it('are literal text in documents without Version 2012-10-17', () => {
    const c = ctx({ 'test:key': ['${aws:PrincipalTag/team}'] });
    const block = { StringEquals: { 'test:key': ['${aws:PrincipalTag/team}'] } };
    expect(evaluateConditionBlock(block, c, false).result).toBe('true');
    expect(evaluateConditionBlock(block, c, true).result).toBe('false');
  });
});

describe('evaluateConditionBlock: AND across operators and keys, OR across values', () => {
  it('all conditions must hold', () => {
    const block = {
      StringEquals: { 'aws:PrincipalTag/team': ['Payments'], 'aws:ResourceTag/env': ['prod'] },
      Bool: { 'aws:PrincipalIsAWSService': ['false'] },
    };
    expect(evaluateConditionBlock(block, ctx()).result).toBe('true');
    const failing = { ...block, StringLike: { 'aws:ResourceTag/env': ['dev*'] } };
    expect(evaluateConditionBlock(failing, ctx()).result).toBe('false');
  });

  it('one false condition decides even when others are undecided', () => {
    const block = {
      Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
      StringEquals: { 'aws:ResourceTag/env': ['dev'] },
    };
    const outcome = evaluateConditionBlock(block, ctx());
    expect(outcome.result).toBe('false');
    expect(outcome.undecided).toEqual([]);
  });

  it('reports every undecided condition as written', () => {
    const block = {
      Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
      IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] },
      StringEquals: { 'aws:ResourceTag/env': ['prod'] },
    };
    const outcome = evaluateConditionBlock(block, ctx());
    expect(outcome.result).toBe('undecided');
    expect(outcome.undecided).toEqual([
      { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] },
      { operator: 'IpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'] },
    ]);
  });

  it('an empty block holds', () => {
    expect(evaluateConditionBlock({}, ctx()).result).toBe('true');
  });
});
