// Data resources guarded by resource policies: S3 bucket policies and KMS key policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
import { describe, expect, it } from 'vitest';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws, cites, edge, lines, organization, rootArn, withOrg } from './harness.js';

const A = '111111111111';
const B = '222222222222';
const MGMT = '333333333333';
const EXT = '999999999999';
const BUCKET = 'arn:aws:s3:::reports';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const objects = `${BUCKET}/*`;

const access = (out: Awaited<ReturnType<typeof analyzeAws>>, to: string) =>
  lines(out, 'CAN_ACCESS').filter((l) => l.endsWith(to) || l.endsWith(`${to} ?`));

const bucket = (policy: ReturnType<typeof doc>) => resource('s3-bucket', BUCKET, { accountId: A, policy });

describe('S3 bucket policies', () => {
  it('granting another account’s root needs the identity side there: only the user allowed s3:GetObject', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          resources: [
            bucket(
              doc({
                Sid: 'PartnerRead',
                Effect: 'Allow',
                Principal: { AWS: [rootArn(B)] },
                Action: 's3:GetObject',
                Resource: objects,
              }),
            ),
          ],
        }),
        account(B, {
          users: [
            user(B, 'reader', { policy: doc({ ...allow('s3:GetObject', objects), Sid: 'Read' }) }),
            user(B, 'other'),
          ],
        }),
      ),
    );
    const reader = access(out, BUCKET).filter((l) => l.includes(userArn(B, 'reader')));
    expect(reader).toEqual([`CAN_ACCESS ${userArn(B, 'reader')} -> ${BUCKET}`]);
    expect(access(out, BUCKET).some((l) => l.includes(userArn(B, 'other')))).toBe(false);
    expect(cites(edge(out, 'CAN_ACCESS', userArn(B, 'reader'), BUCKET))).toEqual([
      `identity-policy ${userArn(B, 'reader')}#inline/inline Read`,
      `resource-policy ${BUCKET}#policy PartnerRead`,
    ]);
  });

  it('granting a specific role of another account still needs that role’s identity grant', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          resources: [
            bucket(
              doc({
                Effect: 'Allow',
                Principal: { AWS: [roleArn(B, 'etl'), roleArn(B, 'idle')] },
                Action: 's3:GetObject',
                Resource: objects,
              }),
            ),
          ],
        }),
        account(B, {
          roles: [
            role(B, 'etl', trusts({ Service: ['glue.amazonaws.com'] }), {
              policy: doc(allow('s3:GetObject', '*')),
            }),
            role(B, 'idle', trusts({ Service: ['glue.amazonaws.com'] })),
          ],
        }),
      ),
    );
    expect(access(out, BUCKET)).toEqual([`CAN_ACCESS ${roleArn(B, 'etl')} -> ${BUCKET}`]);
  });

  it('a same-account user named by the bucket policy needs no identity permission', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [user(A, 'analyst')],
          resources: [
            bucket(
              doc({
                Effect: 'Allow',
                Principal: { AWS: [userArn(A, 'analyst')] },
                Action: 's3:GetObject',
                Resource: objects,
              }),
            ),
          ],
        }),
      ),
    );
    expect(access(out, BUCKET)).toEqual([`CAN_ACCESS ${userArn(A, 'analyst')} -> ${BUCKET}`]);
    expect(edge(out, 'CAN_ACCESS', userArn(A, 'analyst'), BUCKET)?.properties.levels).toEqual(['read']);
  });

  it('a public bucket restricted by aws:SourceVpce is a conditional Public edge naming the key', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          resources: [
            bucket(
              doc({
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: objects,
                Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] } },
              }),
            ),
          ],
        }),
      ),
    );
    const pub = out.edges.filter((e) => e.type === 'CAN_ACCESS' && e.to === BUCKET);
    expect(pub.map((e) => [e.properties.conditional, e.properties.conditions])).toEqual([
      [true, ['aws:SourceVpce']],
    ]);
  });

  it('an explicit Deny unless aws:PrincipalOrgID keeps out a granted outsider and lets org members through', async () => {
    const env = withOrg(
      environment(
        account(A, {
          users: [user(A, 'member', { policy: doc(allow('s3:GetObject', objects)) })],
          resources: [
            bucket(
              doc(
                {
                  Effect: 'Allow',
                  Principal: { AWS: [rootArn(EXT)] },
                  Action: 's3:GetObject',
                  Resource: objects,
                },
                {
                  Sid: 'DenyOutsideOrg',
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 's3:*',
                  Resource: [BUCKET, objects],
                  Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ['o-exampleorgid'] } },
                },
              ),
            ),
          ],
        }),
        account(EXT, { users: [user(EXT, 'partner', { policy: doc(allow('s3:*')) })] }),
      ),
      organization(MGMT, [A]),
    );
    const out = await analyzeAws(env);
    expect(access(out, BUCKET)).toEqual([`CAN_ACCESS ${userArn(A, 'member')} -> ${BUCKET}`]);
  });
});

