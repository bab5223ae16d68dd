import { describe, expect, it } from 'vitest';
import { sampleArn } from '../../../../src/analyzers/aws-iam/escalation/context.js';

describe('sampleArn (a concrete ARN for a resource not created yet)', () => {
  it.each([
    ['*', 'lambda', '*'],
    ['arn:aws:lambda:*:*:function:dev-*', 'lambda', 'arn:aws:lambda:us-east-1:111111111111:function:dev-x'],
    [
      'arn:aws:lambda:eu-west-1:111111111111:function:f?',
      'lambda',
      'arn:aws:lambda:eu-west-1:111111111111:function:fx',
    ],
    ['arn:aws:*:*:111111111111:*', 'glue', 'arn:aws:glue:us-east-1:111111111111:x'],
    ['arn:aws:ec2:*:*:instance/*', 'ec2', 'arn:aws:ec2:us-east-1:111111111111:instance/x'],
  ])('%s in service %s → %s', (pattern, service, expected) => {
    expect(sampleArn(pattern, service, '111111111111', 'aws')).toBe(expected);
  });

  it.each([
    ['arn:aws:s3:::bucket/*', 'lambda'],
    ['arn:aws:lambda:*:222222222222:function:*', 'lambda'],
    ['not-an-arn', 'lambda'],
  ])('%s cannot name a %s resource of account 111111111111', (pattern, service) => {
    expect(sampleArn(pattern, service, '111111111111', 'aws')).toBeUndefined();
  });
});
