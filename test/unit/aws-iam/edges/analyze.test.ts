import { describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../../src/analyzers/aws-iam/analyze.js';
import { INVENTORY_FORMAT, INVENTORY_VERSION } from '../../../../src/model/inventory.js';
import { validateInventory } from '../../../../src/model/validate.js';
import {
  account,
  allow,
  doc,
  environment,
  managed,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';

const A = '111111111111';
const GH = 'token.actions.githubusercontent.com';
const BUCKET = 'arn:aws:s3:::prod-orders';
const FN = `arn:aws:lambda:us-east-1:${A}:function:orders`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const env = environment(
  account(A, {
    users: [
      user(A, 'admin', { attachedPolicyArns: [ADMIN] }),
      user(A, 'dev', { policy: doc(allow('sts:AssumeRole')) }),
    ],
    roles: [
      role(
        A,
        'deploy',
        doc(
          { Effect: 'Allow', Principal: { AWS: [A] }, Action: 'sts:AssumeRole' },
          {
            Effect: 'Allow',
            Principal: { Federated: [`arn:aws:iam::${A}:oidc-provider/${GH}`] },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${GH}:sub`]: ['repo:acme/app:ref:refs/heads/main'] } },
          },
        ),
        { policy: doc(allow('s3:*', [BUCKET, `${BUCKET}/*`])) },
      ),
      role(A, 'fn', trusts({ Service: ['lambda.amazonaws.com'] })),
    ],
    managedPolicies: [managed(ADMIN, doc(allow('*')))],
    oidcProviders: [
      { arn: `arn:aws:iam::${A}:oidc-provider/${GH}`, url: GH, clientIds: ['sts.amazonaws.com'] },
    ],
    resources: [
      resource('s3-bucket', BUCKET, { accountId: A }),
      resource('lambda-function', FN, { roleArns: [roleArn(A, 'fn')] }),
    ],
  }),
);

describe('analyzeAws', () => {
  it('runs every family and returns edges the inventory validator accepts, with stats', async () => {
    const analysis = await analyzeAws(env);
    const types = new Set(analysis.edges.map((e) => e.type));
    for (const t of ['CAN_ASSUME', 'FEDERATES_TO', 'RUNS_AS', 'CAN_ACCESS', 'ADMINISTERS'])
      expect(types).toContain(t);
    expect(analysis.edges).toContainEqual(
      expect.objectContaining({ type: 'CAN_ASSUME', from: userArn(A, 'dev'), to: roleArn(A, 'deploy') }),
    );
    expect(analysis.stats.principals).toBe(4);
    expect(analysis.stats.resources).toBe(2);
    expect(analysis.stats.evaluations).toBeGreaterThan(0);
    expect(Object.keys(analysis.stats.durationMs)).toContain('can-access');

    // The edges load: endpoints given by kind, evidence on every edge, nodes in the vocabulary.
    const [collected] = env.accounts;
    if (!collected) throw new Error('no account');
    const endpoints = [
      ...collected.users.map((u) => ({ id: u.arn, kind: 'AwsUser' })),
      ...collected.roles.map((r) => ({ id: r.arn, kind: 'AwsRole' })),
      { id: BUCKET, kind: 'AwsS3Bucket' },
      { id: FN, kind: 'AwsLambdaFunction' },
      { id: `aws:account:${A}`, kind: 'AwsAccount' },
    ].map((n) => ({ ...n, scope: `aws:${A}`, properties: { name: n.id, nonHuman: true, nhiType: 'role' } }));
    const valid = validateInventory(
      {
        format: INVENTORY_FORMAT,
        version: INVENTORY_VERSION,
        source: { name: 'test' },
        scopes: [{ id: `aws:${A}`, provider: 'aws' }],
        nodes: [...endpoints, ...analysis.nodes],
        relationships: analysis.edges,
      },
      'analysis',
    );
    expect(valid.relationships.length).toBe(analysis.edges.length);
  });

  it('runs only the families asked for and rejects unknown names', async () => {
    const analysis = await analyzeAws(env, { families: ['runs-as'] });
    expect(new Set(analysis.edges.map((e) => e.type))).toEqual(new Set(['RUNS_AS']));
    await expect(analyzeAws(env, { families: ['nope'] })).rejects.toThrow('unknown edge family nope');
  });
});
