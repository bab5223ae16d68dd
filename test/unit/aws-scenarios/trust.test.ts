// Role trust scenarios from the IAM User Guide: who may call sts:AssumeRole on a role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html
import { describe, expect, it } from 'vitest';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws, cites, edge, lines, organization, rootArn, withOrg } from './harness.js';

const A = '111111111111';
const B = '222222222222';
const MGMT = '333333333333';
const EXT = '999999999999';

describe('trust policy principals', () => {
  it('a role ARN of the same account is admitted without any identity permission; others are not', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'ci', trusts({ Service: ['codebuild.amazonaws.com'] })),
            role(A, 'other', trusts({ Service: ['codebuild.amazonaws.com'] }), {
              policy: doc(allow('sts:AssumeRole', roleArn(A, 'deploy'))),
            }),
            role(A, 'deploy', trusts({ AWS: [roleArn(A, 'ci')] })),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual([`CAN_ASSUME ${roleArn(A, 'ci')} -> ${roleArn(A, 'deploy')}`]);
    expect(cites(edge(out, 'CAN_ASSUME', roleArn(A, 'ci'), roleArn(A, 'deploy')))).toEqual([
      `trust-policy ${roleArn(A, 'deploy')}#trust #0`,
    ]);
  });

  it('the account root delegates to identity policies: only the principal allowed sts:AssumeRole gets an edge', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'ops', {
              policy: doc({ ...allow('sts:AssumeRole', roleArn(A, 'admin')), Sid: 'AssumeAdmin' }),
            }),
            user(A, 'dev'),
          ],
          roles: [role(A, 'admin', trusts({ AWS: [rootArn(A)] }))],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual(
      [
        `CAN_ASSUME ${rootArn(A)} -> ${roleArn(A, 'admin')}`,
        `CAN_ASSUME ${userArn(A, 'ops')} -> ${roleArn(A, 'admin')}`,
      ].sort(),
    );
    expect(cites(edge(out, 'CAN_ASSUME', userArn(A, 'ops'), roleArn(A, 'admin')))).toEqual([
      `identity-policy ${userArn(A, 'ops')}#inline/inline AssumeAdmin`,
      `trust-policy ${roleArn(A, 'admin')}#trust #0`,
    ]);
  });

  it('Principal "*" narrowed by aws:PrincipalArn admits exactly that role, decided offline (no Public edge)', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'runner', trusts({ Service: ['ec2.amazonaws.com'] })),
            role(A, 'stranger', trusts({ Service: ['ec2.amazonaws.com'] }), {
              policy: doc(allow('sts:AssumeRole')),
            }),
            role(
              A,
              'target',
              trusts('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': [roleArn(A, 'runner')] } } }),
            ),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual([
      `CAN_ASSUME ${roleArn(A, 'runner')} -> ${roleArn(A, 'target')}`,
    ]);
  });

  it('Principal "*" narrowed by aws:PrincipalOrgID: org members with sts:AssumeRole get an edge, outsiders do not', async () => {
    const env = withOrg(
      environment(
        account(A, {
          roles: [
            role(
              A,
              'shared',
              trusts('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-exampleorgid'] } } }),
            ),
          ],
        }),
        account(B, {
          users: [user(B, 'builder', { policy: doc(allow('sts:AssumeRole', roleArn(A, 'shared'))) })],
        }),
        account(EXT, {
          users: [user(EXT, 'intruder', { policy: doc(allow('sts:AssumeRole', '*')) })],
        }),
      ),
      organization(MGMT, [A, B]),
    );
    const out = await analyzeAws(env);
    expect(lines(out, 'CAN_ASSUME')).toEqual([
      `CAN_ASSUME ${userArn(B, 'builder')} -> ${roleArn(A, 'shared')}`,
    ]);
  });

  it('cross-account: the trust naming the other account needs the caller’s identity grant there', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { roles: [role(A, 'audit', trusts({ AWS: [B] }))] }),
        account(B, {
          users: [
            user(B, 'auditor', { policy: doc(allow('sts:AssumeRole', roleArn(A, 'audit'))) }),
            user(B, 'intern'),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual(
      [
        `CAN_ASSUME ${rootArn(B)} -> ${roleArn(A, 'audit')}`,
        `CAN_ASSUME ${userArn(B, 'auditor')} -> ${roleArn(A, 'audit')}`,
      ].sort(),
    );
  });

  it('cross-account: a trust naming the user itself still needs its identity grant (both sides)', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { roles: [role(A, 'audit', trusts({ AWS: [userArn(B, 'intern')] }))] }),
        account(B, { users: [user(B, 'intern')] }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual([]);
  });

  it('cross-account with sts:ExternalId: the edge is conditional and names the key', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(
              A,
              'vendor',
              trusts(
                { AWS: [rootArn(EXT)] },
                { Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t-123'] } } },
              ),
            ),
          ],
        }),
      ),
    );
    // An account that was not collected is an ExternalPrincipal node.
    expect(lines(out, 'CAN_ASSUME')).toEqual([
      `CAN_ASSUME external:${rootArn(EXT)} -> ${roleArn(A, 'vendor')} ?`,
    ]);
    const e = edge(out, 'CAN_ASSUME', `external:${rootArn(EXT)}`, roleArn(A, 'vendor'));
    expect(e?.properties.conditions).toEqual(['sts:ExternalId']);
  });

  it('a Deny with NotPrincipal (role and its account) in the trust leaves only that role', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'ops', { policy: doc(allow('sts:AssumeRole')) })],
          roles: [
            role(A, 'breakglass', trusts({ Service: ['ec2.amazonaws.com'] }), {
              policy: doc(allow('sts:AssumeRole')),
            }),
            role(
              A,
              'vault',
              doc(
                { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: [rootArn(A)] } },
                {
                  Sid: 'OnlyBreakGlass',
                  Effect: 'Deny',
                  Action: 'sts:AssumeRole',
                  NotPrincipal: { AWS: [roleArn(A, 'breakglass'), rootArn(A)] },
                },
              ),
            ),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME').filter((l) => l.includes('vault'))).toEqual([
      `CAN_ASSUME ${roleArn(A, 'breakglass')} -> ${roleArn(A, 'vault')}`,
      `CAN_ASSUME ${rootArn(A)} -> ${roleArn(A, 'vault')}`,
    ]);
  });

  it('a trust naming a deleted principal (its unique id AROA…) admits nobody, even a role recreated with the same name', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'ci', trusts({ Service: ['codebuild.amazonaws.com'] }), {
              uniqueId: 'AROANEWROLEID0000001',
              policy: doc(allow('sts:AssumeRole')),
            }),
            role(A, 'deploy', trusts({ AWS: ['AROAOLDROLEID000001'] })),
          ],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual([]);
  });

  it('an explicit Deny on sts:AssumeRole in the caller’s identity policy removes a same-account trust grant', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'ci', { policy: doc(deny('sts:AssumeRole')) })],
          roles: [role(A, 'deploy', trusts({ AWS: [userArn(A, 'ci')] }))],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME')).toEqual([]);
  });
});
