// Roles whose trust admits a class of AWS principals (an account's root, `"AWS": "<account>"`, or
// `*`): callers deciding alike for a group of such roles are related once to a Grant hub per
// decision, the hub once to each role, and the pairs they stand for are exactly those AWS allows.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
import { describe, expect, it } from 'vitest';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { MemoryPathQueries } from '../../../src/answers/questions.js';
import type { AwsEnvironment, AwsRoleData } from '../../../src/model/aws/environment.js';
import type { PolicyDocument } from '../../../src/model/aws/policy.js';
import { expandGrants, isGrantNode } from '../../../src/model/grants.js';
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
import { type AwsAnalysis, analyzeAws, edge, lines, organization, withOrg } from './harness.js';

const A = '111111111111';
const B = '222222222222';
const EXT = '999999999999';
const MGMT = '333333333333';

/** `count` roles of account A with one trust policy; role i may read bucket data-i. */
function classRoles(
  count: number,
  trust: PolicyDocument = trusts({ AWS: ['*'] }),
  extra: Partial<AwsRoleData> = {},
) {
  return Array.from({ length: count }, (_, i) =>
    role(A, `open-${i}`, trust, { policy: doc(allow('s3:GetObject', `arn:aws:s3:::data-${i}/*`)), ...extra }),
  );
}

const hubsOf = (analysis: AwsAnalysis) => analysis.nodes.filter(isGrantNode).map((n) => n.id);
/** The one hub into all of the group's roles (its own roles join hubs of ranges of the others). */
const onlyHub = (analysis: AwsAnalysis) => {
  const grants = analysis.nodes.filter(isGrantNode);
  const most = Math.max(...grants.map((n) => n.properties.targets as number));
  const hubs = grants.filter((n) => n.properties.targets === most);
  expect(hubs).toHaveLength(1);
  return (hubs[0] as { id: string }).id;
};
/** The CAN_ASSUME pairs after expanding hubs, as `caller -> role` (conditional ones marked `?`). */
function pairs(analysis: AwsAnalysis, from: string): string[] {
  const expanded = expandGrants({ nodes: analysis.nodes, relationships: analysis.edges });
  return expanded.relationships
    .filter((r) => r.type === 'CAN_ASSUME' && r.from === from)
    .map((r) => `${r.to}${r.properties?.conditional ? ' ?' : ''}`)
    .sort();
}
const roles = (...i: number[]) => i.map((n) => roleArn(A, `open-${n}`));

