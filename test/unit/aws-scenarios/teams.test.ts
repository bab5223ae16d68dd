// Two principals' permissions at once: a role the attacker controls sets something up, the attacker
// starts it with its own permission. Invoking a function needs lambda:InvokeFunction on it, not the
// creator's rights (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html);
// a CloudFormation stack acts with its service role
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
import { describe, expect, it } from 'vitest';
import {
  account,
  allow,
  doc,
  environment,
  managed,
  role,
  roleArn,
  type StatementInput,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws, edge, lines } from './harness.js';

const A = '111111111111';
const dev = userArn(A, 'dev');
const stackRole = roleArn(A, 'stack-role');
const deployer = roleArn(A, 'deployer');
const target = roleArn(A, 'target');
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
const CREATES_FUNCTIONS = doc(allow('iam:PassRole', target), allow('lambda:CreateFunction'));

function playground(devStatements: StatementInput[]) {
  return analyzeAws(
    environment(
      account(A, {
        users: [user(A, 'dev', { policy: doc(...devStatements) })],
        roles: [
          role(A, 'stack-role', trusts({ Service: ['cloudformation.amazonaws.com'] }), {
            policy: CREATES_FUNCTIONS,
          }),
          role(A, 'deployer', trusts({ AWS: [`arn:aws:iam::${A}:root`] }), { policy: CREATES_FUNCTIONS }),
          role(A, 'target', trusts({ Service: ['lambda.amazonaws.com'] }), {
            attachedPolicyArns: [ADMIN_POLICY],
          }),
        ],
        managedPolicies: [managed(ADMIN_POLICY, doc(allow('*')))],
      }),
    ),
  );
}
const escalations = (out: Awaited<ReturnType<typeof analyzeAws>>) => lines(out, 'CAN_ESCALATE');

describe('escalations over the principals an attacker controls', () => {
  it('a stack service role creates the function, the attacker invokes it: an edge to the function’s role citing both', async () => {
    const out = await playground([
      allow('iam:PassRole', stackRole),
      allow(['cloudformation:CreateStack', 'lambda:InvokeFunction']),
    ]);
    expect(escalations(out)).toEqual([
      `CAN_ESCALATE ${dev} -> ${stackRole} [cloudformation-001]`,
      `CAN_ESCALATE ${dev} -> ${target} [lambda-001]`,
    ]);
    const e = edge(out, 'CAN_ESCALATE', dev, target);
    expect(e?.evidence[0]?.reason).toMatch(/^lambda-001 .*: through role stack-role \(cloudformation-001: /);
    const reasons = e?.evidence.map((r) => r.reason).join('\n') ?? '';
    expect(reasons).toContain('(to control role stack-role)');
    expect(reasons).toContain('iam:PassRole on target to lambda.amazonaws.com as role stack-role');
    expect(reasons).toContain(`lambda:InvokeFunction in account ${A} as ${dev}`);
    const refs = e?.evidence.map((r) => r.ref) ?? [];
    expect(refs).toContain(`${dev}#inline/inline`);
    expect(refs).toContain(`${stackRole}#inline/inline`);
  });

  it('without the attacker’s own lambda:InvokeFunction neither it nor the stack role reaches the function’s role', async () => {
    const out = await playground([allow('iam:PassRole', stackRole), allow('cloudformation:CreateStack')]);
    expect(escalations(out)).toEqual([`CAN_ESCALATE ${dev} -> ${stackRole} [cloudformation-001]`]);
  });

  it('a role whose credentials the attacker holds (it can assume it) counts too', async () => {
    const out = await playground([allow('sts:AssumeRole', deployer), allow('lambda:InvokeFunction')]);
    expect(escalations(out)).toEqual([`CAN_ESCALATE ${dev} -> ${target} [lambda-001]`]);
    expect(edge(out, 'CAN_ESCALATE', dev, target)?.evidence[0]?.reason).toContain(
      'through role deployer (it can assume it)',
    );
  });

  it('a role it cannot assume lends it nothing', async () => {
    const out = await playground([allow('sts:AssumeRole', stackRole), allow('lambda:InvokeFunction')]);
    expect(escalations(out)).toEqual([]);
  });
});
