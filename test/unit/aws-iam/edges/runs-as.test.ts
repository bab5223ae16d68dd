import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { runsAs } from '../../../../src/analyzers/aws-iam/edges/runs-as.js';
import { account, environment, resource, role, roleArn, trusts } from '../../../helpers/aws-environment.js';

const A = '111111111111';
const FN = `arn:aws:lambda:us-east-1:${A}:function:orders`;
const VM = `arn:aws:ec2:us-east-1:${A}:instance/i-0abc1234def567890`;
const PROJECT = `arn:aws:codebuild:us-east-1:${A}:project/build`;

beforeAll(() => loadCatalog());

describe('RUNS_AS', () => {
  it('a workload runs as its role when the role trusts the service; else a finding and no edge', () => {
    const env = environment(
      account(A, {
        roles: [
          role(A, 'fn-role', trusts({ Service: ['lambda.amazonaws.com'] })),
          role(A, 'vm-role', trusts({ Service: ['ec2.amazonaws.com'] })),
          role(A, 'wrong-trust', trusts({ Service: ['ec2.amazonaws.com'] })),
        ],
        resources: [
          resource('lambda-function', FN, { roleArns: [roleArn(A, 'fn-role')] }),
          resource('ec2-instance', VM, {
            roleArns: [roleArn(A, 'vm-role')],
            attributes: { instanceProfileArn: `arn:aws:iam::${A}:instance-profile/vm` },
          }),
          resource('codebuild-project', PROJECT, { roleArns: [roleArn(A, 'wrong-trust')] }),
        ],
      }),
    );
    const out = runsAs.derive(createAuthorizer(env));
    expect(out.edges.map((e) => `${e.fromKind} ${e.from} -> ${e.to}`).sort()).toEqual([
      `AwsEc2Instance ${VM} -> ${roleArn(A, 'vm-role')}`,
      `AwsLambdaFunction ${FN} -> ${roleArn(A, 'fn-role')}`,
    ]);
    const vm = out.edges.find((e) => e.from === VM);
    expect(vm?.evidence.map((e) => `${e.source} ${e.ref}`)).toEqual([
      `instance-profile arn:aws:iam::${A}:instance-profile/vm`,
      `trust-policy ${roleArn(A, 'vm-role')}#trust`,
    ]);
    expect(out.findings).toEqual([
      expect.objectContaining({
        rule: 'aws-workload-role-not-trusted',
        subject: PROJECT,
        severity: 'medium',
      }),
    ]);
  });

  it('decides confused-deputy conditions with the workload as the source; others stay conditional', () => {
    const env = environment(
      account(A, {
        roles: [
          role(
            A,
            'scoped',
            trusts(
              { Service: ['lambda.amazonaws.com'] },
              { Condition: { StringEquals: { 'aws:SourceAccount': [A] } } },
            ),
          ),
          role(
            A,
            'other-account',
            trusts(
              { Service: ['lambda.amazonaws.com'] },
              { Condition: { StringEquals: { 'aws:SourceAccount': ['999999999999'] } } },
            ),
          ),
          role(
            A,
            'vpc-bound',
            trusts(
              { Service: ['lambda.amazonaws.com'] },
              { Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1'] } } },
            ),
          ),
        ],
        resources: [
          resource('lambda-function', FN, { roleArns: [roleArn(A, 'scoped')] }),
          resource('lambda-function', `${FN}-2`, { roleArns: [roleArn(A, 'other-account')] }),
          resource('lambda-function', `${FN}-3`, { roleArns: [roleArn(A, 'vpc-bound')] }),
        ],
      }),
    );
    const out = runsAs.derive(createAuthorizer(env));
    expect(out.edges.map((e) => [e.to, e.properties.conditional ?? false])).toEqual([
      [roleArn(A, 'scoped'), false],
      [roleArn(A, 'vpc-bound'), true],
    ]);
    const conditional = out.edges[1];
    expect(conditional?.evidence.every((e) => e.conditions?.includes('aws:SourceVpc'))).toBe(true);
  });
});