describe('KMS key policies', () => {
  const key = (policy: ReturnType<typeof doc>) => resource('kms-key', KEY, { policy });
  const users = [
    user(A, 'app', { policy: doc(allow(['kms:Decrypt', 'kms:Encrypt'], '*')) }),
    user(A, 'nothing'),
  ];

  it('without root delegation an identity policy alone gives no access; the named role needs none', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users,
          roles: [role(A, 'keyuser', trusts({ Service: ['ec2.amazonaws.com'] }))],
          resources: [
            key(
              doc({
                Sid: 'KeyUser',
                Effect: 'Allow',
                Principal: { AWS: [roleArn(A, 'keyuser')] },
                Action: 'kms:Decrypt',
                Resource: '*',
              }),
            ),
          ],
        }),
      ),
    );
    expect(access(out, KEY)).toEqual([`CAN_ACCESS ${roleArn(A, 'keyuser')} -> ${KEY}`]);
    expect(cites(edge(out, 'CAN_ACCESS', roleArn(A, 'keyuser'), KEY))).toEqual([
      `resource-policy ${KEY}#policy KeyUser`,
    ]);
  });

  it('the default key policy (root delegation) lets the identity policy decide', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users,
          resources: [
            key(
              doc({
                Sid: 'Enable IAM User Permissions',
                Effect: 'Allow',
                Principal: { AWS: [rootArn(A)] },
                Action: 'kms:*',
                Resource: '*',
              }),
            ),
          ],
        }),
      ),
    );
    expect(access(out, KEY).filter((l) => l.includes(':user/'))).toEqual([
      `CAN_ACCESS ${userArn(A, 'app')} -> ${KEY}`,
    ]);
    expect(cites(edge(out, 'CAN_ACCESS', userArn(A, 'app'), KEY))).toContain(
      `resource-policy ${KEY}#policy Enable IAM User Permissions`,
    );
  });

  it('kms:ViaService in the identity policy makes the access conditional on that key', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [
            user(A, 'app', {
              policy: doc(
                allow('kms:Decrypt', KEY, {
                  Condition: { StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } },
                }),
              ),
            }),
          ],
          resources: [
            key(doc({ Effect: 'Allow', Principal: { AWS: [rootArn(A)] }, Action: 'kms:*', Resource: '*' })),
          ],
        }),
      ),
    );
    const e = edge(out, 'CAN_ACCESS', userArn(A, 'app'), KEY);
    expect(e?.properties).toMatchObject({ conditional: true, conditions: ['kms:ViaService'] });
  });

  it('a key whose policy was not collected is read with the default key policy, and the evidence says so', async () => {
    const out = await analyzeAws(environment(account(A, { users, resources: [resource('kms-key', KEY)] })));
    // Every KMS key has a key policy; when it is missing the analyzer assumes the default one
    // (root delegation), names that assumption in the evidence and marks the edge conditional on it.
    expect(access(out, KEY)).toEqual([`CAN_ACCESS ${userArn(A, 'app')} -> ${KEY} ?`]);
    const keyEvidence = edge(out, 'CAN_ACCESS', userArn(A, 'app'), KEY)?.evidence.find(
      (x) => x.source === 'resource-policy',
    );
    expect(keyEvidence?.reason).toMatch(/not collected/);
  });
});
