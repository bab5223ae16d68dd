import { beforeAll, describe, expect, it } from 'vitest';
import { contentReadActions } from '../../../../src/analyzers/aws-iam/content-reads.js';
import {
  accessLevel,
  catalogAction,
  catalogVersion,
  expandActionPattern,
  isKnownAction,
  isKnownService,
  loadCatalog,
  serviceActions,
  supportsResourceControlPolicies,
  unknownServiceWarning,
} from '../../../../src/analyzers/aws-iam/engine/index.js';

beforeAll(async () => {
  await loadCatalog();
}, 60_000);

describe('the AWS action catalogue', () => {
  it.each([
    ['s3:ListBucket', 'list'],
    ['s3:GetObject', 'read'],
    ['s3:PutObject', 'write'],
    ['iam:AttachRolePolicy', 'permissions'],
    ['iam:PutRolePolicy', 'permissions'],
    ['iam:TagRole', 'tagging'],
    ['IAM:passrole', 'write'],
    ['kms:Decrypt', 'write'],
    ['secretsmanager:GetSecretValue', 'read'],
    ['dynamodb:Scan', 'read'],
    // AWS's Read splits into reading content (read) and reading configuration (list).
    ['secretsmanager:DescribeSecret', 'list'],
    ['secretsmanager:GetResourcePolicy', 'list'],
    ['s3:GetBucketPolicy', 'list'],
    ['s3:GetObjectAcl', 'list'],
    ['s3:GetObjectVersion', 'read'],
    ['dynamodb:DescribeTable', 'list'],
    ['dynamodb:Query', 'read'],
    ['kms:DescribeKey', 'list'],
    ['sqs:ReceiveMessage', 'read'],
    ['sqs:GetQueueAttributes', 'list'],
    ['ssm:GetParameter', 'read'],
    ['nosuch:Thing', undefined],
    ['s3:NoSuchAction', undefined],
  ])('access level of %s is %s', (action, level) => {
    expect(accessLevel(action)).toBe(level);
  });

  it('knows every content-read action as an action AWS classes Read', () => {
    // Only AWS's Read maps to `read`, so a misspelt or reclassified entry shows up here.
    const wrong = contentReadActions().filter((a) => accessLevel(a) !== 'read');
    expect(wrong).toEqual([]);
  });

  it('knows services and actions case-insensitively', () => {
    expect(isKnownService('S3')).toBe(true);
    expect(isKnownService('frobnicator')).toBe(false);
    expect(isKnownAction('sts:assumerole')).toBe(true);
    expect(catalogAction('sts:assumerole')?.action).toBe('sts:AssumeRole');
    expect(catalogVersion()).toMatch(/^\d+\.\d+\.\d{9}$/);
  });

  it('expands wildcard patterns per service', () => {
    const gets = expandActionPattern('s3:GetObject*');
    expect(gets).toContain('s3:GetObject');
    expect(gets).toContain('s3:GetObjectAcl');
    expect(gets.every((a) => a.startsWith('s3:GetObject'))).toBe(true);
    expect(expandActionPattern('iam:PassRole')).toEqual(['iam:PassRole']);
    expect(expandActionPattern('sts:AssumeRole?')).toEqual([]);
    expect(expandActionPattern('iam:*')).toEqual(serviceActions('iam'));
    const everyList = expandActionPattern('*:List*');
    expect(everyList).toContain('s3:ListBucket');
    expect(everyList).toContain('iam:ListRoles');
    expect(expandActionPattern('*').length).toBeGreaterThan(10_000);
  });

  it('knows which services resource control policies cover', () => {
    expect(supportsResourceControlPolicies('s3')).toBe(true);
    expect(supportsResourceControlPolicies('kms')).toBe(true);
    expect(supportsResourceControlPolicies('ec2')).toBe(false);
  });

  it('names an unknown service in a warning', () => {
    expect(unknownServiceWarning('frobnicator:Spin')).toMatch(
      /unknown service "frobnicator" in action "frobnicator:Spin"/,
    );
    expect(unknownServiceWarning('s3:GetObject')).toBeUndefined();
    expect(unknownServiceWarning('*')).toBeUndefined();
  });
});
