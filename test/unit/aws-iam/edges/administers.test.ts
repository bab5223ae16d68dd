import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { administers } from '../../../../src/analyzers/aws-iam/edges/administers.js';
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

const A = '111111111111';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

beforeAll(() => loadCatalog());

describe('ADMINISTERS', () => {
  it('administrators get an edge to their account with the granting statement; restricted or partial ones do not', () => {
    const env = environment(
      account(A, {
        users: [
          user(A, 'admin', { attachedPolicyArns: [ADMIN] }),
          user(A, 'no-iam', { attachedPolicyArns: [ADMIN], policy: doc(deny('iam:*')) }),
          user(A, 'reader', { policy: doc(allow('s3:Get*')) }),
          user(A, 'mfa-admin', {
            policy: doc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } })),
          }),
        ],
        roles: [role(A, 'break-glass', trusts({ AWS: [A] }), { attachedPolicyArns: [ADMIN] })],
        managedPolicies: [managed(ADMIN, doc(allow('*')))],
      }),
    );
    const out = administers.derive(createAuthorizer(env));
    expect(out.edges.map((e) => `${e.from} -> ${e.to} ${e.properties.conditional ?? false}`).sort()).toEqual(
      [
        `${roleArn(A, 'break-glass')} -> aws:account:${A} false`,
        `${userArn(A, 'admin')} -> aws:account:${A} false`,
        `${userArn(A, 'mfa-admin')} -> aws:account:${A} true`,
      ].sort(),
    );
    const admin = out.edges.find((e) => e.from === userArn(A, 'admin'));
    expect(admin?.evidence).toEqual([
      expect.objectContaining({ source: 'identity-policy', ref: ADMIN, statement: '#0' }),
    ]);
    const mfa = out.edges.find((e) => e.from === userArn(A, 'mfa-admin'));
    expect(mfa?.evidence[0]?.conditions).toEqual(['aws:MultiFactorAuthPresent']);
  });
});
