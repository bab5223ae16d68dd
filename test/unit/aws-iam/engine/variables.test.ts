// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { describe, expect, it } from 'vitest';
import { type Request, resolvePolicyVariables } from '../../../../src/analyzers/aws-iam/engine/index.js';

const request: Request = {
  principal: {
    arn: 'arn:aws:iam::111122223333:user/Alice',
    kind: 'user',
    accountId: '111122223333',
    userId: 'AIDAALICE',
    tags: { Team: 'red', 'cost-center': '42' },
  },
  action: 's3:GetObject',
  resource: { arn: 'arn:aws:s3:::home/Alice/notes.txt', tags: { owner: 'Alice' } },
  context: { 'aws:SourceVpc': ['vpc-1'], 'aws:TagKeys': ['a', 'b'], 'aws:Referer': null },
};

describe('resolvePolicyVariables', () => {
  it.each([
    ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/Alice/*'],
    ['${aws:userid}', 'AIDAALICE'],
    ['${AWS:UserName}', 'Alice'],
    ['${aws:PrincipalTag/team}', 'red'],
    ['${aws:principaltag/Cost-Center}', '42'],
    ['${aws:ResourceTag/owner}', 'Alice'],
    ['${aws:PrincipalAccount}', '111122223333'],
    ['${aws:PrincipalArn}', 'arn:aws:iam::111122223333:user/Alice'],
    ['${aws:ResourceAccount}', undefined],
    ['${aws:SourceVpc}', 'vpc-1'],
    ['plain text', 'plain text'],
    ['${*}${?}${$}', '*?$'],
    ['a${ * }b', 'a*b'],
    ["${aws:PrincipalTag/missing, 'nobody'}", 'nobody'],
    ["${aws:PrincipalTag/team, 'nobody'}", 'red'],
    ["${aws:Referer,'none'}", 'none'],
    ['${aws:PrincipalTag/missing}', undefined],
    ['${aws:Referer}', undefined],
    ['${aws:SourceIp}', undefined],
    ['${aws:TagKeys}', undefined],
    ['x/${aws:username}/${aws:PrincipalTag/team}', 'x/Alice/red'],
  ])('%s → %s', (text, expected) => {
    expect(resolvePolicyVariables(text, request)).toBe(expected);
  });

  it('resolves from bare context values, where derived keys are unknown', () => {
    expect(resolvePolicyVariables('${aws:SourceVpc}', { 'aws:SourceVpc': ['vpc-9'] })).toBe('vpc-9');
    expect(resolvePolicyVariables('${aws:username}', { 'aws:SourceVpc': ['vpc-9'] })).toBeUndefined();
  });

  it('derives the resource account from the ARN when not given', () => {
    const r = { ...request, resource: { arn: 'arn:aws:dynamodb:us-east-1:444455556666:table/t' } };
    expect(resolvePolicyVariables('${aws:ResourceAccount}', r)).toBe('444455556666');
  });

  it('aws:username exists for users only', () => {
    const role: Request = {
      ...request,
      principal: { arn: 'arn:aws:iam::111122223333:role/r', kind: 'role', accountId: '111122223333' },
    };
    expect(resolvePolicyVariables('${aws:username}', role)).toBeUndefined();
    expect(resolvePolicyVariables("${aws:username, 'role'}", role)).toBe('role');
  });
});
