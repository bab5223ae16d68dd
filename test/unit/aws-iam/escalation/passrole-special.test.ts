import { describe, expect, it } from 'vitest';
import { PREREQUISITE_CONDITION_KEY } from '../../../../src/analyzers/aws-iam/escalation/prerequisites.js';
import { technique } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../../../../src/analyzers/aws-iam/escalation/types.js';
import {
  account,
  allow,
  doc,
  environment,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';
import { ACCT, edgeBetween, escalations } from './helpers.js';

const admin = roleArn(ACCT, 'admin');

describe('cognitoidentity-001 (a role trusted by Cognito identities)', () => {
  const t = technique('cognitoidentity-001') as EscalationTechnique;
  const attacker = userArn(ACCT, 'dev');
  // The trust policy Cognito's console writes for an identity pool role.
  const cognitoTrust = trusts(
    { Federated: ['cognito-identity.amazonaws.com'] },
    {
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'cognito-identity.amazonaws.com:aud': ['us-east-1:11111111-2222-3333-4444-555555555555'],
        },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
      },
    },
  );
  const playground = (passRole: ReturnType<typeof allow>, trust = cognitoTrust) =>
    environment(
      account(ACCT, {
        users: [user(ACCT, 'dev', { policy: doc(passRole, allow('cognito-identity:SetIdentityPoolRoles')) })],
        roles: [role(ACCT, 'admin', trust, { policy: doc(allow('*')) })],
      }),
    );

  it('reaches a role whose trust policy admits Cognito identities, citing that statement', () => {
    const edge = edgeBetween(escalations(playground(allow('iam:PassRole')), [t]), attacker, admin);
    expect(edge?.properties).toMatchObject({
      technique: 'cognitoidentity-001',
      self: false,
      // Identity pools are not collected: the edge holds only if one with the role exists.
      conditional: true,
      conditions: [PREREQUISITE_CONDITION_KEY],
    });
    expect(edge?.properties.requires).toEqual([
      'a Cognito identity pool with unauthenticated identities that the trust policy of admin admits',
    ]);
    expect(edge?.evidence.map((e) => e.ref)).toContain(`${admin}#trust`);
    expect(edge?.evidence.map((e) => e.ref)).toContain(`${attacker}#inline/inline`);
  });

  it('does not pass the role when iam:PassedToService names another service', () => {
    const other = allow('iam:PassRole', '*', {
      Condition: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } },
    });
    expect(escalations(playground(other), [t])).toEqual([]);
  });

  it('does not reach a role trusting another identity provider, or Cognito only for sts:AssumeRole', () => {
    const google = trusts(
      { Federated: ['accounts.google.com'] },
      { Action: 'sts:AssumeRoleWithWebIdentity' },
    );
    expect(escalations(playground(allow('iam:PassRole'), google), [t])).toEqual([]);
    const wrongAction = trusts({ Federated: ['cognito-identity.amazonaws.com'] });
    expect(escalations(playground(allow('iam:PassRole'), wrongAction), [t])).toEqual([]);
  });
});

describe('ecs-007 (register the instance it runs on, then start a task with a passed role)', () => {
  const t = technique('ecs-007') as EscalationTechnique;
  const policy = doc(allow(t.requiredActions));
  const playground = (instanceProfileArns: string[]) =>
    environment(
      account(ACCT, {
        users: [user(ACCT, 'dev', { policy })],
        roles: [
          role(ACCT, 'web', trusts({ Service: ['ec2.amazonaws.com'] }), { policy, instanceProfileArns }),
          role(ACCT, 'admin', trusts({ Service: ['ecs-tasks.amazonaws.com'] }), { policy: doc(allow('*')) }),
        ],
      }),
    );

  it('an instance role reaches the task roles, requiring code execution on an instance running as it', () => {
    const web = roleArn(ACCT, 'web');
    const edge = edgeBetween(
      escalations(playground([`arn:aws:iam::${ACCT}:instance-profile/web`]), [t]),
      web,
      admin,
    );
    expect(edge?.properties.technique).toBe('ecs-007');
    expect(edge?.properties.requires).toEqual([
      // Each prerequisite is decided from the collection on its own; this playground collects neither.
      'an ECS cluster (not collected)',
      'a task definition to override (not collected)',
      'code execution on an EC2 instance running as web',
    ]);
  });

  it('a user, or a role no instance profile holds, gets no edge: it cannot register an instance', () => {
    const edges = escalations(playground([]), [t]);
    expect(edges).toEqual([]);
  });
});
