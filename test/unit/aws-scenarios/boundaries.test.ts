// Permissions boundaries against resource-policy grants within one account, and SCPs against them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (resource-based policies)
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
import { describe, expect, it } from 'vitest';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  managed,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws, lines, organization, orgPolicy, withOrg } from './harness.js';

const A = '111111111111';
const MGMT = '333333333333';
const SECRET = `arn:aws:secretsmanager:us-east-1:${A}:secret:db-AbCdEf`;
const BOUNDARY = `arn:aws:iam::${A}:policy/s3-only`;
const fenced = managed(BOUNDARY, doc(allow('s3:*')));

const secretPolicy = (principal: string) =>
  resource('secret', SECRET, {
    policy: doc({
      Effect: 'Allow',
      Principal: { AWS: [principal] },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    }),
  });
const access = (out: Awaited<ReturnType<typeof analyzeAws>>) =>
  lines(out, 'CAN_ACCESS').filter((l) => l.includes(SECRET));

describe('boundaries and resource policies in one account', () => {
  it('a resource policy naming the IAM user grants past the user’s boundary', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'svc', { permissionsBoundaryArn: BOUNDARY })],
          managedPolicies: [fenced],
          resources: [secretPolicy(userArn(A, 'svc'))],
        }),
      ),
    );
    expect(access(out)).toEqual([`CAN_ACCESS ${userArn(A, 'svc')} -> ${SECRET}`]);
  });

  it('a resource policy naming the role ARN is still limited by the role’s boundary', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'app', trusts({ Service: ['ecs-tasks.amazonaws.com'] }), {
              permissionsBoundaryArn: BOUNDARY,
            }),
          ],
          managedPolicies: [fenced],
          resources: [secretPolicy(roleArn(A, 'app'))],
        }),
      ),
    );
    expect(access(out)).toEqual([]);
  });

  it('a trust naming the account root: a caller whose boundary leaves out sts:AssumeRole gets no edge', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'dev', { policy: doc(allow('sts:AssumeRole')), permissionsBoundaryArn: BOUNDARY })],
          roles: [role(A, 'admin', trusts({ AWS: [`arn:aws:iam::${A}:root`] }))],
          managedPolicies: [fenced],
        }),
      ),
    );
    expect(lines(out, 'CAN_ASSUME').filter((l) => l.includes(':user/'))).toEqual([]);
  });
});

describe('SCPs and resource policies', () => {
  const full = {
    policy: orgPolicy('p-FullAWSAccess', 'scp', doc(allow('*'))),
    targets: ['r-root', 'ou-workloads', A],
  };
  const denySecrets = {
    policy: orgPolicy('p-no-secrets', 'scp', doc(deny('secretsmanager:*'))),
    targets: ['ou-workloads'],
  };

  it('a same-account resource policy grant does not bypass an SCP deny', async () => {
    const out = await analyzeAws(
      withOrg(
        environment(account(A, { users: [user(A, 'svc')], resources: [secretPolicy(userArn(A, 'svc'))] })),
        organization(MGMT, [A], { serviceControlPolicies: [full, denySecrets] }),
      ),
    );
    expect(access(out)).toEqual([]);
  });

  it('service-linked roles are not restricted by SCPs', async () => {
    const slr = role(A, 'AWSServiceRoleForRDS', trusts({ Service: ['rds.amazonaws.com'] }), {
      path: '/aws-service-role/rds.amazonaws.com/',
      serviceLinked: true,
      policy: doc(allow('secretsmanager:GetSecretValue', SECRET)),
    });
    const out = await analyzeAws(
      withOrg(
        environment(account(A, { roles: [slr], resources: [resource('secret', SECRET)] })),
        organization(MGMT, [A], { serviceControlPolicies: [full, denySecrets] }),
      ),
    );
    expect(access(out).map((l) => l.split(' ')[1])).toEqual([slr.arn]);
  });
});
