import { beforeAll, describe, expect, it } from 'vitest';
import {
  commonFolder,
  proposalKeeps,
  proposeAwsPolicy,
} from '../../../../src/activity/least-privilege/aws-policy.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { evaluate } from '../../../../src/analyzers/aws-iam/engine/evaluate.js';
import { parsePolicyDocument } from '../../../../src/model/aws/policy-parser.js';

const ROLE = 'arn:aws:iam::111111111111:role/app';
const BUCKET = 'arn:aws:s3:::data';

/** The engine over one identity policy, as the proposal's grant check. */
function grantedBy(statements: unknown[]) {
  const policy = {
    id: `${ROLE}#inline/p`,
    name: 'p',
    kind: 'inline' as const,
    document: parsePolicyDocument({ Version: '2012-10-17', Statement: statements }, 'test', 'identity'),
  };
  return (action: string, resource: string) =>
    evaluate(
      {
        principal: { arn: ROLE, kind: 'role', accountId: '111111111111' },
        action,
        resource: { arn: resource, accountId: '111111111111' },
      },
      { identityPolicies: [policy] },
    ).outcome === 'allow';
}

beforeAll(async () => {
  await loadCatalog();
});

describe('an AWS least-privilege policy', () => {
  it('finds the deepest common folder of object keys', () => {
    expect(commonFolder(['reports/2026/q3.csv', 'reports/2026/q4.csv'])).toBe('reports/2026/');
    expect(commonFolder(['reports/a.csv', 'logs/b.csv'])).toBe('');
    expect(commonFolder(['reports/2026q3.csv', 'reports/2026q4.csv'])).toBe('reports/');
  });

  it('writes objects of one folder as the folder, when the policies allow the action on it', () => {
    const granted = grantedBy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` }]);
    const policy = proposeAwsPolicy(
      [
        { action: 's3:GetObject', resource: `${BUCKET}/reports/2026/q3.csv` },
        { action: 's3:GetObject', resource: `${BUCKET}/reports/2026/q4.csv` },
      ],
      granted,
    );
    expect(policy.Statement).toEqual([
      { Sid: 'Used1', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${BUCKET}/reports/2026/*`] },
    ]);
  });

  it('never wider than granted: objects stay as used when the policies grant only those', () => {
    const granted = grantedBy([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [`${BUCKET}/reports/2026/q3.csv`, `${BUCKET}/reports/2026/q4.csv`],
      },
    ]);
    const policy = proposeAwsPolicy(
      [
        { action: 's3:GetObject', resource: `${BUCKET}/reports/2026/q3.csv` },
        { action: 's3:GetObject', resource: `${BUCKET}/reports/2026/q4.csv` },
      ],
      granted,
    );
    expect(policy.Statement[0]?.Resource).toEqual([
      `${BUCKET}/reports/2026/q3.csv`,
      `${BUCKET}/reports/2026/q4.csv`,
    ]);
  });

  it('groups actions with the same resources, and wildcards a verb only over read actions all granted', () => {
    const everything = grantedBy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const used = [
      { action: 'ec2:DescribeInstances', resource: null },
      { action: 'ec2:DescribeVpcs', resource: null },
      { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t' },
      { action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:111111111111:table/t' },
      { action: 'iam:CreateAccessKey', resource: 'arn:aws:iam::111111111111:user/u' },
      { action: 'iam:CreateRole', resource: 'arn:aws:iam::111111111111:role/r' },
    ];
    const policy = proposeAwsPolicy(used, everything);
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      [['dynamodb:GetItem', 'dynamodb:PutItem'], ['arn:aws:dynamodb:us-east-1:111111111111:table/t']],
      [['ec2:Describe*'], ['*']],
      [['iam:CreateAccessKey'], ['arn:aws:iam::111111111111:user/u']],
      [['iam:CreateRole'], ['arn:aws:iam::111111111111:role/r']],
    ]);
    // Describe* is not written when the policies grant only the two describes used.
    const two = grantedBy([
      { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeVpcs'], Resource: '*' },
    ]);
    expect(proposeAwsPolicy(used.slice(0, 2), two).Statement[0]?.Action).toEqual([
      'ec2:DescribeInstances',
      'ec2:DescribeVpcs',
    ]);
  });

  it('spells actions as the catalogue does, and says what it keeps', () => {
    const policy = proposeAwsPolicy([{ action: 's3:getobject', resource: `${BUCKET}/k` }], () => false);
    expect(policy.Statement[0]?.Action).toEqual(['s3:GetObject']);
    expect(proposalKeeps(policy, 's3:GetObject', BUCKET)).toBe(true);
    expect(proposalKeeps(policy, 's3:PutObject', BUCKET)).toBe(false);
    expect(proposalKeeps(policy, 's3:GetObject', 'arn:aws:s3:::other')).toBe(false);
  });
});
