import { describe, expect, it } from 'vitest';
import {
  notPrincipalExcludes,
  principalMatch,
  principalMatches,
  type RequestPrincipal,
} from '../../../../src/analyzers/aws-iam/engine/index.js';
import type { PrincipalElement } from '../../../../src/model/aws/policy.js';

const A = '111122223333';
const alice: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/alice`, kind: 'user', accountId: A };
const deploy: RequestPrincipal = { arn: `arn:aws:iam::${A}:role/ci/deploy`, kind: 'role', accountId: A };
const deploySession: RequestPrincipal = {
  ...deploy,
  sessionArn: `arn:aws:sts::${A}:assumed-role/deploy/build-42`,
};
const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, kind: 'root', accountId: A };
const lambda: RequestPrincipal = {
  arn: 'lambda.amazonaws.com',
  kind: 'service',
  service: 'lambda.amazonaws.com',
};
const github: RequestPrincipal = {
  arn: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`,
  kind: 'federated',
  accountId: A,
};
const anonymous: RequestPrincipal = { arn: '*', kind: 'anonymous' };

describe('principalMatch', () => {
  it.each<[string, PrincipalElement, RequestPrincipal, string]>([
    ['"*" names everyone', '*', alice, 'direct'],
    ['"*" includes anonymous', '*', anonymous, 'direct'],
    ['AWS "*" includes anonymous', { AWS: ['*'] }, anonymous, 'direct'],
    ['account id delegates to the account', { AWS: [A] }, alice, 'account'],
    ['account root ARN delegates to the account', { AWS: [`arn:aws:iam::${A}:root`] }, deploy, 'account'],
    ['another account', { AWS: ['444455556666'] }, alice, 'none'],
    ['user ARN', { AWS: [alice.arn] }, alice, 'direct'],
    ['user ARN is case-sensitive', { AWS: [`arn:aws:iam::${A}:user/Alice`] }, alice, 'none'],
    ['role ARN names the role (its sessions)', { AWS: [deploy.arn] }, deploySession, 'role'],
    ['session ARN names the session', { AWS: [deploySession.sessionArn ?? ''] }, deploySession, 'direct'],
    [
      'another session of the role',
      { AWS: [`arn:aws:sts::${A}:assumed-role/deploy/other`] },
      deploySession,
      'none',
    ],
    [
      'a session when the session name is unknown',
      { AWS: [`arn:aws:sts::${A}:assumed-role/deploy/x`] },
      deploy,
      'session-unknown',
    ],
    ['a session of another role', { AWS: [`arn:aws:sts::${A}:assumed-role/admin/x`] }, deploy, 'none'],
    ['strongest match wins', { AWS: [A, deploy.arn] }, deploy, 'role'],
    ['service', { Service: ['lambda.amazonaws.com'] }, lambda, 'direct'],
    ['another service', { Service: ['ec2.amazonaws.com'] }, lambda, 'none'],
    ['service does not name a user', { Service: ['lambda.amazonaws.com'] }, alice, 'none'],
    ['federated provider', { Federated: [github.arn] }, github, 'direct'],
    ['federated provider does not name a role', { Federated: [github.arn] }, deploy, 'none'],
    ['account does not name a service', { AWS: [A] }, lambda, 'none'],
    ['account does not name anonymous', { AWS: [A] }, anonymous, 'none'],
    ['root principal by account', { AWS: [A] }, root, 'account'],
  ])('%s', (_name, element, principal, expected) => {
    expect(principalMatch(element, principal)).toBe(expected);
  });

  it('principalMatches is true for decided matches only', () => {
    expect(principalMatches({ AWS: [A] }, alice)).toBe(true);
    expect(principalMatches({ AWS: ['444455556666'] }, alice)).toBe(false);
    expect(principalMatches({ AWS: [`arn:aws:sts::${A}:assumed-role/deploy/x`] }, deploy)).toBe(false);
  });
});

describe('notPrincipalExcludes: every identity of the requester must be listed', () => {
  it.each<[string, PrincipalElement, RequestPrincipal, boolean | undefined]>([
    ['user and its account listed', { AWS: [alice.arn, A] }, alice, true],
    ['user listed without its account', { AWS: [alice.arn] }, alice, false],
    ['account listed without the user', { AWS: [A] }, alice, false],
    ['role and its account listed', { AWS: [deploy.arn, `arn:aws:iam::${A}:root`] }, deploySession, true],
    ['role listed without its account', { AWS: [deploy.arn] }, deploySession, false],
    ['session and account listed', { AWS: [deploySession.sessionArn ?? '', A] }, deploySession, true],
    ['unknown session name', { AWS: [`arn:aws:sts::${A}:assumed-role/deploy/x`, A] }, deploy, undefined],
    ['root by its account', { AWS: [A] }, root, true],
    ['service listed', { Service: ['lambda.amazonaws.com'] }, lambda, true],
    ['service not listed', { Service: ['ec2.amazonaws.com'] }, lambda, false],
    ['anonymous is never excluded by a list', { AWS: [A] }, anonymous, false],
    ['"*" excludes everyone', '*', anonymous, true],
  ])('%s', (_name, element, principal, expected) => {
    expect(notPrincipalExcludes(element, principal)).toBe(expected);
  });
});
