// The data stores the AWS collector tests seed into moto next to the core estate: a queue shared
// with a partner account, a topic with SNS's default policy, a repository anyone may pull from, a
// SecureString parameter, two EFS file systems (one without a policy), an OpenSearch domain, a
// private REST API with a resource policy, and a public function URL on the existing Lambda.
import { APIGatewayClient, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { CreateRepositoryCommand, ECRClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateFileSystemCommand, EFSClient, PutFileSystemPolicyCommand } from '@aws-sdk/client-efs';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export const PARTNER_ACCOUNT = '444455556666';

interface Config {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const json = (value: unknown) => JSON.stringify(value);

export async function seedMotoDataStores(config: Config, account: string): Promise<void> {
  const at = (service: string, resource: string) =>
    `arn:aws:${service}:${config.region}:${account}:${resource}`;

  await new SQSClient(config).send(
    new CreateQueueCommand({
      QueueName: 'orders-events',
      Attributes: {
        Policy: json({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'PartnerSend',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
              Action: 'sqs:SendMessage',
              Resource: at('sqs', 'orders-events'),
            },
          ],
        }),
      },
      tags: { env: 'prod' },
    }),
  );

  await new SNSClient(config).send(
    new CreateTopicCommand({ Name: 'alerts', Tags: [{ Key: 'team', Value: 'ops' }] }),
  );

  const ecr = new ECRClient(config);
  await ecr.send(
    new CreateRepositoryCommand({ repositoryName: 'team/app', tags: [{ Key: 'env', Value: 'prod' }] }),
  );
  await ecr.send(
    new SetRepositoryPolicyCommand({
      repositoryName: 'team/app',
      policyText: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicPull',
            Effect: 'Allow',
            Principal: '*',
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          },
        ],
      }),
    }),
  );

  await new SSMClient(config).send(
    new PutParameterCommand({
      Name: '/prod/db/password',
      Type: 'SecureString',
      Value: 'never-collected',
      Tags: [{ Key: 'data-classification', Value: 'secret' }],
    }),
  );

  const efs = new EFSClient(config);
  await efs.send(
    new CreateFileSystemCommand({
      CreationToken: 'shared-home',
      Tags: [{ Key: 'Name', Value: 'shared-home' }],
    }),
  );
  const data = await efs.send(new CreateFileSystemCommand({ CreationToken: 'app-data' }));
  await efs.send(
    new PutFileSystemPolicyCommand({
      FileSystemId: data.FileSystemId,
      Policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AppMount',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:role/app-instance` },
            Action: ['elasticfilesystem:ClientMount'],
            Resource: data.FileSystemArn,
          },
        ],
      }),
    }),
  );

  await new OpenSearchClient(config).send(
    new CreateDomainCommand({
      DomainName: 'search',
      AccessPolicies: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'es:ESHttp*',
            Resource: at('es', 'domain/search/*'),
            Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
          },
        ],
      }),
    }),
  );

  await new APIGatewayClient(config).send(
    new CreateRestApiCommand({
      name: 'internal-orders',
      endpointConfiguration: { types: ['PRIVATE'] },
      policy: json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        ],
      }),
      tags: { env: 'prod' },
    }),
  );

  const lambda = new LambdaClient(config);
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders-handler', AuthType: 'NONE' }));
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'orders-handler',
      StatementId: 'FunctionURLAllowPublicAccess',
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      // Not FunctionUrlAuthType: moto writes it into the statement as an element of its own
      // rather than as the lambda:FunctionUrlAuthType condition AWS writes.
    }),
  );
}
