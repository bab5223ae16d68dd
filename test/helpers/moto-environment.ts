// The estate the AWS collector tests seed into moto: a CI user with a key, a human, a GitHub OIDC
// role, an instance role, a Lambda, data stores, a container task, a build project, a notebook and
// an organization with an SCP and an OU, and the data stores of moto-data-stores.ts.
import { CodeBuildClient, CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
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
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateOrganizationPolicyCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  CreateSecretCommand,
  PutResourcePolicyCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { seedMotoDataStores } from './moto-data-stores.js';
import { seedEcsAndCognito } from './moto-ecs-cognito.js';

/** moto's fixed account, and the one region the estate lives in. */
export const MOTO_ACCOUNT = '123456789012';
export const MOTO_REGION = 'us-east-1';
/** moto's dummy credentials. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** An IAM ARN in moto's account: `iamArn('role', 'app-instance')`. */
export const iamArn = (kind: string, name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:${kind}/${name}`;
const json = (value: unknown) => JSON.stringify(value);

/** A small estate: CI user with a key, a human, a GitHub OIDC role, an instance role, a Lambda, data stores. */
export async function seedMotoEnvironment(endpoint: string): Promise<void> {
  const config = { region: MOTO_REGION, endpoint, credentials: MOTO_CREDENTIALS };
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
            Resource: `arn:aws:dynamodb:${MOTO_REGION}:${MOTO_ACCOUNT}:table/prod-orders`,
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
      Role: iamArn('role', 'orders-handler-exec'),
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
      SourceAccount: MOTO_ACCOUNT,
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
            Principal: { AWS: iamArn('role', 'app-instance') },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::prod-customer-data/*',
          },
        ],
      }),
    }),
  );
  // A public ACL (anyone lists the objects) besides the owner's full control.
  const { Owner } = await s3.send(new GetBucketAclCommand({ Bucket: 'prod-customer-data' }));
  await s3.send(
    new PutBucketAclCommand({
      Bucket: 'prod-customer-data',
      AccessControlPolicy: {
        Owner,
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: Owner?.ID }, Permission: 'FULL_CONTROL' },
          {
            Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
            Permission: 'READ',
          },
        ],
      },
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
            Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
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
            Principal: { AWS: iamArn('role', 'orders-handler-exec') },
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
  await organizations.send(
    new CreateOrganizationalUnitCommand({ ParentId: roots.Roots?.[0]?.Id, Name: 'workloads' }),
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

  // Compute that runs as a role: a container task, a build project and a notebook.
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'workload-runner',
      AssumeRolePolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: ['ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com', 'sagemaker.amazonaws.com'],
            },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  await new ECSClient(config).send(
    new RegisterTaskDefinitionCommand({
      family: 'orders-worker',
      taskRoleArn: iamArn('role', 'workload-runner'),
      containerDefinitions: [
        { name: 'worker', image: 'public.ecr.aws/docker/library/busybox:latest', memory: 128 },
      ],
      tags: [{ key: 'env', value: 'prod' }],
    }),
  );
  await new CodeBuildClient(config).send(
    new CreateProjectCommand({
      name: 'build-app',
      source: { type: 'S3', location: 'artifacts/app-source.zip' },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
      },
      serviceRole: iamArn('role', 'workload-runner'),
    }),
  );
  await new SageMakerClient(config).send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'research',
      InstanceType: 'ml.t3.medium',
      RoleArn: iamArn('role', 'workload-runner'),
    }),
  );
  await seedMotoDataStores(config, MOTO_ACCOUNT);
  await seedEcsAndCognito(config, 'orders-worker');
}
