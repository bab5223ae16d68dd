// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${…} inside plain strings.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { AwsAccountData, AwsOrganizationData } from '../../../../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
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

const PROD = '222222222222';
const TOOLING = '111111111111';
const OUTSIDE = '999999999999';
const BUCKET = 'arn:aws:s3:::prod-orders';
const SECRET = `arn:aws:secretsmanager:us-east-1:${PROD}:secret:db-password-AbCdEf`;
const TABLE = `arn:aws:dynamodb:us-east-1:${PROD}:table/orders`;

beforeAll(() => loadCatalog());

const derive = (...accounts: AwsAccountData[]) =>
  canAccess.derive(createAuthorizer(environment(...accounts)));
const lambdaTrust = trusts({ Service: ['lambda.amazonaws.com'] });

describe('CAN_ACCESS', () => {
  it('gives the access levels and actions of what the identity policy allows on each resource', () => {
    const out = derive(
      account(PROD, {
        roles: [
          role(PROD, 'reader', lambdaTrust, {
            policy: doc(allow(['s3:GetObject', 's3:ListBucket'], [BUCKET, `${BUCKET}/*`])),
          }),
          role(PROD, 'table-writer', lambdaTrust, { policy: doc(allow('dynamodb:*', TABLE)) }),
          role(PROD, 'unrelated', lambdaTrust, { policy: doc(allow('sqs:*')) }),
        ],
        resources: [resource('s3-bucket', BUCKET, { accountId: PROD }), resource('dynamodb-table', TABLE)],
      }),
    );
    const reader = out.edges.find((e) => e.from === roleArn(PROD, 'reader'));
    expect(reader).toMatchObject({
      to: BUCKET,
      toKind: 'AwsS3Bucket',
      properties: { levels: ['list', 'read'], actions: ['s3:GetObject', 's3:ListBucket'] },
    });
    // What the statement allows and on which parts (the principal's side), then the bucket.
    expect(reader?.evidence).toEqual([
      {
        source: 'identity-policy',
        ref: `${roleArn(PROD, 'reader')}#inline/inline`,
        statement: '#0',
        reason: 'inline (statement #0) allows s3:GetObject, s3:ListBucket on it and its objects *',
      },
      { source: 'identity-policy', ref: BUCKET, reason: 'on prod-orders' },
    ]);
    const writer = out.edges.find((e) => e.from === roleArn(PROD, 'table-writer'));
    expect(writer?.to).toBe(TABLE);
    expect(writer?.properties.levels).toEqual(expect.arrayContaining(['read', 'write']));
    expect(out.edges.map((e) => e.from)).not.toContain(roleArn(PROD, 'unrelated'));
  });

  it('a Deny, a boundary or an SCP takes access away', () => {
    const BOUNDARY = `arn:aws:iam::${PROD}:policy/only-sqs`;
    const org: AwsOrganizationData = {
      id: 'o-abc123',
      arn: `arn:aws:organizations::${OUTSIDE}:organization/o-abc123`,
      managementAccountId: OUTSIDE,
      rootId: 'r-root',
      accounts: [{ id: PROD, parentId: 'r-root' }],
      organizationalUnits: [],
      serviceControlPolicies: [
        {
          policy: {
            id: 'p-no-secrets',
            name: 'no-secrets',
            kind: 'scp',
            document: doc(allow('*'), deny('secretsmanager:*')),
          },
          targets: ['r-root'],
        },
      ],
      resourceControlPolicies: [],
    };
    const env = {
      ...environment(
        account(PROD, {
          roles: [
            role(PROD, 'denied', lambdaTrust, { policy: doc(allow('s3:*'), deny('s3:*', `${BUCKET}*`)) }),
            role(PROD, 'bounded', lambdaTrust, {
              policy: doc(allow('s3:*')),
              permissionsBoundaryArn: BOUNDARY,
            }),
          ],
          users: [user(PROD, 'secret-reader', { policy: doc(allow('secretsmanager:GetSecretValue')) })],
          managedPolicies: [managed(BOUNDARY, doc(allow('sqs:*')))],
          resources: [resource('s3-bucket', BUCKET, { accountId: PROD }), resource('secret', SECRET)],
        }),
      ),
      organization: org,
    };
    expect(canAccess.derive(createAuthorizer(env)).edges).toEqual([]);
  });

  it('object access under a prefix counts; a conditional grant makes a conditional edge naming the condition', () => {
    const out = derive(
      account(PROD, {
        users: [
          user(PROD, 'reports', { policy: doc(allow('s3:GetObject', `${BUCKET}/reports/*`)) }),
          user(PROD, 'office', {
            policy: doc(
              allow('s3:GetObject', `${BUCKET}/*`, {
                Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
              }),
            ),
          }),
        ],
        resources: [resource('s3-bucket', BUCKET, { accountId: PROD })],
      }),
    );
    const reports = out.edges.find((e) => e.from === userArn(PROD, 'reports'));
    expect(reports?.properties).toMatchObject({ levels: ['read'], actions: ['s3:GetObject'] });
    expect(reports?.properties.conditional).toBeUndefined();
    expect(reports?.evidence[0]?.reason).toContain('on objects reports/x');
    const office = out.edges.find((e) => e.from === userArn(PROD, 'office'));
    expect(office?.properties).toMatchObject({ conditional: true, conditions: ['aws:SourceIp'] });
    expect(office?.evidence[0]?.reason).toContain('203.0.113.0/24');
  });

  it('a resource policy grants same-account principals it names, other collected accounts (both sides), outsiders and anyone', () => {
    const policy = doc(
      {
        Sid: 'App',
        Effect: 'Allow',
        Principal: { AWS: [roleArn(PROD, 'app')] },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      },
      {
        Sid: 'Tooling',
        Effect: 'Allow',
        Principal: { AWS: [TOOLING] },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      },
      {
        Sid: 'Vendor',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${OUTSIDE}:role/vendor`] },
        Action: 'secretsmanager:DescribeSecret',
        Resource: '*',
      },
    );
    const bucketPolicy = doc({
      Sid: 'Public',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    });
    const out = derive(
      account(TOOLING, {
        roles: [
          role(TOOLING, 'ci', lambdaTrust, {
            policy: doc(allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:*:${PROD}:secret:*`)),
          }),
          role(TOOLING, 'no-identity-grant', lambdaTrust),
        ],
      }),
      account(PROD, {
        roles: [role(PROD, 'app', lambdaTrust)],
        resources: [
          resource('secret', SECRET, { policy }),
          resource('s3-bucket', BUCKET, { accountId: PROD, policy: bucketPolicy }),
        ],
      }),
    );
    expect(
      out.edges
        .map((e) => `${e.fromKind} ${e.from} -> ${e.to} ${(e.properties.levels as string[]).join(',')}`)
        .sort(),
    ).toEqual(
      [
        `AwsRole ${roleArn(PROD, 'app')} -> ${SECRET} read`,
        // Principal "*" includes the account's own principals, which need no identity grant.
        `AwsRole ${roleArn(PROD, 'app')} -> ${BUCKET} read`,
        `AwsRole ${roleArn(TOOLING, 'ci')} -> ${SECRET} read`,
        // DescribeSecret reads the secret's metadata, never its value.
        `ExternalPrincipal external:arn:aws:iam::${OUTSIDE}:role/vendor -> ${SECRET} list`,
        `Public public:aws -> ${BUCKET} read`,
      ].sort(),
    );
    const ci = out.edges.find((e) => e.from === roleArn(TOOLING, 'ci'));
    expect(ci?.evidence.map((e) => `${e.source} ${e.statement}`).sort()).toEqual([
      'identity-policy #0',
      'identity-policy undefined',
      'resource-policy Tooling',
    ]);
    expect(out.findings).toEqual([
      expect.objectContaining({ rule: 'aws-resource-public', subject: BUCKET, severity: 'high' }),
    ]);
  });

  it('a public grant limited to the organization is not public', () => {
    const bucketPolicy = doc({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc123'] } },
    });
    const out = derive(
      account(PROD, {
        resources: [resource('s3-bucket', BUCKET, { accountId: PROD, policy: bucketPolicy })],
      }),
    );
    expect(out.edges).toEqual([]);
    expect(out.findings).toEqual([]);
  });
});

describe('CAN_ACCESS candidates', () => {
  it('a Resource pattern with a variable unknown offline still finds its resources: a conditional edge', () => {
    const out = derive(
      account(PROD, {
        roles: [
          role(PROD, 'session-scoped', lambdaTrust, {
            policy: doc(allow('s3:GetObject', 'arn:aws:s3:::prod-${aws:SourceIdentity}/*')),
          }),
        ],
        resources: [resource('s3-bucket', BUCKET, { accountId: PROD })],
      }),
    );
    const [edge] = out.edges;
    expect(out.edges).toHaveLength(1);
    expect(edge).toMatchObject({
      from: roleArn(PROD, 'session-scoped'),
      to: BUCKET,
      properties: { actions: ['s3:GetObject'], conditional: true, conditions: ['aws:SourceIdentity'] },
    });
    expect(edge?.evidence[0]?.reason).toContain('aws:SourceIdentity');
  });
});
