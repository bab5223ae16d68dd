import { describe, expect, it } from 'vitest';
import { actionMatches, arnMatches, globMatches } from '../../../../src/analyzers/aws-iam/engine/index.js';

describe('actionMatches (case-insensitive, * and ?)', () => {
  it.each([
    ['*', 's3:GetObject', true],
    ['s3:*', 's3:GetObject', true],
    ['s3:*', 'S3:getobject', true],
    ['S3:GETOBJECT', 's3:GetObject', true],
    ['s3:Get*', 's3:GetObjectAcl', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:*Object', 's3:PutObject', true],
    ['s3:*Object', 's3:PutObjectAcl', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:etObject', false],
    ['s3:Get?', 's3:GetObject', false],
    ['iam:Pass*', 'iam:PassRole', true],
    ['ec2:*', 's3:GetObject', false],
    ['s3*', 's3:GetObject', true],
    ['*:Get*', 'dynamodb:GetItem', true],
    ['s3:GetObject', 's3:GetObjectAcl', false],
    ['s3:Get.bject', 's3:GetObject', false],
    ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', false],
  ])('%s vs %s → %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('arnMatches (segment-aware, case-sensitive)', () => {
  it.each([
    ['*', 'arn:aws:s3:::bucket', true],
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket', true],
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::Bucket', false],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c.txt', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket1', true],
    ['arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket12', false],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/admin', true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:user/admin', false],
    // A * in the account segment does not cross into the resource part.
    ['arn:aws:iam::*', 'arn:aws:iam::111122223333:role/admin', true],
    ['arn:aws:iam::1*3:role/x', 'arn:aws:iam::111122223333:role/x', true],
    ['arn:aws:iam::1*:role/x', 'arn:aws:iam::111:222:role/x', false],
    // In the resource part, * crosses both / and :.
    [
      'arn:aws:lambda:us-east-1:111122223333:function:*',
      'arn:aws:lambda:us-east-1:111122223333:function:f:PROD',
      true,
    ],
    ['arn:aws:logs:*:*:log-group:*', 'arn:aws:logs:eu-west-1:1:log-group:/aws/x:log-stream:y', true],
    ['arn:aws:dynamodb:*:*:table/orders', 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', true],
    [
      'arn:aws:dynamodb:*:*:table/orders',
      'arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/gsi',
      false,
    ],
    ['arn:aws:*:*:*:*', 'arn:aws:kms:us-east-1:1:key/abc', true],
    ['arn:aws:s?:::b', 'arn:aws:s3:::b', true],
    // A short pattern is padded with * at the end: its region * cannot swallow the account.
    ['arn:aws:ec2:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', false],
    ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', true],
    [
      'arn:aws:ec2:us-east-1:222222222222:instance/*',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
      false,
    ],
    // IAM user names in ARNs are case-sensitive.
    ['arn:aws:iam::111122223333:user/Alice', 'arn:aws:iam::111122223333:user/alice', false],
    // Regex characters are literal.
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::aXb', false],
    ['arn:aws:s3:::a+b(c)', 'arn:aws:s3:::a+b(c)', true],
    // A short pattern without wildcard matches nothing but itself.
    ['arn:aws:s3', 'arn:aws:s3:::b', false],
  ])('%s vs %s → %s', (pattern, arn, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
  });

  it.each([
    ['*', true],
    ['**', true],
    ['arn:aws:s3:::*', false],
    ['arn:*', false],
  ])('the request resource "*" (no resource) is matched by %s → %s', (pattern, expected) => {
    expect(arnMatches(pattern, '*')).toBe(expected);
  });
});

describe('globMatches (StringLike)', () => {
  it.each([
    ['repo:acme/*:ref:refs/heads/main', 'repo:acme/payments:ref:refs/heads/main', false, true],
    ['repo:acme/*', 'repo:ACME/payments', false, false],
    ['repo:acme/*', 'repo:ACME/payments', true, true],
    ['a?c', 'abc', false, true],
    ['a?c', 'ac', false, false],
    ['', '', false, true],
    ['*', '', false, true],
    ['line*', 'line1\nline2', false, true],
  ])('%s vs %s (ignoreCase %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(globMatches(pattern, value, ignoreCase)).toBe(expected);
  });
});
