import { describe, expect, it } from 'vitest';
import { PREREQUISITE_CONDITION_KEY } from '../../../../src/analyzers/aws-iam/escalation/prerequisites.js';
import { TECHNIQUES } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
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

// The service principal each PassRole technique passes a role to, written out independently of the code.
const SERVICE: Record<string, string> = {
  'apprunner-001': 'tasks.apprunner.amazonaws.com',
  'batch-001': 'ecs-tasks.amazonaws.com',
  'batch-003': 'ecs-tasks.amazonaws.com',
  'bedrock-001': 'bedrock-agentcore.amazonaws.com',
  'bedrock-003': 'bedrock-agentcore.amazonaws.com',
  'bedrock-005': 'bedrock-agentcore.amazonaws.com',
  'bedrock-006': 'bedrock-agentcore.amazonaws.com',
  'braket-001': 'braket.amazonaws.com',
  'cloudformation-001': 'cloudformation.amazonaws.com',
  'cloudformation-003': 'cloudformation.amazonaws.com',
  'cloudformation-004': 'cloudformation.amazonaws.com',
  'codebuild-001': 'codebuild.amazonaws.com',
  'codebuild-004': 'codebuild.amazonaws.com',
  'datapipeline-001': 'datapipeline.amazonaws.com',
  'ec2-001': 'ec2.amazonaws.com',
  'ec2-003': 'ec2.amazonaws.com',
  'ecs-001': 'ecs-tasks.amazonaws.com',
  'ecs-002': 'ecs-tasks.amazonaws.com',
  'ecs-003': 'ecs-tasks.amazonaws.com',
  'ecs-004': 'ecs-tasks.amazonaws.com',
  'ecs-005': 'ecs-tasks.amazonaws.com',
  'ecs-008': 'ecs-tasks.amazonaws.com',
  'ecs-009': 'ecs-tasks.amazonaws.com',
  'ecs-passrole-updateservice': 'ecs-tasks.amazonaws.com',
  'emr-001': 'ec2.amazonaws.com',
  'emrserverless-001': 'emr-serverless.amazonaws.com',
  'gamelift-001': 'gamelift.amazonaws.com',
  'glue-001': 'glue.amazonaws.com',
  'glue-003': 'glue.amazonaws.com',
  'glue-004': 'glue.amazonaws.com',
  'glue-005': 'glue.amazonaws.com',
  'glue-006': 'glue.amazonaws.com',
  'glue-007': 'glue.amazonaws.com',
  'imagebuilder-001': 'ec2.amazonaws.com',
  'kinesisanalytics-001': 'kinesisanalytics.amazonaws.com',
  'lambda-001': 'lambda.amazonaws.com',
  'lambda-002': 'lambda.amazonaws.com',
  'lambda-006': 'lambda.amazonaws.com',
  'omics-001': 'omics.amazonaws.com',
  'sagemaker-001': 'sagemaker.amazonaws.com',
  'sagemaker-002': 'sagemaker.amazonaws.com',
  'sagemaker-003': 'sagemaker.amazonaws.com',
  'ssm-003': 'ssm.amazonaws.com',
};

// Techniques whose source or trust differs from "a user passes a role trusting a service": tested in passrole-special.test.ts.
const SPECIAL = new Set(['cognitoidentity-001', 'ecs-007']);

const passRoleTechniques = TECHNIQUES.filter(
  (t) => t.requiredActions[0] === 'iam:PassRole' && !SPECIAL.has(t.id),
);
const attacker = userArn(ACCT, 'dev');
const admin = roleArn(ACCT, 'service-admin');
const weak = roleArn(ACCT, 'service-logs');

function playground(
  t: EscalationTechnique,
  passRole: ReturnType<typeof allow>,
  service = SERVICE[t.id] as string,
) {
  const others = t.requiredActions.filter((a) => a !== 'iam:PassRole');
  return environment(
    account(ACCT, {
      users: [user(ACCT, 'dev', { policy: doc(passRole, allow(others)) })],
      roles: [
        role(ACCT, 'service-admin', trusts({ Service: [service] }), {
          policy: doc(allow('*')),
          instanceProfileArns: [`arn:aws:iam::${ACCT}:instance-profile/service-admin`],
        }),
        role(ACCT, 'service-logs', trusts({ Service: [service] }), {
          policy: doc(allow('logs:PutLogEvents')),
          instanceProfileArns: [`arn:aws:iam::${ACCT}:instance-profile/service-logs`],
        }),
      ],
    }),
  );
}

