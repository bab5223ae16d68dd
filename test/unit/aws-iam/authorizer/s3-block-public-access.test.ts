import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { isPublicBucketPolicy } from '../../../../src/analyzers/aws-iam/authorizer/s3-block-public-access.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { PolicyDocument } from '../../../../src/model/aws/policy.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
} from '../../../helpers/aws-environment.js';

// The examples of "The meaning of public" and "How Amazon S3 evaluates a bucket policy that contains
// both public and non-public access grants":
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

beforeAll(() => loadCatalog());

const OWNER = '222222222222';
const OTHER = '111111111111';
const BUCKET = 'arn:aws:s3:::prod-orders';
const named = (document: PolicyDocument) => ({
  id: `${BUCKET}#policy`,
  name: 'bucket policy',
  kind: 'resource' as const,
  document,
});
const put = { Effect: 'Allow' as const, Action: 's3:PutObject', Resource: '*' };

describe('S3 bucket policies: public or not, by S3’s definition', () => {
  it.each([
    ['a federated principal', { ...put, Principal: { Federated: ['graph.facebook.com'] } }],
    ['Principal "*"', { ...put, Principal: '*' as const }],
    [
      'Principal "*" with a wildcard aws:SourceVpc',
      { ...put, Principal: '*' as const, Condition: { StringLike: { 'aws:SourceVpc': ['vpc-*'] } } },
    ],
    [
      'a source IP range broader than /8',
      { ...put, Principal: '*' as const, Condition: { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1'] } } },
    ],
    [
      'a negated condition',
      {
        ...put,
        Principal: '*' as const,
        Condition: { StringNotEquals: { 'aws:SourceVpc': ['vpc-91237329'] } },
      },
    ],
    [
      'an …IfExists condition (true when the key is absent)',
      {
        ...put,
        Principal: '*' as const,
        Condition: { StringEqualsIfExists: { 'aws:SourceVpc': ['vpc-91237329'] } },
      },
    ],
    [
      'a condition on a key S3 does not count',
      { ...put, Principal: '*' as const, Condition: { Bool: { 'aws:SecureTransport': ['true'] } } },
    ],
    ['NotPrincipal', { ...put, NotPrincipal: { AWS: [`arn:aws:iam::${OWNER}:root`] } }],
  ])('public: %s', (_, statement) => {
    expect(isPublicBucketPolicy(named(doc(statement)))).toBe(true);
  });

  it.each([
    [
      'a fixed aws:SourceVpc',
      { ...put, Principal: '*' as const, Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-91237329'] } } },
    ],
    ['a fixed account', { ...put, Principal: { AWS: [`arn:aws:iam::${OTHER}:root`] } }],
    ['a service principal', { ...put, Principal: { Service: ['cloudtrail.amazonaws.com'] } }],
    [
      'a fixed organization',
      {
        ...put,
        Principal: '*' as const,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-acme12345'] } },
      },
    ],
    [
      'a /24 source range',
      { ...put, Principal: '*' as const, Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } },
    ],
    ['a Deny to anyone', { ...put, Effect: 'Deny' as const, Principal: '*' as const }],
  ])('not public: %s', (_, statement) => {
    expect(isPublicBucketPolicy(named(doc(statement)))).toBe(false);
  });
});

describe('RestrictPublicBuckets on CAN_ACCESS and the public-resource finding', () => {
  const cloudTrail = {
    Sid: 'CloudTrail',
    Effect: 'Allow' as const,
    Principal: { Service: ['cloudtrail.amazonaws.com'] },
    Action: 's3:PutObject',
    Resource: `${BUCKET}/*`,
  };
  const otherAccount = {
    Sid: 'Account2',
    Effect: 'Allow' as const,
    Principal: { AWS: [roleArn(OTHER, 'reader')] },
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  };
  const anyone = {
    Sid: 'Public',
    Effect: 'Allow' as const,
    Principal: '*' as const,
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  };
  const lambda = trusts({ Service: ['lambda.amazonaws.com'] });

  function run(statements: Parameters<typeof doc>, attributes: Record<string, boolean>) {
    const env = environment(
      account(OTHER, {
        roles: [role(OTHER, 'reader', lambda, { policy: doc(allow('s3:GetObject', `${BUCKET}/*`)) })],
      }),
      account(OWNER, {
        roles: [role(OWNER, 'app', lambda)],
        resources: [
          resource('s3-bucket', BUCKET, { accountId: OWNER, policy: doc(...statements), attributes }),
        ],
      }),
    );
    const authorizer = createAuthorizer(env);
    const out = canAccess.derive(authorizer);
    return {
      edges: out.edges.map((e) => `${e.from} ${(e.properties.levels as string[]).join(',')}`).sort(),
      findings: (out.findings ?? []).map((f) => f.message),
    };
  }

  it('off: anyone and the other account read the bucket, and the bucket is a finding', () => {
    const out = run([cloudTrail, otherAccount, anyone], { restrictPublicBuckets: false });
    expect(out.edges).toEqual(
      [`${roleArn(OWNER, 'app')} read`, `${roleArn(OTHER, 'reader')} read`, 'public:aws read'].sort(),
    );
    expect(out.findings).toHaveLength(1);
  });

  it('on, with a public statement: only the owner’s account keeps access; no public edge, no finding', () => {
    const out = run([cloudTrail, otherAccount, anyone], { restrictPublicBuckets: true });
    // Account-2's statement is not public, yet its access goes: the policy as a whole is public.
    expect(out.edges).toEqual([`${roleArn(OWNER, 'app')} read`]);
    expect(out.findings).toEqual([]);
  });

  it('on, without the public statement: the policy is not public and delegates to the other account as written', () => {
    const out = run([cloudTrail, otherAccount], { restrictPublicBuckets: true });
    expect(out.edges).toEqual([`${roleArn(OTHER, 'reader')} read`]);
  });

  it('BlockPublicPolicy alone leaves the public policy in force, and the finding says so', () => {
    const out = run([anyone], { blockPublicPolicy: true, restrictPublicBuckets: false });
    expect(out.edges).toContain('public:aws read');
    expect(out.findings).toEqual([
      expect.stringContaining('BlockPublicPolicy is on but only rejects new public policies'),
    ]);
  });
});
