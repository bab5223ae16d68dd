// Administrator detection and the guardrails that take permissions back: explicit deny,
// permissions boundaries and SCPs.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
import { describe, expect, it } from 'vitest';
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
} from '../../helpers/aws-environment.js';
import { accountNode, analyzeAws, cites, edge, lines, organization, orgPolicy, withOrg } from './harness.js';

const A = '111111111111';
const MGMT = '333333333333';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER = 'arn:aws:iam::aws:policy/PowerUserAccess';
const FULL = 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess';
const admin = managed(ADMIN, doc(allow('*')));
// PowerUserAccess as AWS publishes it: everything but IAM, Organizations and Account management.
const power = managed(
  POWER,
  doc(
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    allow([
      'account:GetAccountInformation',
      'account:ListRegions',
      'iam:CreateServiceLinkedRole',
      'iam:DeleteServiceLinkedRole',
      'iam:ListRoles',
      'organizations:DescribeOrganization',
    ]),
  ),
);
const administers = (out: Awaited<ReturnType<typeof analyzeAws>>) => lines(out, 'ADMINISTERS');

describe('administrator detection', () => {
  it('AdministratorAccess makes an administrator, citing the managed policy', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { users: [user(A, 'ops', { attachedPolicyArns: [ADMIN] })], managedPolicies: [admin] }),
      ),
    );
    expect(administers(out)).toEqual([`ADMINISTERS ${userArn(A, 'ops')} -> ${accountNode(A)}`]);
    expect(cites(edge(out, 'ADMINISTERS', userArn(A, 'ops'), accountNode(A)))).toContain(
      `identity-policy ${ADMIN} #0`,
    );
  });

  it('PowerUserAccess (NotAction iam:*) is not administrator', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { users: [user(A, 'dev', { attachedPolicyArns: [POWER] })], managedPolicies: [power] }),
      ),
    );
    expect(administers(out)).toEqual([]);
  });

  it('Action * with a Deny on iam:* is not administrator', async () => {
    const out = await analyzeAws(
      environment(account(A, { users: [user(A, 'ops', { policy: doc(allow('*'), deny('iam:*')) })] })),
    );
    expect(administers(out)).toEqual([]);
  });

  it('Action * only with MFA is a conditional administrator naming aws:MultiFactorAuthPresent', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'ops', {
              policy: doc(
                allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }),
              ),
            }),
          ],
        }),
      ),
    );
    expect(administers(out)).toEqual([`ADMINISTERS ${userArn(A, 'ops')} -> ${accountNode(A)} ?`]);
    expect(edge(out, 'ADMINISTERS', userArn(A, 'ops'), accountNode(A))?.properties.conditions).toEqual([
      'aws:MultiFactorAuthPresent',
    ]);
  });

  it('a permissions boundary limiting AdministratorAccess to S3 takes administrator away', async () => {
    const boundary = `arn:aws:iam::${A}:policy/s3-only`;
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'app', trusts({ Service: ['ec2.amazonaws.com'] }), {
              attachedPolicyArns: [ADMIN],
              permissionsBoundaryArn: boundary,
            }),
          ],
          managedPolicies: [admin, managed(boundary, doc(allow('s3:*')))],
        }),
      ),
    );
    expect(administers(out)).toEqual([]);
    // And it cannot escalate past its boundary either (no iam:* inside the boundary).
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });
});

describe('SCPs', () => {
  const fullAccess = {
    policy: orgPolicy(FULL, 'scp', doc(allow('*'))),
    targets: ['r-root', 'ou-workloads', A, MGMT],
  };
  const denyIamExceptBreakGlass = {
    policy: orgPolicy(
      'p-deny-iam',
      'scp',
      doc(
        deny('iam:*', '*', {
          Sid: 'DenyIamExceptBreakGlass',
          Condition: { ArnNotLike: { 'aws:PrincipalARN': [`arn:aws:iam::*:role/break-glass`] } },
        }),
      ),
    ),
    targets: ['ou-workloads'],
  };

  function accountWithAdmins(id: string) {
    return account(id, {
      roles: [
        role(id, 'break-glass', trusts({ AWS: [`arn:aws:iam::${id}:root`] }), {
          attachedPolicyArns: [ADMIN],
        }),
        role(id, 'platform', trusts({ AWS: [`arn:aws:iam::${id}:root`] }), { attachedPolicyArns: [ADMIN] }),
      ],
      managedPolicies: [admin],
    });
  }

  it('deny iam:* except the break-glass role (ArnNotLike aws:PrincipalARN): only break-glass administers', async () => {
    const out = await analyzeAws(
      withOrg(
        environment(accountWithAdmins(A)),
        organization(MGMT, [A], { serviceControlPolicies: [fullAccess, denyIamExceptBreakGlass] }),
      ),
    );
    expect(administers(out)).toEqual([`ADMINISTERS ${roleArn(A, 'break-glass')} -> ${accountNode(A)}`]);
  });

  it('allow-list SCPs (FullAWSAccess removed from the OU): an S3-only allow list means no administrator', async () => {
    const s3Only = { policy: orgPolicy('p-s3-only', 'scp', doc(allow('s3:*'))), targets: ['ou-workloads'] };
    const rootFull = { policy: orgPolicy(FULL, 'scp', doc(allow('*'))), targets: ['r-root', A] };
    const out = await analyzeAws(
      withOrg(
        environment(accountWithAdmins(A)),
        organization(MGMT, [A], { serviceControlPolicies: [rootFull, s3Only] }),
      ),
    );
    expect(administers(out)).toEqual([]);
  });

  it('the management account is not restricted by SCPs, even one attached to the root', async () => {
    const denyAllIam = {
      policy: orgPolicy('p-deny-all-iam', 'scp', doc(deny('iam:*'))),
      targets: ['r-root'],
    };
    const out = await analyzeAws(
      withOrg(
        environment(accountWithAdmins(MGMT)),
        organization(MGMT, [A], { serviceControlPolicies: [fullAccess, denyAllIam] }),
      ),
    );
    expect(administers(out)).toEqual(
      [
        `ADMINISTERS ${roleArn(MGMT, 'break-glass')} -> ${accountNode(MGMT)}`,
        `ADMINISTERS ${roleArn(MGMT, 'platform')} -> ${accountNode(MGMT)}`,
      ].sort(),
    );
  });
});
