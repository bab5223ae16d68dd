import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudtrailRows } from '../../../src/activity/aws/cloudtrail-sql.js';
import { directInput } from '../../../src/activity/aws/read.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { cloudTrailRecord } from '../../helpers/cloudtrail.js';

// The identity rules of CloudTrail's userIdentity element
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html),
// run in DuckDB as the ingest runs them, over small hand-written records.

let store: ActivityStore;
let dir: string;
beforeAll(async () => {
  store = await ActivityStore.open(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'activity-identity-'));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  identity: string | null;
  identity_type: string | null;
  access_key: string | null;
  origin: string | null;
  action: string;
  resource: string | null;
  network: string | null;
  outcome: string;
  unresolved_reason: string;
}

/** The row the ingest makes of one record, read by DuckDB from a file as the ingest reads it. */
async function rowOf(record: Record<string, unknown>): Promise<Row> {
  const path = join(dir, 'events.jsonl');
  writeFileSync(path, `${JSON.stringify(record)}\n`);
  const [input] = directInput([{ path, size: 0, sha256: '', gzip: false, layout: 'lines' }]);
  const [row] = await store.rows<Row>(cloudtrailRows(input as string));
  return row as Row;
}

const ACCOUNT = '111122223333';

describe('AWS identity resolution', () => {
  it('an IAM user is its ARN, and its long-term access key is kept', async () => {
    const row = await rowOf(cloudTrailRecord({ eventID: '1' }));
    expect(row).toMatchObject({
      identity: `arn:aws:iam::${ACCOUNT}:user/ci-bot`,
      identity_type: 'IAMUser',
      access_key: 'AKIAEXAMPLEKEY000001',
      action: 's3:GetObject',
      outcome: 'success',
    });
  });

  it('an assumed-role session is the role its session issuer names, with its path', async () => {
    const row = await rowOf(
      cloudTrailRecord({
        eventID: '2',
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROAEXAMPLE:build-42',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/build-42`,
          accountId: ACCOUNT,
          accessKeyId: 'ASIAEXAMPLETEMPORARY',
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              arn: `arn:aws:iam::${ACCOUNT}:role/ci/deploy`,
              accountId: ACCOUNT,
            },
          },
        },
      }),
    );
    // A temporary key (ASIA…) names one session, not an identity's credential: not kept.
    expect(row).toMatchObject({ identity: `arn:aws:iam::${ACCOUNT}:role/ci/deploy`, access_key: null });
  });

  it('role chaining: the last role acts, the chain’s source identity is kept as the origin', async () => {
    const row = await rowOf(
      cloudTrailRecord({
        eventID: '3',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/prod-admin/hop2`,
          sessionContext: {
            sourceIdentity: 'alice',
            sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/prod-admin` },
          },
        },
      }),
    );
    expect(row).toMatchObject({ identity: `arn:aws:iam::${ACCOUNT}:role/prod-admin`, origin: 'alice' });
  });

  it('a session without its issuer is the role named in the session ARN', async () => {
    const row = await rowOf(
      cloudTrailRecord({
        eventID: '4',
        userIdentity: { type: 'AssumedRole', arn: `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/reader/s1` },
      }),
    );
    expect(row.identity).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:role/reader`);
  });

  it('root, AWS services, other accounts and federated users', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
        `arn:aws:iam::${ACCOUNT}:root`,
      ],
      [{ type: 'Root', accountId: ACCOUNT }, `arn:aws:iam::${ACCOUNT}:root`],
      [{ type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }, 'aws:service:lambda.amazonaws.com'],
      // Named as the analysis names service principals (servicePrincipalId), whatever the case logged.
      [{ type: 'AWSService', invokedBy: 'Lambda.AmazonAWS.com' }, 'aws:service:lambda.amazonaws.com'],
      [
        { type: 'AWSAccount', accountId: '444455556666', principalId: 'AIDAOTHER' },
        'arn:aws:iam::444455556666:root',
      ],
      [
        {
          type: 'FederatedUser',
          arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
          sessionContext: { sessionIssuer: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/broker` } },
        },
        `arn:aws:iam::${ACCOUNT}:user/broker`,
      ],
      [
        {
          type: 'WebIdentityUser',
          principalId: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/app:ref:refs/heads/main`,
          userName: 'repo:acme/app:ref:refs/heads/main',
          identityProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        },
        'oidc:token.actions.githubusercontent.com:repo:acme/app:ref:refs/heads/main',
      ],
      [
        {
          type: 'SAMLUser',
          principalId: 'SAMLIssuer:carol',
          userName: 'carol',
          identityProvider: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`,
        },
        `external:arn:aws:iam::${ACCOUNT}:saml-provider/Okta:carol`,
      ],
    ];
    for (const [userIdentity, identity] of cases)
      expect(
        (await rowOf(cloudTrailRecord({ eventID: 'x', userIdentity }))).identity,
        JSON.stringify(userIdentity),
      ).toBe(identity);
  });

  it('what it cannot name is unresolved, with the reason', async () => {
    const center = await rowOf(
      cloudTrailRecord({ eventID: '5', userIdentity: { type: 'IdentityCenterUser', accountId: ACCOUNT } }),
    );
    expect(center).toMatchObject({
      identity: null,
      unresolved_reason: 'userIdentity type IdentityCenterUser is not resolved',
    });
    const none = await rowOf(cloudTrailRecord({ eventID: '6', userIdentity: null }));
    expect(none).toMatchObject({ identity: null, unresolved_reason: 'no userIdentity' });
    const bare = await rowOf(
      cloudTrailRecord({ eventID: '7', userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAX' } }),
    );
    expect(bare).toMatchObject({
      identity: null,
      access_key: 'AKIAX',
      unresolved_reason: 'userIdentity IAMUser without the fields that name it',
    });
  });
});

