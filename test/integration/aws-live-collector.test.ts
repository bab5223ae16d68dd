import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AttachPolicyCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrganizationPolicyCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsEnvironment } from '../../src/collectors/aws/environment.js';
import { awsInventory } from '../../src/collectors/aws/inventory.js';
import { getAwsLive } from '../../src/collectors/aws/live.js';
import { readAwsSnapshot, writeAwsSnapshot } from '../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../src/collectors/aws/transform.js';
import { validateInventory } from '../../src/model/validate.js';
import { type MotoServer, startMoto } from '../setup/moto.js';

// moto's fixed account and a fixed region; the credentials are moto's dummies, set for this file only.
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const json = (value: unknown) => JSON.stringify(value);

let moto: MotoServer;
let snapshotDir: string;
let live: AwsEnvironment;
let fromSnapshot: AwsEnvironment;
const now = new Date('2030-01-01T00:00:00Z');

/** A small estate: CI user with a key, a human, a GitHub OIDC role, an instance role, a Lambda, data stores. */
async function seed(endpoint: string): Promise<void> {
  const config = { region: REGION, endpoint, credentials };
  const iam = new IAMClient(config);
  await iam.send(new CreateGroupCommand({ GroupName: 'deployers' }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: 'deployers',
      PolicyName: 'read-artifacts',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' },
        ],
      }),
    }),
  );
  const deploy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'deploy',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: '*' }],
      }),
    }),
  );
  const deployArn = deploy.Policy?.Arn as string;
  await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: deployArn,
      SetAsDefault: true,
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Deploy',
            Effect: 'Allow',
            Action: ['lambda:UpdateFunctionCode', 'iam:PassRole'],
            Resource: '*',
          },
        ],
      }),
    }),
  );
  const boundary = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'ci-boundary',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['lambda:*', 's3:*'], Resource: '*' }],
      }),
    }),
  );
  await iam.send(
    new CreateUserCommand({ UserName: 'ci-deployer', Tags: [{ Key: 'team', Value: 'platform' }] }),
  );
  await iam.send(new AddUserToGroupCommand({ UserName: 'ci-deployer', GroupName: 'deployers' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'ci-deployer', PolicyArn: deployArn }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-1' }));

  const github = await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'github-deploy',
      PermissionsBoundary: boundary.Policy?.Arn,
      AssumeRolePolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: github.OpenIDConnectProviderArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
            },
          },
        ],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'github-deploy',
      PolicyName: 'deploy-orders',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:*',
            Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/prod-orders`,
          },
        ],
      }),
    }),
  );
  const ec2Trust = json({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'app-instance',
      AssumeRolePolicyDocument: ec2Trust,
      Tags: [{ Key: 'env', Value: 'prod' }],
    }),
  );
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-instance-profile' }));
  await iam.send(
    new AddRoleToInstanceProfileCommand({
      InstanceProfileName: 'app-instance-profile',
      RoleName: 'app-instance',
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'orders-handler-exec',
      AssumeRolePolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );

  const ec2 = new EC2Client(config);
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId,
      MinCount: 1,
      MaxCount: 1,
      IamInstanceProfile: { Name: 'app-instance-profile' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'prod-app-1' }] }],
    }),
  );

  const lambda = new LambdaClient(config);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'orders-handler',
      Runtime: 'python3.12',
      Role: arn('role', 'orders-handler-exec'),
      Handler: 'index.handler',
      Code: { ZipFile: new Uint8Array([80, 75, 5, 6, ...new Array(18).fill(0)]) },
      Tags: { env: 'production' },
    }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'orders-handler',
      StatementId: 'AllowS3',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceAccount: ACCOUNT,
    }),
  );

  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'prod-customer-data' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'prod-customer-data',
      Policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InstanceRead',
            Effect: 'Allow',
            Principal: { AWS: arn('role', 'app-instance') },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::prod-customer-data/*',
          },
        ],
      }),
    }),
  );
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: 'prod-customer-data',
      Tagging: { TagSet: [{ Key: 'data-classification', Value: 'confidential' }] },
    }),
  );

  const kms = new KMSClient(config);
  const key = await kms.send(
    new CreateKeyCommand({
      Description: 'orders data',
      Tags: [{ TagKey: 'env', TagValue: 'prod' }],
      Policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Root',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      }),
    }),
  );
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: key.KeyMetadata?.KeyId }));

  const sm = new SecretsManagerClient(config);
  await sm.send(new CreateSecretCommand({ Name: 'prod/db-password', SecretString: 'never-collected' }));
  await sm.send(
    new PutResourcePolicyCommand({
      SecretId: 'prod/db-password',
      ResourcePolicy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: arn('role', 'orders-handler-exec') },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          },
        ],
      }),
    }),
  );

  const organizations = new OrganizationsClient(config);
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const scp = await organizations.send(
    new CreateOrganizationPolicyCommand({
      Name: 'deny-leave',
      Description: 'no leaving',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
      }),
    }),
  );
  const roots = await organizations.send(new ListRootsCommand({}));
  await organizations.send(
    new AttachPolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id, TargetId: roots.Roots?.[0]?.Id }),
  );

  await new DynamoDBClient(config).send(
    new CreateTableCommand({
      TableName: 'prod-orders',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      Tags: [{ Key: 'data-classification', Value: 'restricted' }],
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto((message) => console.log(`[moto] ${message}`));
  await seed(moto.endpoint);
  const raw = await getAwsLive({ endpoint: moto.endpoint, region: REGION, credentials });
  live = transformAws(raw);
  snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-aws-snapshot-'));
  await writeAwsSnapshot(raw, snapshotDir);
  fromSnapshot = transformAws(await readAwsSnapshot(snapshotDir));
}, 900_000);

afterAll(async () => {
  await moto?.stop();
  if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
});

describe('live AWS collector against moto', () => {
  it('gives the same environment and inventory live and through a snapshot', () => {
    expect(fromSnapshot).toEqual(live);
    expect(awsInventory(fromSnapshot, { now })).toEqual(awsInventory(live, { now }));
  });

  it('collects users, groups, keys, boundary and policy versions', () => {
    const account = live.accounts[0];
    expect(live.accounts.map((a) => a.accountId)).toEqual([ACCOUNT]);
    const ci = account?.users.find((u) => u.name === 'ci-deployer');
    expect(ci?.groupArns).toEqual([arn('group', 'deployers')]);
    expect(ci?.attachedPolicyArns).toEqual([arn('policy', 'deploy')]);
    expect(ci?.accessKeys).toHaveLength(1);
    expect(ci?.accessKeys[0]?.accessKeyId).toMatch(/^AKIA/);
    expect(ci?.hasConsolePassword).toBe(false);
    expect(account?.users.find((u) => u.name === 'alice')?.hasConsolePassword).toBe(true);

    const group = account?.groups.find((g) => g.name === 'deployers');
    expect(group?.inlinePolicies[0]?.document.Statement[0]).toMatchObject({
      Sid: 'Read',
      Action: ['s3:GetObject'],
    });

    const deploy = account?.managedPolicies.find((p) => p.arn === arn('policy', 'deploy'));
    expect(deploy?.defaultVersionId).toBe('v2');
    expect(deploy?.policy.document.Statement[0]?.Action).toEqual([
      'lambda:UpdateFunctionCode',
      'iam:PassRole',
    ]);
    expect(deploy?.otherVersions.map((v) => v.versionId)).toEqual(['v1']);
  });

  it('collects roles with trust policies, the OIDC provider and the instance profile', () => {
    const account = live.accounts[0];
    const github = account?.roles.find((r) => r.name === 'github-deploy');
    const statement = github?.trustPolicy.document.Statement[0];
    expect(statement?.Principal).toEqual({
      Federated: [`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`],
    });
    expect(statement?.Condition?.StringLike).toEqual({
      'token.actions.githubusercontent.com:sub': ['repo:acme/app:ref:refs/heads/main'],
    });
    expect(github?.permissionsBoundaryArn).toBe(arn('policy', 'ci-boundary'));
    expect(github?.inlinePolicies.map((p) => p.id)).toEqual([
      `${arn('role', 'github-deploy')}#inline/deploy-orders`,
    ]);
    expect(account?.oidcProviders).toEqual([
      {
        arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
      },
    ]);
    expect(account?.instanceProfiles).toEqual([
      {
        arn: arn('instance-profile', 'app-instance-profile'),
        name: 'app-instance-profile',
        roleArns: [arn('role', 'app-instance')],
      },
    ]);
  });

  it('collects resources with their policies, tags and roles', () => {
    const resources = live.accounts[0]?.resources ?? [];
    const byType = (type: string) => resources.filter((r) => r.type === type);
    const bucket = byType('s3-bucket')[0];
    expect(bucket?.arn).toBe('arn:aws:s3:::prod-customer-data');
    expect(bucket?.tags).toEqual({ 'data-classification': 'confidential' });
    expect(bucket?.policy?.document.Statement[0]?.Sid).toBe('InstanceRead');

    const key = byType('kms-key')[0];
    expect(key?.name).toBe('alias/orders');
    expect(key?.policy?.document.Statement[0]?.Sid).toBe('Root');
    expect(key?.tags).toEqual({ env: 'prod' });

    const secret = byType('secret')[0];
    expect(secret?.name).toBe('prod/db-password');
    expect(secret?.policy?.document.Statement[0]?.Action).toEqual(['secretsmanager:GetSecretValue']);

    expect(byType('dynamodb-table')[0]).toMatchObject({
      arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/prod-orders`,
      tags: { 'data-classification': 'restricted' },
    });
    const fn = byType('lambda-function')[0];
    expect(fn).toMatchObject({ name: 'orders-handler', roleArns: [arn('role', 'orders-handler-exec')] });
    expect(fn?.policy?.document.Statement[0]?.Principal).toEqual({ Service: ['s3.amazonaws.com'] });
    expect(byType('ec2-instance')[0]).toMatchObject({
      name: 'prod-app-1',
      roleArns: [arn('role', 'app-instance')],
    });
  });

  it('collects the organization with its service control policies', () => {
    const organization = live.organization;
    expect(organization?.managementAccountId).toBe(ACCOUNT);
    expect(organization?.accounts.map((a) => a.id)).toContain(ACCOUNT);
    const scp = organization?.serviceControlPolicies.find((p) => p.policy.name === 'deny-leave');
    expect(scp?.targets).toEqual([organization?.rootId]);
    expect(scp?.policy.document.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Action: ['organizations:LeaveOrganization'],
    });
  });

  it('never keeps secret material', async () => {
    const text = JSON.stringify(await readAwsSnapshot(snapshotDir));
    expect(text).not.toContain('never-collected');
    expect(text).not.toContain('SecretAccessKey');
  });

  it('builds a valid inventory with classified principals and resources', () => {
    const { inventory } = validateInventory(awsInventory(live, { now }), 'moto');
    const node = (id: string) => inventory.nodes.find((n) => n.id === id);
    expect(node(arn('user', 'ci-deployer'))?.properties).toMatchObject({
      nonHuman: true,
      nhiType: 'ci-pipeline',
    });
    expect(node(arn('user', 'alice'))?.properties).toMatchObject({ nonHuman: false });
    expect(node(arn('role', 'app-instance'))?.properties).toMatchObject({
      nonHuman: true,
      nhiType: 'role',
      environment: 'production',
    });
    expect(node('arn:aws:s3:::prod-customer-data')?.properties).toMatchObject({
      environment: 'production',
      sensitivity: 'high',
    });
    const types = new Set(inventory.relationships.map((r) => `${r.type}:${r.from}->${r.to}`));
    expect(types).toContain(`MEMBER_OF:${arn('user', 'ci-deployer')}->${arn('group', 'deployers')}`);
    expect(types).toContain(`HAS_POLICY:${arn('role', 'github-deploy')}->${arn('policy', 'ci-boundary')}`);
    expect(inventory.relationships.filter((r) => r.type === 'HAS_CREDENTIAL')).toHaveLength(1);
    expect(inventory.scopes.map((s) => [s.id, s.complete])).toEqual([
      [`aws:${ACCOUNT}`, true],
      [`aws:organization/${live.organization?.id}`, true],
    ]);
  });
});
