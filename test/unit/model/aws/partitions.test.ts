import { describe, expect, it } from 'vitest';
import { principalMatch } from '../../../../src/analyzers/aws-iam/engine/index.js';
import { transformAws } from '../../../../src/collectors/aws/transform.js';
import { AwsConfigSchema } from '../../../../src/config/aws.js';
import {
  homeRegion,
  partitionOfArn,
  partitionOfRegion,
  sameService,
  serviceNames,
  serviceOfPrincipal,
} from '../../../../src/model/aws/partitions.js';

// Partition facts from the AWS SDKs' partition table and the ARN reference
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).

describe('AWS partitions', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
    ['moon-base-1', undefined],
  ])('region %s is in partition %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it('reads the partition of an ARN, including one the table does not list yet, and nothing else', () => {
    expect(partitionOfArn('arn:aws-us-gov:iam::123456789012:role/x')).toBe('aws-us-gov');
    expect(partitionOfArn('arn:aws-iso-b:s3:::bucket')).toBe('aws-iso-b');
    expect(partitionOfArn('arn:aws-future:s3:::bucket')).toBe('aws-future');
    expect(partitionOfArn('arn:gcp:iam::1:role/x')).toBeUndefined();
    expect(partitionOfArn('123456789012')).toBeUndefined();
  });

  it('reaches IAM and STS in each partition’s home region', () => {
    expect(homeRegion('aws')).toBe('us-east-1');
    expect(homeRegion('aws-us-gov')).toBe('us-gov-west-1');
    expect(homeRegion('aws-cn')).toBe('cn-northwest-1');
  });

  it('names a service the same whatever the partition’s suffix', () => {
    expect(serviceOfPrincipal('ec2.amazonaws.com.cn')).toBe('ec2');
    expect(serviceOfPrincipal('EC2.amazonaws.com')).toBe('ec2');
    expect(sameService('ec2.amazonaws.com', 'ec2.amazonaws.com.cn')).toBe(true);
    expect(sameService('ec2.amazonaws.com', 'ecs.amazonaws.com.cn')).toBe(false);
    expect(serviceNames('lambda.amazonaws.com', 'aws-cn')).toEqual([
      'lambda.amazonaws.com',
      'lambda.amazonaws.com.cn',
    ]);
    expect(serviceNames('lambda.amazonaws.com', 'aws-us-gov')).toEqual(['lambda.amazonaws.com']);
  });

  it('a trust naming ec2.amazonaws.com.cn admits the EC2 service, and only it', () => {
    const ec2 = { arn: 'ec2.amazonaws.com', kind: 'service', service: 'ec2.amazonaws.com' } as const;
    expect(principalMatch({ Service: ['ec2.amazonaws.com.cn'] }, ec2)).toBe('direct');
    expect(principalMatch({ Service: ['lambda.amazonaws.com.cn'] }, ec2)).toBe('none');
  });

  it('accepts GovCloud and China role ARNs in the collector settings', () => {
    for (const arn of [
      'arn:aws-us-gov:iam::123456789012:role/audit',
      'arn:aws-cn:iam::123456789012:role/audit',
    ])
      expect(AwsConfigSchema.safeParse({ roleArns: [arn] }).success).toBe(true);
    expect(AwsConfigSchema.safeParse({ roleArns: ['arn:azure:iam::123456789012:role/audit'] }).success).toBe(
      false,
    );
  });
});

describe('the partition of an account whose IAM documents name none', () => {
  const empty = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };

  it('comes from the caller identity’s ARN', () => {
    const env = transformAws({
      accounts: {
        '123456789012': {
          documents: {
            'iam-get-account-authorization-details': empty,
            'sts-get-caller-identity': {
              Account: '123456789012',
              Arn: 'arn:aws-us-gov:iam::123456789012:user/auditor',
            },
          },
          ran: [],
          errors: {},
        },
      },
    });
    expect(env.accounts[0]?.partition).toBe('aws-us-gov');
  });

  it('else from its regional folders, else it is aws', () => {
    const scope = (documents: Record<string, unknown>) => ({ documents, ran: [], errors: {} });
    const env = transformAws({
      accounts: {
        '111111111111': scope({
          'iam-get-account-authorization-details': empty,
          'cn-north-1/lambda-list-functions': { Functions: [] },
        }),
        '222222222222': scope({ 'iam-get-account-authorization-details': empty }),
      },
    });
    expect(env.accounts.map((a) => a.partition)).toEqual(['aws-cn', 'aws']);
  });
});