describe('what an event did', () => {
  it('the resource: not the caller’s key, else the role an STS call names, else the bucket', async () => {
    const assume = await rowOf(
      cloudTrailRecord({
        eventID: '8',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        resources: [
          { accountId: ACCOUNT, type: 'AWS::IAM::AccessKey', ARN: `arn:aws:iam::${ACCOUNT}:accesskey/ASIAX` },
          { accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/deploy` },
        ],
      }),
    );
    expect(assume).toMatchObject({
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/deploy`,
    });
    const byParameter = await rowOf(
      cloudTrailRecord({
        eventID: '9',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/other`, roleSessionName: 's' },
      }),
    );
    expect(byParameter.resource).toBe(`arn:aws:iam::${ACCOUNT}:role/other`);
    const bucket = await rowOf(
      cloudTrailRecord({
        eventID: '10',
        eventName: 'ListObjects',
        requestParameters: { bucketName: 'prod-data' },
      }),
    );
    expect(bucket.resource).toBe('arn:aws:s3:::prod-data');
  });

  it('refusals are denied, other error codes errors', async () => {
    for (const [errorCode, outcome] of [
      ['AccessDenied', 'denied'],
      ['Client.UnauthorizedOperation', 'denied'],
      ['AccessDeniedException', 'denied'],
      ['NoSuchBucket', 'error'],
    ])
      expect((await rowOf(cloudTrailRecord({ eventID: 'e', errorCode }))).outcome).toBe(outcome);
  });

  it('source networks: IPv4 /24, IPv6 /48 with :: expanded, service names as they are', async () => {
    const cases: [string, string][] = [
      ['203.0.113.77', '203.0.113.0/24'],
      ['2001:db8::1', '2001:db8:0::/48'],
      ['2001:0DB8:00a1:ff00::1', '2001:db8:a1::/48'],
      ['::1', '0:0:0::/48'],
      ['ec2.amazonaws.com', 'ec2.amazonaws.com'],
      ['AWS Internal', 'AWS Internal'],
      ['999.1.1.1', '999.1.1.1'],
    ];
    for (const [sourceIPAddress, network] of cases)
      expect(
        (await rowOf(cloudTrailRecord({ eventID: 'n', sourceIPAddress }))).network,
        sourceIPAddress,
      ).toBe(network);
  });
});
