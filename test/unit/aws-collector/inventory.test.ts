import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsInventory } from '../../../src/collectors/aws/inventory.js';
import { readAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../../src/collectors/aws/transform.js';
import { validateInventory } from '../../../src/model/validate.js';
import { account, environment, managed, role, trusts, user } from '../../helpers/aws-environment.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/aws-collector/basic');
const A = '111122223333';
const now = new Date('2024-07-10T09:05:00Z');
const iamArn = (kind: string, name: string) => `arn:aws:iam::${A}:${kind}/${name}`;

async function fixtureInventory() {
  const env = transformAws(await readAwsSnapshot(FIXTURE));
  return validateInventory(awsInventory(env, { now }), 'fixture').inventory;
}

describe('awsInventory', () => {
  it('is a valid inventory with one complete scope per account and the organization', async () => {
    const inventory = await fixtureInventory();
    expect(inventory.scopes).toEqual([
      { id: `aws:${A}`, provider: 'aws', name: 'acme-prod', complete: true },
      { id: 'aws:organization/o-exampleorg1', provider: 'aws', name: 'o-exampleorg1', complete: true },
    ]);
  });

  it('classifies principals and resources', async () => {
    const inventory = await fixtureInventory();
    const props = (id: string) => inventory.nodes.find((n) => n.id === id)?.properties;
    expect(props(iamArn('user', 'github-ci'))).toMatchObject({ nonHuman: true, nhiType: 'ci-pipeline' });
    expect(props(iamArn('user', 'people/alice'))).toMatchObject({ nonHuman: false, passwordEnabled: true });
    // An account alias with "prod" makes its unlabelled nodes production.
    expect(props(iamArn('role', 'deploy'))).toMatchObject({
      nonHuman: true,
      nhiType: 'role',
      environment: 'production',
    });
    expect(props('arn:aws:s3:::prod-customer-data')).toMatchObject({
      sensitivity: 'high',
      environment: 'production',
    });
    expect(props('arn:aws:s3:::build-logs')).toMatchObject({ sensitivity: 'low' });
    expect(props(`arn:aws:lambda:eu-west-1:${A}:function:orders`)).toMatchObject({
      nonHuman: true,
      nhiType: 'workload',
      roleArns: [iamArn('role', 'deploy')],
    });
    expect(props('aws:key:AKIAEXAMPLEGITHUBCI1')).toEqual({
      name: 'AKIAEXAMPLEGITHUBCI1',
      provider: 'aws',
      accessKeyId: 'AKIAEXAMPLEGITHUBCI1',
      userArn: iamArn('user', 'github-ci'),
      status: 'active',
      createdAt: '2024-01-10T09:05:00.000Z',
      lastUsedAt: '2024-06-30T12:00:00.000Z',
      lastUsedService: 'lambda',
      ageDays: 182,
      daysSinceLastUse: 9,
    });
  });

  it('emits structural edges: membership, attachments by kind, credentials, containment, organization', async () => {
    const inventory = await fixtureInventory();
    const edges = inventory.relationships.map(
      (r) =>
        `${r.type} ${r.from} -> ${r.to}${r.properties.attachments ? ` (${(r.properties.attachments as string[]).join('+')})` : ''}`,
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        `MEMBER_OF ${iamArn('user', 'github-ci')} -> ${iamArn('group', 'deployers')}`,
        `HAS_POLICY ${iamArn('user', 'github-ci')} -> ${iamArn('user', 'github-ci')}#inline/ci-deploy (inline)`,
        `HAS_POLICY ${iamArn('user', 'github-ci')} -> arn:aws:iam::aws:policy/ReadOnlyAccess (managed)`,
        `HAS_POLICY ${iamArn('user', 'github-ci')} -> ${iamArn('policy', 'ci-boundary')} (permissions-boundary)`,
        `HAS_CREDENTIAL ${iamArn('user', 'github-ci')} -> aws:key:AKIAEXAMPLEGITHUBCI1`,
        `CONTAINS aws:account:${A} -> ${iamArn('role', 'web')}`,
        `CONTAINS aws:account:${A} -> arn:aws:s3:::prod-customer-data`,
        `CHILD_OF aws:account:${A} -> arn:aws:organizations::999999999999:organization/o-exampleorg1`,
      ]),
    );
    // AWS-managed policies are shared nodes, not contained in (or cleaned with) one account.
    expect(
      inventory.nodes.find((n) => n.id === 'arn:aws:iam::aws:policy/ReadOnlyAccess')?.scope,
    ).toBeUndefined();
    expect(edges.some((e) => e.startsWith('CONTAINS') && e.endsWith('ReadOnlyAccess'))).toBe(false);
  });

  it('keeps policy documents as JSON for explanations, including other versions', async () => {
    const inventory = await fixtureInventory();
    const policy = inventory.nodes.find((n) => n.id === iamArn('policy', 'deploy-policy'))?.properties;
    expect(JSON.parse(policy?.document as string).Statement[0].Sid).toBe('Deploy');
    expect(policy?.defaultVersionId).toBe('v2');
    expect(policy?.versions).toEqual([expect.stringMatching(/^v1=\{/)]);
  });

  it('an account with errors is an incomplete scope naming them, so nothing of it is cleaned', () => {
    const broken = account(A, {
      issues: [
        { severity: 'error', source: `aws/${A}/x.json`, message: 'malformed JSON' },
        { severity: 'info', source: 'y', message: 'missing' },
      ],
    });
    const inventory = awsInventory(environment(broken), { now });
    expect(inventory.scopes[0]).toEqual({
      id: `aws:${A}`,
      provider: 'aws',
      name: A,
      complete: false,
      errors: [`aws/${A}/x.json: malformed JSON`],
    });
  });

  it('an attached policy missing from the policy list still gets a node, so the attachment stands', () => {
    const arn = iamArn('policy', 'gone');
    const env = environment(
      account(A, {
        roles: [role(A, 'r', trusts({ Service: ['ec2.amazonaws.com'] }), { attachedPolicyArns: [arn] })],
        users: [user(A, 'u', { attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] })],
        managedPolicies: [managed(iamArn('policy', 'other'), { Statement: [] })],
      }),
    );
    const { inventory } = validateInventory(awsInventory(env, { now }), 'test');
    expect(inventory.nodes.find((n) => n.id === arn)?.properties).toMatchObject({ documentCollected: false });
    expect(
      inventory.nodes.find((n) => n.id === 'arn:aws:iam::aws:policy/AdministratorAccess')?.scope,
    ).toBeUndefined();
  });

  it('a managed policy both attached and used as the boundary is one edge naming both', () => {
    const arn = iamArn('policy', 'guard');
    const inventory = awsInventory(
      environment(
        account(A, {
          roles: [
            role(A, 'r', trusts({ Service: ['ec2.amazonaws.com'] }), {
              attachedPolicyArns: [arn],
              permissionsBoundaryArn: arn,
            }),
          ],
          managedPolicies: [managed(arn, { Statement: [] })],
        }),
      ),
      { now },
    );
    const edges = inventory.relationships.filter((r) => r.type === 'HAS_POLICY' && r.to === arn);
    expect(edges.map((r) => r.properties.attachments)).toEqual([['managed', 'permissions-boundary']]);
    expect(() => validateInventory(inventory, 'boundary twice')).not.toThrow();
  });

  it('two accounts sharing an AWS-managed policy give one node', () => {
    const readOnly = managed('arn:aws:iam::aws:policy/ReadOnlyAccess', { Statement: [] });
    const env = environment(
      account(A, { managedPolicies: [readOnly] }),
      account('444455556666', { managedPolicies: [readOnly] }),
    );
    const { inventory } = validateInventory(awsInventory(env, { now }), 'test');
    expect(inventory.nodes.filter((n) => n.id === readOnly.arn)).toHaveLength(1);
  });
});
