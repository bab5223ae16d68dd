// pathfinding.cloud paths (data/paths/*/<id>.yaml, permissions.required) and iam:PassRole semantics.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
import { describe, expect, it } from 'vitest';
import type { AwsResourceData } from '../../../src/model/aws/environment.js';
import {
  account,
  allow,
  doc,
  environment,
  managed,
  resource,
  role,
  roleArn,
  type StatementInput,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { accountNode, analyzeAws, cites, edge, lines } from './harness.js';

const A = '111111111111';
const dev = userArn(A, 'dev');
const target = roleArn(A, 'target');
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** `dev` (with the statements) and `target`, an administrator role trusting `service`. */
async function playground(
  statements: StatementInput[],
  options: {
    service?: string;
    resources?: AwsResourceData[];
    collected?: Record<string, boolean>;
    extra?: Parameters<typeof account>[1];
  } = {},
) {
  return analyzeAws(
    environment(
      account(A, {
        users: [user(A, 'dev', { policy: doc(...statements) })],
        roles: [
          role(A, 'target', trusts({ Service: [options.service ?? 'lambda.amazonaws.com'] }), {
            attachedPolicyArns: [ADMIN_POLICY],
          }),
        ],
        managedPolicies: [managed(ADMIN_POLICY, doc(allow('*')))],
        resources: options.resources ?? [],
        collected: { 'iam-get-account-authorization-details': true, ...(options.collected ?? {}) },
        ...(options.extra ?? {}),
      }),
    ),
  );
}
const escalations = (out: Awaited<ReturnType<typeof playground>>) =>
  lines(out, 'CAN_ESCALATE').filter((l) => l.includes(`${dev} ->`));

describe('new-passrole paths', () => {
  const cases: [id: string, service: string, actions: string[]][] = [
    [
      'lambda-001',
      'lambda.amazonaws.com',
      ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
    ],
    // No instance profile holds the role (every one was collected): creating one is part of the path.
    [
      'ec2-001',
      'ec2.amazonaws.com',
      ['iam:PassRole', 'ec2:RunInstances', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'],
    ],
    ['glue-001', 'glue.amazonaws.com', ['iam:PassRole', 'glue:CreateDevEndpoint']],
    ['cloudformation-001', 'cloudformation.amazonaws.com', ['iam:PassRole', 'cloudformation:CreateStack']],
  ];
  for (const [id, service, actions] of cases) {
    it(`${id}: every required permission gives the edge to the role, citing the trust statement`, async () => {
      const out = await playground([{ ...allow(actions), Sid: 'Grant' }], { service });
      expect(escalations(out)).toEqual([`CAN_ESCALATE ${dev} -> ${target} [${id}]`]);
      const e = edge(out, 'CAN_ESCALATE', dev, target);
      expect(cites(e)).toContain(`identity-policy ${dev}#inline/inline Grant`);
      expect(cites(e)).toContain(`trust-policy ${target}#trust #0`);
    });
    for (const missing of actions) {
      it(`${id} near miss: without ${missing} there is no edge`, async () => {
        const out = await playground([allow(actions.filter((a) => a !== missing))], { service });
        expect(escalations(out)).toEqual([]);
      });
    }
  }

  it('iam:PassedToService for the right service keeps lambda-001; for another service drops it', async () => {
    const passTo = (svc: string): StatementInput =>
      allow('iam:PassRole', target, { Condition: { StringEquals: { 'iam:PassedToService': [svc] } } });
    const fn = ['lambda:CreateFunction', 'lambda:InvokeFunction'];
    const right = await playground([passTo('lambda.amazonaws.com'), allow(fn)]);
    expect(escalations(right)).toEqual([`CAN_ESCALATE ${dev} -> ${target} [lambda-001]`]);
    expect(edge(right, 'CAN_ESCALATE', dev, target)?.properties.conditional).toBeFalsy();
    const wrong = await playground([passTo('ec2.amazonaws.com'), allow(fn)]);
    expect(escalations(wrong)).toEqual([]);
  });

  it('iam:PassRole on * with lambda:CreateFunction only (no invoke, event source or AddPermission): no edge', async () => {
    const out = await playground([allow(['iam:PassRole', 'lambda:CreateFunction'])]);
    expect(escalations(out)).toEqual([]);
  });

  it('lambda-002: PassRole + CreateFunction + CreateEventSourceMapping', async () => {
    const out = await playground([
      allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping']),
    ]);
    expect(escalations(out)).toEqual([`CAN_ESCALATE ${dev} -> ${target} [lambda-002]`]);
  });

  it('PassRole to a role whose trust does not admit the service: no edge', async () => {
    const out = await playground(
      [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])],
      {
        service: 'ec2.amazonaws.com',
      },
    );
    expect(escalations(out)).toEqual([]);
  });

  it('iam:AssociatedResourceArn pinning PassRole to one function name still allows a new function of that name (conditional or edge)', async () => {
    const out = await playground([
      allow('iam:PassRole', target, {
        Condition: {
          ArnLike: { 'iam:AssociatedResourceArn': [`arn:aws:lambda:*:${A}:function:approved-*`] },
        },
      }),
      allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
    ]);
    // The new function's ARN is chosen by the caller: an approved-* name satisfies the condition.
    expect(escalations(out).map((l) => l.replace(' ?', ''))).toEqual([
      `CAN_ESCALATE ${dev} -> ${target} [lambda-001]`,
    ]);
  });
});

