// Tags the attacker can change are a step of an escalation: conditions on aws:PrincipalTag and
// aws:ResourceTag (iam:ResourceTag, ec2:ResourceTag) hold once the principal may set the tag.
// Policies after AWS's ABAC examples:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_attribute-based-access-control.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html
import { describe, expect, it } from 'vitest';
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
} from '../../helpers/aws-environment.js';
import { accountNode, analyzeAws, cites, edge, lines, rootArn } from './harness.js';

const A = '111111111111';
const TEAM_ADMINS = { StringEquals: { 'aws:PrincipalTag/team': ['admins'] } };

describe('changing its own tags (aws:PrincipalTag)', () => {
  it('a grant of everything conditioned on team=admins is an escalation for a user that may tag itself', async () => {
    const dev = user(A, 'dev', {
      tags: { team: 'web' },
      policy: doc(allow('iam:TagUser', userArn(A, 'dev')), allow('*', '*', { Condition: TEAM_ADMINS })),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev] })));
    expect(lines(out, 'CAN_ESCALATE')).toEqual([
      `CAN_ESCALATE ${userArn(A, 'dev')} -> ${accountNode(A)} [change-tags-then-act]`,
    ]);
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'dev'), accountNode(A));
    expect(e?.evidence[0]?.reason).toContain('sets tag team=admins on itself, then is administrator');
    // The tag step and the conditioned statement are both cited.
    expect(e?.evidence.map((x) => x.reason).join('\n')).toContain(
      'iam:TagUser on itself (sets tag team=admins)',
    );
    expect(cites(e)).toContain(`identity-policy ${userArn(A, 'dev')}#inline/inline #1`);
  });

  it('without iam:TagUser on itself the conditioned grant stays out of reach', async () => {
    const dev = user(A, 'dev', {
      tags: { team: 'web' },
      policy: doc(
        allow('iam:TagUser', userArn(A, 'someone-else')),
        allow('*', '*', { Condition: TEAM_ADMINS }),
      ),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev] })));
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('a tag policy that forbids the value (aws:RequestTag) closes the step', async () => {
    const dev = user(A, 'dev', {
      policy: doc(
        allow('iam:TagUser', userArn(A, 'dev'), {
          Condition: { StringNotEquals: { 'aws:RequestTag/team': ['admins'] } },
        }),
        allow('*', '*', { Condition: TEAM_ADMINS }),
      ),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev] })));
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('a role trusting the account for principals tagged team=admins is reachable after tagging', async () => {
    const ops = role(
      A,
      'ops',
      trusts({ AWS: [rootArn(A)] }, { Condition: { StringEquals: { 'aws:PrincipalTag/team': ['admins'] } } }),
    );
    const dev = user(A, 'dev', {
      policy: doc(allow('iam:TagUser', userArn(A, 'dev')), allow('sts:AssumeRole', ops.arn)),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev], roles: [ops] })));
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'dev'), roleArn(A, 'ops'))).toBeUndefined();
    expect(lines(out, 'CAN_ESCALATE')).toEqual([
      `CAN_ESCALATE ${userArn(A, 'dev')} -> ${roleArn(A, 'ops')} [change-tags-then-act]`,
    ]);
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'dev'), roleArn(A, 'ops'));
    expect(cites(e)).toContain(`trust-policy ${roleArn(A, 'ops')}#trust #0`);
  });

  it('removing a tag that a Deny keys on (iam:UntagUser) escapes the Deny', async () => {
    const dev = user(A, 'dev', {
      tags: { quarantine: 'true' },
      policy: doc(
        allow('iam:UntagUser', userArn(A, 'dev')),
        allow('*', '*'),
        deny('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/quarantine': ['true'] } } }),
      ),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev] })));
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'dev'), accountNode(A));
    expect(e?.properties.technique).toBe('change-tags-then-act');
    expect(e?.evidence[0]?.reason).toContain('removes tag quarantine on itself');
  });
});

describe('changing a resource’s tags (aws:ResourceTag, iam:ResourceTag, ec2:ResourceTag)', () => {
  // ABAC: a principal may assume roles whose team tag equals its own.
  const abac = allow('sts:AssumeRole', `arn:aws:iam::${A}:role/*`, {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
    Condition: { StringEquals: { 'iam:ResourceTag/team': ['${aws:PrincipalTag/team}'] } },
  });

  it('a user that may tag a role with its own team can assume it', async () => {
    const target = role(A, 'payments', trusts({ AWS: [rootArn(A)] }), { tags: { team: 'payments' } });
    const dev = user(A, 'dev', {
      tags: { team: 'web' },
      policy: doc(abac, allow('iam:TagRole', target.arn)),
    });
    const out = await analyzeAws(environment(account(A, { users: [dev], roles: [target] })));
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'dev'), target.arn)).toBeUndefined();
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'dev'), target.arn);
    expect(e?.properties.technique).toBe('change-tags-then-act');
    expect(e?.evidence[0]?.reason).toContain('sets tag team=web on role payments, then assumes it');
  });

  it('without iam:TagRole on the role there is no edge', async () => {
    const target = role(A, 'payments', trusts({ AWS: [rootArn(A)] }), { tags: { team: 'payments' } });
    const dev = user(A, 'dev', { tags: { team: 'web' }, policy: doc(abac) });
    const out = await analyzeAws(environment(account(A, { users: [dev], roles: [target] })));
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('ssm:StartSession conditioned on ssm:resourceTag reaches an instance once ec2:CreateTags may set the tag', async () => {
    const web = role(A, 'web', trusts({ Service: ['ec2.amazonaws.com'] }));
    const instance = resource('ec2-instance', `arn:aws:ec2:eu-west-1:${A}:instance/i-0123456789abcdef0`, {
      roleArns: [web.arn],
      tags: { env: 'prod' },
    });
    const policy = (create: boolean) =>
      doc(
        allow('ssm:StartSession', `arn:aws:ec2:*:${A}:instance/*`, {
          Condition: { StringEquals: { 'ssm:resourceTag/env': ['dev'] } },
        }),
        ...(create ? [allow('ec2:CreateTags', `arn:aws:ec2:*:${A}:instance/*`)] : []),
      );
    const env = (create: boolean) =>
      environment(
        account(A, {
          users: [user(A, 'dev', { policy: policy(create) })],
          roles: [web],
          resources: [instance],
          collected: { 'iam-get-account-authorization-details': true, 'ec2-describe-instances': true },
        }),
      );
    const out = await analyzeAws(env(true));
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'dev'), web.arn);
    expect(e?.properties.technique).toBe('change-tags-then-act');
    expect(e?.evidence[0]?.reason).toContain('sets tag env=dev on ec2-instance');
    expect(e?.evidence[0]?.reason).toContain('ssm-001');
    // Without the tag step the instance's collected tags decide `ssm:resourceTag/env`: it has no
    // env=dev, so there is no session and no edge.
    expect(lines(await analyzeAws(env(false)), 'CAN_ESCALATE')).toEqual([]);
  });
});
