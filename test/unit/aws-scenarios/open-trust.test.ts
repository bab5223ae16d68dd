// Roles trusting any AWS principal (`{"AWS": "*"}`): callers are related once to a shared Public
// node per account and trust policy, not to each role, and still reach exactly the roles AWS would
// let them assume.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
import { describe, expect, it } from 'vitest';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { MemoryPathQueries } from '../../../src/answers/questions.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
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
import { analyzeAws, edge, lines, organization, withOrg } from './harness.js';

const A = '111111111111';
const B = '222222222222';
const EXT = '999999999999';
const MGMT = '333333333333';

/** `count` roles of account A with one trust policy; role i may read bucket data-i. */
function openRoles(count: number, trust = trusts({ AWS: ['*'] })) {
  return Array.from({ length: count }, (_, i) =>
    role(A, `open-${i}`, trust, { policy: doc(allow('s3:GetObject', `arn:aws:s3:::data-${i}/*`)) }),
  );
}

const hubOf = (analysis: Awaited<ReturnType<typeof analyzeAws>>) => {
  const hubs = analysis.nodes.filter((n) => n.id.startsWith('public:aws:open-trust:'));
  expect(hubs).toHaveLength(1);
  return (hubs[0] as { id: string }).id;
};

describe('roles that trust anyone share one Public node', () => {
  it('same account: a caller without any policy is admitted by the trust alone, through the shared node', async () => {
    const out = await analyzeAws(
      environment(account(A, { roles: openRoles(3), users: [user(A, 'intern')] })),
    );
    const hub = hubOf(out);
    expect(hub).toMatch(/^public:aws:open-trust:111111111111:[0-9a-f]{12}$/);
    const assumes = lines(out, 'CAN_ASSUME');
    expect(assumes).toContain(`CAN_ASSUME ${userArn(A, 'intern')} -> ${hub}`);
    for (let i = 0; i < 3; i++) {
      expect(assumes).toContain(`CAN_ASSUME ${hub} -> ${roleArn(A, `open-${i}`)}`);
      // Anyone outside still has its own edge and finding per role.
      expect(assumes).toContain(`CAN_ASSUME public:aws -> ${roleArn(A, `open-${i}`)}`);
      expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, `open-${i}`))).toBeUndefined();
    }
    // 4 callers (the user and the three roles) + 3 roles behind the node + 3 from outside: not 4 × 3.
    expect(assumes).toHaveLength(10);
    const into = edge(out, 'CAN_ASSUME', userArn(A, 'intern'), hub);
    expect(into?.evidence[0]).toMatchObject({ source: 'trust-policy' });
    expect(into?.evidence[0]?.reason).toContain('each of the 3 roles of account 111111111111');
  });

  it('another account: only callers whose own policy allows sts:AssumeRole on the roles get in', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { roles: openRoles(3) }),
        account(B, {
          users: [
            user(B, 'allowed', { policy: doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/*`)) }),
            user(B, 'no-permission'),
            user(B, 'one-role', { policy: doc(allow('sts:AssumeRole', roleArn(A, 'open-1'))) }),
            user(B, 'all-but-one', {
              policy: doc(allow('sts:AssumeRole'), deny('sts:AssumeRole', roleArn(A, 'open-2'))),
            }),
          ],
        }),
      ),
    );
    const hub = hubOf(out);
    const from = (name: string) =>
      lines(out, 'CAN_ASSUME').filter((l) => l.startsWith(`CAN_ASSUME ${userArn(B, name)} `));
    expect(from('allowed')).toEqual([`CAN_ASSUME ${userArn(B, 'allowed')} -> ${hub}`]);
    expect(from('no-permission')).toEqual([]);
    // Callers whose policies tell the roles apart are decided role by role.
    expect(from('one-role')).toEqual([`CAN_ASSUME ${userArn(B, 'one-role')} -> ${roleArn(A, 'open-1')}`]);
    expect(from('all-but-one')).toEqual([
      `CAN_ASSUME ${userArn(B, 'all-but-one')} -> ${roleArn(A, 'open-0')}`,
      `CAN_ASSUME ${userArn(B, 'all-but-one')} -> ${roleArn(A, 'open-1')}`,
    ]);
  });

  it('aws:PrincipalOrgID and aws:PrincipalAccount on the trust are decided per caller', async () => {
    const byOrg = trusts(
      { AWS: ['*'] },
      { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-exampleorgid'] } } },
    );
    const env = withOrg(
      environment(
        account(A, { roles: openRoles(2, byOrg) }),
        account(B, { users: [user(B, 'member', { policy: doc(allow('sts:AssumeRole')) })] }),
        account(EXT, { users: [user(EXT, 'outsider', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
      organization(MGMT, [A, B]),
    );
    const out = await analyzeAws(env);
    const hub = hubOf(out);
    expect(edge(out, 'CAN_ASSUME', userArn(B, 'member'), hub)?.properties.conditional).toBeUndefined();
    expect(edge(out, 'CAN_ASSUME', userArn(EXT, 'outsider'), hub)).toBeUndefined();

    const byAccount = trusts(
      { AWS: ['*'] },
      { Condition: { StringEquals: { 'aws:PrincipalAccount': [B] } } },
    );
    const out2 = await analyzeAws(
      environment(
        account(A, { roles: openRoles(2, byAccount), users: [user(A, 'local')] }),
        account(B, { users: [user(B, 'partner', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
    );
    const hub2 = hubOf(out2);
    expect(edge(out2, 'CAN_ASSUME', userArn(B, 'partner'), hub2)).toBeDefined();
    expect(edge(out2, 'CAN_ASSUME', userArn(A, 'local'), hub2)).toBeUndefined();
  });

  it('an sts:ExternalId condition leaves the caller’s edge into the node conditional on it', async () => {
    const withId = trusts({ AWS: ['*'] }, { Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } } });
    const out = await analyzeAws(
      environment(
        account(A, { roles: openRoles(2, withId) }),
        account(B, { users: [user(B, 'vendor', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
    );
    const into = edge(out, 'CAN_ASSUME', userArn(B, 'vendor'), hubOf(out));
    expect(into?.properties).toMatchObject({ conditional: true, conditions: ['sts:ExternalId'] });
  });

  it('a single open role, or roles with different trusts, keep direct edges', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            role(A, 'alone', trusts({ AWS: ['*'] })),
            role(
              A,
              'other',
              trusts({ AWS: ['*'] }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } }),
            ),
          ],
          users: [user(A, 'intern')],
        }),
      ),
    );
    expect(out.nodes.filter((n) => n.id.startsWith('public:aws:open-trust:'))).toEqual([]);
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, 'alone'))).toBeDefined();
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, 'other'))?.properties.conditional).toBe(
      true,
    );
  });
});

describe('routes through the shared node', () => {
  function answers(env: AwsEnvironment, analysis: Awaited<ReturnType<typeof analyzeAws>>) {
    const inventory = buildAwsInventory(env, analysis, { sourceName: 'test' });
    return new MemoryPathQueries(MemoryGraph.fromInventory(validateInventory(inventory, 'open-trust test')));
  }

  it('a caller allowed sts:AssumeRole reaches each role’s data through it; one without the permission reaches none', async () => {
    const env = environment(
      account(A, {
        roles: openRoles(3),
        resources: [0, 1, 2].map((i) => resource('s3-bucket', `arn:aws:s3:::data-${i}`)),
      }),
      account(B, {
        users: [
          user(B, 'allowed', {
            policy: doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/*`)),
            tags: { 'nhi-type': 'bot' },
          }),
          user(B, 'no-permission', { tags: { 'nhi-type': 'bot' } }),
        ],
      }),
    );
    const out = await analyzeAws(env);
    const queries = answers(env, out);
    const reached = await queries.reach({ from: userArn(B, 'allowed'), to: 'type=AwsS3Bucket' });
    expect(reached.map((a) => [a.resource, a.hops]).sort()).toEqual([
      ['arn:aws:s3:::data-0', 2],
      ['arn:aws:s3:::data-1', 2],
      ['arn:aws:s3:::data-2', 2],
    ]);
    expect(await queries.reach({ from: userArn(B, 'no-permission'), to: 'type=AwsS3Bucket' })).toEqual([]);
  });
});