describe('IAM paths', () => {
  it('iam-001: CreatePolicyVersion on a customer-managed policy attached to itself → self-escalation to the account', async () => {
    const own = `arn:aws:iam::${A}:policy/dev-tools`;
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'dev', { attachedPolicyArns: [own] })],
          managedPolicies: [managed(own, doc({ ...allow('iam:CreatePolicyVersion', own), Sid: 'Versions' }))],
        }),
      ),
    );
    expect(lines(out, 'CAN_ESCALATE')).toEqual([`CAN_ESCALATE ${dev} -> ${accountNode(A)} [iam-001]`]);
    expect(edge(out, 'CAN_ESCALATE', dev, accountNode(A))?.properties.self).toBe(true);
    expect(cites(edge(out, 'CAN_ESCALATE', dev, accountNode(A)))).toContain(
      `identity-policy ${own} Versions`,
    );
  });

  it('iam-001 near miss: CreatePolicyVersion on a policy not attached to it is no self-escalation', async () => {
    const own = `arn:aws:iam::${A}:policy/dev-tools`;
    const other = `arn:aws:iam::${A}:policy/unused`;
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'dev', { attachedPolicyArns: [own] })],
          managedPolicies: [
            managed(own, doc(allow('iam:CreatePolicyVersion', other))),
            managed(other, doc(allow('s3:ListBucket'))),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('iam-002: CreateAccessKey on another user; near miss: the user already has two keys', async () => {
    const key = (id: string) => ({ accessKeyId: id, status: 'Active' as const });
    const build = (keys: number) =>
      analyzeAws(
        environment(
          account(A, {
            users: [
              user(A, 'dev', { policy: doc(allow('iam:CreateAccessKey', userArn(A, 'admin'))) }),
              user(A, 'admin', {
                policy: doc(allow('*')),
                accessKeys: [key('AKIAAAAAAAAAAAAAAAA1'), key('AKIAAAAAAAAAAAAAAAA2')].slice(0, keys),
              }),
            ],
          }),
        ),
      );
    expect(lines(await build(1), 'CAN_ESCALATE')).toEqual([
      `CAN_ESCALATE ${dev} -> ${userArn(A, 'admin')} [iam-002]`,
    ]);
    expect(lines(await build(2), 'CAN_ESCALATE')).toEqual([]);
  });

  it('iam-003: CreateAccessKey + DeleteAccessKey reaches a user with two keys', async () => {
    const key = (id: string) => ({ accessKeyId: id, status: 'Active' as const });
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'dev', {
              policy: doc(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], userArn(A, 'admin'))),
            }),
            user(A, 'admin', { accessKeys: [key('AKIAAAAAAAAAAAAAAAA1'), key('AKIAAAAAAAAAAAAAAAA2')] }),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ESCALATE')).toEqual([`CAN_ESCALATE ${dev} -> ${userArn(A, 'admin')} [iam-003]`]);
  });
});

describe('existing-resource paths', () => {
  const instance = `arn:aws:ec2:us-east-1:${A}:instance/i-0123456789abcdef0`;
  it('ssm-002: SendCommand on a collected instance running as the role', async () => {
    const out = await playground([allow('ssm:SendCommand', instance)], {
      service: 'ec2.amazonaws.com',
      resources: [resource('ec2-instance', instance, { roleArns: [target] })],
      collected: { 'ec2-describe-instances': true },
    });
    expect(escalations(out)).toEqual([`CAN_ESCALATE ${dev} -> ${target} [ssm-002]`]);
    expect(cites(edge(out, 'CAN_ESCALATE', dev, target)).join('\n')).toContain(instance);
  });

  it('ssm-002 near miss: SendCommand on another instance only', async () => {
    const out = await playground([allow('ssm:SendCommand', `arn:aws:ec2:us-east-1:${A}:instance/i-0fff`)], {
      service: 'ec2.amazonaws.com',
      resources: [resource('ec2-instance', instance, { roleArns: [target] })],
      collected: { 'ec2-describe-instances': true },
    });
    expect(escalations(out)).toEqual([]);
  });
});