describe('PassRole techniques', () => {
  it('every PassRole technique is in this table', () => {
    expect(passRoleTechniques.map((t) => t.id).sort()).toEqual(Object.keys(SERVICE).sort());
  });

  describe.each(passRoleTechniques.map((t) => [t.id, t] as const))('%s', (_id, t) => {
    it('reaches every role that trusts the service and that it may pass', () => {
      const edges = escalations(playground(t, allow('iam:PassRole')), [t]);
      const edge = edgeBetween(edges, attacker, admin);
      // A technique needing something the collection cannot show (a job queue) holds only if it exists.
      const requires = edge?.properties.requires;
      expect(edge?.properties).toMatchObject({ technique: t.id, attack: t.attack, self: false });
      // A pair of a product (the caller passes every role alike) leaves `conditional` out when false.
      expect(edge?.properties.conditional === true).toBe(requires !== undefined);
      if (requires) expect(edge?.properties.conditions).toEqual([PREREQUISITE_CONDITION_KEY]);
      expect(edge?.evidence.map((e) => e.ref)).toContain(`${admin}#trust`);
      expect(edge?.evidence.map((e) => e.ref)).toContain(`${attacker}#inline/inline`);
      expect(edgeBetween(edges, attacker, weak)).toBeDefined();
    });

    it('does not reach a role PassRole is not allowed on (Resource names a weaker role)', () => {
      const edges = escalations(playground(t, allow('iam:PassRole', weak)), [t]);
      expect(edgeBetween(edges, attacker, admin)).toBeUndefined();
      expect(edgeBetween(edges, attacker, weak)).toBeDefined();
    });

    it('does not pass to the service when iam:PassedToService names another one', () => {
      const other = allow('iam:PassRole', '*', {
        Condition: { StringEquals: { 'iam:PassedToService': ['other.amazonaws.com'] } },
      });
      expect(escalations(playground(t, other), [t])).toEqual([]);
    });

    it('does not reach roles that trust another service', () => {
      expect(escalations(playground(t, allow('iam:PassRole'), 'other.amazonaws.com'), [t])).toEqual([]);
    });
  });

  it('an undecidable condition on PassRole makes the edge conditional, with the condition key', () => {
    const t = passRoleTechniques.find((x) => x.id === 'lambda-001') as EscalationTechnique;
    const mfa = allow('iam:PassRole', '*', {
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
    });
    const edge = edgeBetween(escalations(playground(t, mfa), [t]), attacker, admin);
    expect(edge?.properties.conditional).toBe(true);
    expect(edge?.properties.conditions).toEqual(['aws:MultiFactorAuthPresent']);
    // The caller passes both roles under the condition, so the pair is one of a product: every
    // record of the caller's side carries the condition, the role's side (its trust) its own.
    const callerSide = edge?.evidence.filter((e) => e.source === 'identity-policy') ?? [];
    expect(callerSide.length).toBeGreaterThan(0);
    expect(callerSide.every((e) => e.conditions?.includes('aws:MultiFactorAuthPresent'))).toBe(true);
    expect(edge?.evidence.find((e) => e.source === 'trust-policy')?.conditions).toBeUndefined();
  });

  it('EC2 needs an instance profile holding the role: none collected and none creatable, no edge', () => {
    const t = passRoleTechniques.find((x) => x.id === 'ec2-001') as EscalationTechnique;
    const env = playground(t, allow('iam:PassRole'));
    const acct = env.accounts[0];
    if (!acct) throw new Error('no account');
    acct.roles = acct.roles.map((r) => ({ ...r, instanceProfileArns: [] }));
    expect(edgeBetween(escalations(env, [t]), attacker, admin)).toBeUndefined();
  });

  it('EC2 without an instance profile holding the role: creating one is a step of the edge', () => {
    const t = passRoleTechniques.find((x) => x.id === 'ec2-001') as EscalationTechnique;
    const env = playground(
      t,
      allow(['iam:PassRole', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']),
    );
    const acct = env.accounts[0];
    if (!acct) throw new Error('no account');
    acct.roles = acct.roles.map((r) => ({ ...r, instanceProfileArns: [] }));
    const edge = edgeBetween(escalations(env, [t]), attacker, admin);
    expect(edge?.properties.requires).toBeUndefined();
    expect(edge?.properties.conditional).toBe(false);
    expect(edge?.evidence[0]?.reason).toContain('creating an instance profile holding role service-admin');
    expect(edge?.evidence.map((e) => e.reason).join('\n')).toContain(
      'iam:AddRoleToInstanceProfile in account 111111111111 (to create an instance profile holding role service-admin)',
    );
  });
});

describe('iam:PassedToService, from the AWS documentation’s example', () => {
  // "Allow passing roles only to Amazon EC2" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_passedtoservice,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
  const ec2 = TECHNIQUES.find((t) => t.id === 'ec2-001') as EscalationTechnique;
  const lambda = TECHNIQUES.find((t) => t.id === 'lambda-001') as EscalationTechnique;
  const passToEc2 = allow('iam:PassRole', `arn:aws:iam::${ACCT}:role/EC2-roles-for-XYZ-*`, {
    Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
  });
  const target = roleArn(ACCT, 'EC2-roles-for-XYZ-admin');
  const estate = (passRole: ReturnType<typeof allow>) =>
    environment(
      account(ACCT, {
        users: [
          user(ACCT, 'dev', {
            policy: doc(passRole, allow(['ec2:RunInstances', ...lambda.requiredActions.slice(1)])),
          }),
        ],
        roles: [
          // A role both services may assume: only the service it may be passed to decides.
          role(
            ACCT,
            'EC2-roles-for-XYZ-admin',
            trusts({ Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }),
            {
              policy: doc(allow('*')),
              instanceProfileArns: [`arn:aws:iam::${ACCT}:instance-profile/EC2-roles-for-XYZ-admin`],
            },
          ),
        ],
      }),
    );
  // One technique at a time: the analysis keeps one edge per pair.
  const fires = (t: EscalationTechnique, passRole: ReturnType<typeof allow>) =>
    escalations(estate(passRole), [t]).some((e) => e.from === attacker && e.to === target);

  it('makes the EC2 technique fire and not the Lambda one', () => {
    expect(fires(ec2, passToEc2)).toBe(true);
    expect(fires(lambda, passToEc2)).toBe(false);
  });

  it('without the condition both fire', () => {
    expect(fires(ec2, allow('iam:PassRole', target))).toBe(true);
    expect(fires(lambda, allow('iam:PassRole', target))).toBe(true);
  });
});
