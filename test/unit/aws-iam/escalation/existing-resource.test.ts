import { describe, expect, it } from 'vitest';
import { technique } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../../../../src/analyzers/aws-iam/escalation/types.js';
import type { AwsResourceData } from '../../../../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';
import { ACCT, edgeBetween, escalations } from './helpers.js';

interface Case {
  type: AwsResourceData['type'];
  collected: string;
  arn: string;
  service: string;
}

const FUNCTION: Case = {
  type: 'lambda-function',
  collected: 'lambda-list-functions',
  arn: `arn:aws:lambda:us-east-1:${ACCT}:function:worker`,
  service: 'lambda.amazonaws.com',
};
const INSTANCE: Case = {
  type: 'ec2-instance',
  collected: 'ec2-describe-instances',
  arn: `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0123456789abcdef0`,
  service: 'ec2.amazonaws.com',
};
const PROJECT: Case = {
  type: 'codebuild-project',
  collected: 'codebuild-list-projects',
  arn: `arn:aws:codebuild:us-east-1:${ACCT}:project/build`,
  service: 'codebuild.amazonaws.com',
};
const STACK: Case = {
  type: 'cloudformation-stack',
  collected: 'cloudformation-describe-stacks',
  arn: `arn:aws:cloudformation:us-east-1:${ACCT}:stack/app/5e1d2b60-0000-11ef-0000-0a0b0c0d0e0f`,
  service: 'cloudformation.amazonaws.com',
};

const NOTEBOOK: Case = {
  type: 'sagemaker-notebook',
  collected: 'sagemaker-list-notebook-instances',
  arn: `arn:aws:sagemaker:us-east-1:${ACCT}:notebook-instance/research`,
  service: 'sagemaker.amazonaws.com',
};

const CASES: Record<string, Case> = {
  'lambda-003': FUNCTION,
  'lambda-004': FUNCTION,
  'lambda-005': FUNCTION,
  'ec2-002': INSTANCE,
  'ec2instanceconnect-sendsshpublickey': INSTANCE,
  'ssm-001': INSTANCE,
  'ssm-002': INSTANCE,
  'glue-002': {
    type: 'glue-dev-endpoint',
    collected: 'glue-get-dev-endpoints',
    arn: `arn:aws:glue:us-east-1:${ACCT}:devEndpoint/dev`,
    service: 'glue.amazonaws.com',
  },
  'sagemaker-004': NOTEBOOK,
  'codebuild-002': PROJECT,
  'codebuild-003': PROJECT,
  'cloudformation-002': STACK,
  'cloudformation-005': STACK,
  'sagemaker-005': NOTEBOOK,
};

// Techniques acting through a kind of resource reachgraph does not collect, and the service its role trusts.
const UNCOLLECTED: Record<string, string> = {
  'apprunner-002': 'tasks.apprunner.amazonaws.com',
  'batch-002': 'ecs-tasks.amazonaws.com',
  'bedrock-002': 'bedrock-agentcore.amazonaws.com',
  'bedrock-004': 'bedrock-agentcore.amazonaws.com',
  'bedrock-007': 'bedrock-agentcore.amazonaws.com',
  'codedeploy-001': 'ec2.amazonaws.com',
  'ec2-004': 'ec2.amazonaws.com',
  'ecs-006': 'ecs-tasks.amazonaws.com',
};

const attacker = userArn(ACCT, 'dev');
const runner = roleArn(ACCT, 'runner');

function playground(
  t: EscalationTechnique,
  c: Case,
  options: { collected?: boolean; extra?: ReturnType<typeof allow>[] } = {},
) {
  return environment(
    account(ACCT, {
      users: [user(ACCT, 'dev', { policy: doc(allow(t.requiredActions), ...(options.extra ?? [])) })],
      roles: [role(ACCT, 'runner', trusts({ Service: [c.service] }), { policy: doc(allow('*')) })],
      resources: [resource(c.type, c.arn, { roleArns: [runner] })],
      collected: { 'iam-get-account-authorization-details': true, [c.collected]: options.collected ?? true },
    }),
  );
}

describe.each(Object.entries(CASES))('%s (existing resource)', (id, c) => {
  const t = technique(id) as EscalationTechnique;

  it('reaches the role of a collected resource it may act on, citing the resource', () => {
    const edge = edgeBetween(escalations(playground(t, c), [t]), attacker, runner);
    expect(edge?.properties).toMatchObject({ technique: id, self: false });
    expect(edge?.properties.requires).toBeUndefined();
    expect(edge?.evidence.map((e) => e.ref)).toContain(c.arn);
  });

  it('is blocked by an explicit Deny on the resource', () => {
    const denied = deny(t.requiredActions[0] as string, c.arn);
    expect(escalations(playground(t, c, { extra: [denied] }), [t])).toEqual([]);
  });

  it('when the resources were not collected, reaches the service’s roles as possible-if-one-exists', () => {
    const edge = edgeBetween(escalations(playground(t, c, { collected: false }), [t]), attacker, runner);
    const requires = edge?.properties.requires as string[] | undefined;
    expect(requires).toHaveLength(1);
    expect(requires?.[0]).toMatch(/running as runner$/);
    expect(edge?.evidence[0]?.reason).toMatch(/if one exists/);
  });
});

describe('existing resources', () => {
  it('a permission on another function does not reach this function’s role', () => {
    const t = technique('lambda-003') as EscalationTechnique;
    const env = environment(
      account(ACCT, {
        users: [
          user(ACCT, 'dev', {
            policy: doc(allow('lambda:UpdateFunctionCode', `arn:aws:lambda:*:${ACCT}:function:sandbox-*`)),
          }),
        ],
        roles: [
          role(ACCT, 'runner', trusts({ Service: ['lambda.amazonaws.com'] }), { policy: doc(allow('*')) }),
        ],
        resources: [resource('lambda-function', FUNCTION.arn, { roleArns: [runner] })],
        collected: { 'lambda-list-functions': true },
      }),
    );
    expect(escalations(env, [t])).toEqual([]);
  });

  it.each(Object.entries(UNCOLLECTED))(
    '%s (a kind reachgraph does not collect) always states what it requires',
    (id, service) => {
      const t = technique(id) as EscalationTechnique;
      const env = (...extra: ReturnType<typeof allow>[]) =>
        environment(
          account(ACCT, {
            users: [user(ACCT, 'dev', { policy: doc(allow(t.requiredActions), ...extra) })],
            roles: [role(ACCT, 'runner', trusts({ Service: [service] }), { policy: doc(allow('*')) })],
          }),
        );
      const edge = edgeBetween(escalations(env(), [t]), attacker, runner);
      expect(edge?.properties.technique).toBe(id);
      expect((edge?.properties.requires as string[] | undefined)?.[0]).toMatch(/running as runner$/);
      // Each required action counts: denying any one of them leaves no edge.
      for (const action of t.requiredActions) {
        expect(edgeBetween(escalations(env(deny(action)), [t]), attacker, runner)).toBeUndefined();
      }
    },
  );
});