describe('roles that trust anyone share Grant hubs', () => {
  it('same account: a caller without any policy is admitted by the trust alone, through the hub', async () => {
    const out = await analyzeAws(
      environment(account(A, { roles: classRoles(3), users: [user(A, 'intern')] })),
    );
    const hub = onlyHub(out);
    expect(hub).toMatch(/^grant:aws:111111111111:assume-roles:[0-9a-f]{16}$/);
    const assumes = lines(out, 'CAN_ASSUME');
    expect(assumes).toContain(`CAN_ASSUME ${userArn(A, 'intern')} -> ${hub}`);
    for (let i = 0; i < 3; i++) {
      expect(assumes).toContain(`CAN_ASSUME ${hub} -> ${roleArn(A, `open-${i}`)}`);
      // Anyone outside still has its own edge and finding per role.
      expect(assumes).toContain(`CAN_ASSUME public:aws -> ${roleArn(A, `open-${i}`)}`);
      expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, `open-${i}`))).toBeUndefined();
    }
    // Each role of the group reaches the others (never itself) through hubs of ranges of them.
    for (let i = 0; i < 3; i++)
      expect(pairs(out, roleArn(A, `open-${i}`))).toEqual(roles(0, 1, 2).filter((_, j) => j !== i));
    expect(assumes.filter((l) => !l.includes('grant:') && !l.includes('public:aws'))).toEqual([]);
    const into = edge(out, 'CAN_ASSUME', userArn(A, 'intern'), hub);
    expect(into?.evidence[0]?.reason).toContain('needs no policy of its own');
    expect(pairs(out, userArn(A, 'intern'))).toEqual(roles(0, 1, 2));
  });

  it('another account: only callers whose own policy allows sts:AssumeRole on the roles get in', async () => {
    const out = await analyzeAws(
      environment(
        account(A, { roles: classRoles(3) }),
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
    const hub = onlyHub(out);
    const from = (name: string) =>
      lines(out, 'CAN_ASSUME').filter((l) => l.startsWith(`CAN_ASSUME ${userArn(B, name)} `));
    expect(from('allowed')).toEqual([`CAN_ASSUME ${userArn(B, 'allowed')} -> ${hub}`]);
    expect(from('no-permission')).toEqual([]);
    // Callers whose policies tell the roles apart are decided role by role.
    expect(from('one-role')).toEqual([`CAN_ASSUME ${userArn(B, 'one-role')} -> ${roleArn(A, 'open-1')}`]);
    expect(pairs(out, userArn(B, 'all-but-one'))).toEqual(roles(0, 1));
    expect(from('all-but-one').some((l) => l.includes('grant:'))).toBe(false);
  });

  it('aws:PrincipalOrgID and aws:PrincipalAccount on the trust are decided per caller', async () => {
    const byOrg = trusts(
      { AWS: ['*'] },
      { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-exampleorgid'] } } },
    );
    const env = withOrg(
      environment(
        account(A, { roles: classRoles(2, byOrg) }),
        account(B, { users: [user(B, 'member', { policy: doc(allow('sts:AssumeRole')) })] }),
        account(EXT, { users: [user(EXT, 'outsider', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
      organization(MGMT, [A, B]),
    );
    const out = await analyzeAws(env);
    const hub = onlyHub(out);
    expect(edge(out, 'CAN_ASSUME', userArn(B, 'member'), hub)?.properties.conditional).toBeUndefined();
    expect(pairs(out, userArn(EXT, 'outsider'))).toEqual([]);

    const byAccount = trusts(
      { AWS: ['*'] },
      { Condition: { StringEquals: { 'aws:PrincipalAccount': [B] } } },
    );
    const out2 = await analyzeAws(
      environment(
        account(A, { roles: classRoles(2, byAccount), users: [user(A, 'local')] }),
        account(B, { users: [user(B, 'partner', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
    );
    expect(pairs(out2, userArn(B, 'partner'))).toEqual(roles(0, 1));
    expect(pairs(out2, userArn(A, 'local'))).toEqual([]);
  });

  it('an sts:ExternalId condition makes every pair conditional on it, through the target legs', async () => {
    const withId = trusts({ AWS: ['*'] }, { Condition: { StringEquals: { 'sts:ExternalId': ['s3cr3t'] } } });
    const out = await analyzeAws(
      environment(
        account(A, { roles: classRoles(2, withId) }),
        account(B, { users: [user(B, 'vendor', { policy: doc(allow('sts:AssumeRole')) })] }),
      ),
    );
    const into = edge(out, 'CAN_ASSUME', userArn(B, 'vendor'), onlyHub(out));
    expect(into?.properties).toMatchObject({ conditional: true, conditions: ['sts:ExternalId'] });
    expect(pairs(out, userArn(B, 'vendor'))).toEqual(roles(0, 1).map((r) => `${r} ?`));
  });
});

describe('roles that trust their account root share Grant hubs', () => {
  const root = trusts({ AWS: [`arn:aws:iam::${A}:root`] });

  it('callers allowed sts:AssumeRole on * share one hub; callers without the permission get nothing', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: classRoles(4, root),
          users: [
            user(A, 'admin', { policy: doc(allow('*')) }),
            user(A, 'ops', { policy: doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/open-*`)) }),
            user(A, 'reader'),
          ],
        }),
      ),
    );
    const hub = onlyHub(out);
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'admin'), hub)).toBeDefined();
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'ops'), hub)).toBeDefined();
    expect(pairs(out, userArn(A, 'reader'))).toEqual([]);
    // The account root (AwsAccountRoot) keeps its own edge per role.
    expect(edge(out, 'CAN_ASSUME', `arn:aws:iam::${A}:root`, roleArn(A, 'open-0'))).toBeDefined();
    // The trust side says whom it admits by class, never naming a caller.
    const leg = edge(out, 'CAN_ASSUME', hub, roleArn(A, 'open-2'));
    expect(leg?.evidence).toEqual([
      expect.objectContaining({
        source: 'trust-policy',
        ref: `${roleArn(A, 'open-2')}#trust`,
        reason: `trust policy of role open-2 (statement #0) admits principals of account ${A} that their own policies allow`,
      }),
    ]);
    // The caller side never names a role.
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'ops'), hub)?.evidence[0]?.reason).toBe(
      'inline (statement #0) allows sts:AssumeRole',
    );
  });

  it('a root trust with an MFA condition: a conditional hub, apart from the same roles without it', async () => {
    const mfa = trusts(
      { AWS: [`arn:aws:iam::${A}:root`] },
      { Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } } },
    );
    const env = environment(
      account(A, {
        roles: [...classRoles(2, mfa), role(A, 'plain-0', root), role(A, 'plain-1', root)],
        users: [user(A, 'dev', { policy: doc(allow('sts:AssumeRole')) })],
      }),
    );
    const out = await analyzeAws(env);
    expect(hubsOf(out).length).toBeGreaterThanOrEqual(2);
    expect(pairs(out, userArn(A, 'dev'))).toEqual(
      [...roles(0, 1).map((r) => `${r} ?`), roleArn(A, 'plain-0'), roleArn(A, 'plain-1')].sort(),
    );
    const expanded = expandGrants({ nodes: out.nodes, relationships: out.edges });
    const mfaPair = expanded.relationships.find(
      (r) => r.from === userArn(A, 'dev') && r.to === roleArn(A, 'open-0'),
    );
    expect(mfaPair?.properties).toMatchObject({
      conditional: true,
      conditions: ['aws:MultiFactorAuthPresent'],
    });
    // As loaded, per pair and through the hub alike: the caller's side and the trust's are both required.
    for (const grantHubs of [false, true]) {
      const analysis = await analyzeAws(env, { grantHubs });
      const loaded = validateInventory(
        expandGrants(buildAwsInventory(env, analysis, { sourceName: 'test' })),
        'mfa',
      );
      const pair = loaded.relationships.find(
        (r) => r.from === userArn(A, 'dev') && r.to === roleArn(A, 'open-0'),
      );
      expect(pair?.properties, `grantHubs ${grantHubs}`).toMatchObject({ conditional: true });
    }
  });

  it('a Deny naming one role, a Resource naming one role, ResourceTag conditions: decided role by role', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [
            ...classRoles(3, root),
            role(A, 'tagged-0', root, { tags: { team: 'a' } }),
            role(A, 'tagged-1', root, { tags: { team: 'b' } }),
          ],
          users: [
            user(A, 'deny-one', {
              policy: doc(allow('sts:AssumeRole'), deny('sts:AssumeRole', roleArn(A, 'open-1'))),
            }),
            user(A, 'named-one', { policy: doc(allow('sts:AssumeRole', roleArn(A, 'open-2'))) }),
            user(A, 'by-tag', {
              policy: doc(
                allow('sts:AssumeRole', '*', {
                  Condition: { StringEquals: { 'aws:ResourceTag/team': ['a'] } },
                }),
              ),
            }),
          ],
        }),
      ),
    );
    const direct = (name: string) =>
      lines(out, 'CAN_ASSUME').filter((l) => l.startsWith(`CAN_ASSUME ${userArn(A, name)} `));
    for (const name of ['deny-one', 'named-one', 'by-tag'])
      expect(direct(name).some((l) => l.includes('grant:'))).toBe(false);
    expect(pairs(out, userArn(A, 'deny-one'))).toEqual(
      [...roles(0, 2), roleArn(A, 'tagged-0'), roleArn(A, 'tagged-1')].sort(),
    );
    expect(pairs(out, userArn(A, 'named-one'))).toEqual(roles(2));
    expect(pairs(out, userArn(A, 'by-tag'))).toEqual([roleArn(A, 'tagged-0')]);
  });

  it('a single role, or roles with different trusts, keep direct edges', async () => {
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
    expect(hubsOf(out)).toEqual([]);
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, 'alone'))).toBeDefined();
    expect(edge(out, 'CAN_ASSUME', userArn(A, 'intern'), roleArn(A, 'other'))?.properties.conditional).toBe(
      true,
    );
  });

  it('per-pair mode writes no hub', async () => {
    const env = environment(
      account(A, { roles: classRoles(3, root), users: [user(A, 'admin', { policy: doc(allow('*')) })] }),
    );
    const out = await analyzeAws(env, { grantHubs: false });
    expect(hubsOf(out)).toEqual([]);
    expect(
      lines(out, 'CAN_ASSUME').filter((l) => l.startsWith(`CAN_ASSUME ${userArn(A, 'admin')} `)),
    ).toHaveLength(3);
  });
});

describe('routes through the hubs, once expanded', () => {
  function answers(env: AwsEnvironment, analysis: AwsAnalysis) {
    const inventory = buildAwsInventory(env, analysis, { sourceName: 'test' });
    validateInventory(inventory, 'trust classes (hubs)');
    return new MemoryPathQueries(
      MemoryGraph.fromInventory(validateInventory(expandGrants(inventory), 'expanded')),
    );
  }

  it('a caller allowed sts:AssumeRole reaches each role’s data; one without the permission reaches none', async () => {
    const env = environment(
      account(A, {
        roles: classRoles(3),
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
    // One assumption, as with per-pair edges: the hub adds no hop (a shared Public node did).
    expect(reached.map((a) => [a.resource, a.hops]).sort()).toEqual([
      ['arn:aws:s3:::data-0', 1],
      ['arn:aws:s3:::data-1', 1],
      ['arn:aws:s3:::data-2', 1],
    ]);
    expect(await queries.reach({ from: userArn(B, 'no-permission'), to: 'type=AwsS3Bucket' })).toEqual([]);
  });
});
