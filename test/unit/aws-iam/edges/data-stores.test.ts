import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { PUBLIC_AWS } from '../../../../src/analyzers/aws-iam/authorizer/principal-ids.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { canAccess } from '../../../../src/analyzers/aws-iam/edges/can-access.js';
import type { AwsAccountData, AwsResourceData } from '../../../../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
} from '../../../helpers/aws-environment.js';

// CAN_ACCESS on the data stores beyond S3, KMS, Secrets Manager, DynamoDB and RDS: each service's
// resource policy with the same-account and cross-account rules of AWS's policy evaluation logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
// the public-resource finding, and the service-specific rules.

const PROD = '222222222222';
const TOOLING = '111111111111';
const OUTSIDE = '999999999999';
const REGION = 'us-east-1';
const QUEUE = `arn:aws:sqs:${REGION}:${PROD}:orders`;
const TOPIC = `arn:aws:sns:${REGION}:${PROD}:alerts`;
const REPOSITORY = `arn:aws:ecr:${REGION}:${PROD}:repository/team/app`;
const PARAMETER = `arn:aws:ssm:${REGION}:${PROD}:parameter/prod/db/password`;
const KEY = `arn:aws:kms:${REGION}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DOMAIN = `arn:aws:es:${REGION}:${PROD}:domain/search`;
const API = `arn:aws:execute-api:${REGION}:${PROD}:a1b2c3d4e5`;
const VAULT = `arn:aws:glacier:${REGION}:${PROD}:vaults/backups`;
const FUNCTION = `arn:aws:lambda:${REGION}:${PROD}:function:webhook`;

beforeAll(() => loadCatalog());

const lambdaTrust = trusts({ Service: ['lambda.amazonaws.com'] });
const derive = (...accounts: AwsAccountData[]) =>
  canAccess.derive(createAuthorizer(environment(...accounts)));
const regional = (r: AwsResourceData): AwsResourceData => ({ ...r, region: REGION });
const edgeOf = (out: ReturnType<typeof derive>, from: string, to: string) =>
  out.edges.find((e) => e.from === from && e.to === to);

describe('SQS queue policies', () => {
  const queuePolicy = doc(
    allow('sqs:SendMessage', QUEUE, { Principal: { AWS: [`arn:aws:iam::${TOOLING}:role/producer`] } }),
    allow('sqs:ReceiveMessage', QUEUE, { Principal: { AWS: [OUTSIDE] } }),
    allow('sqs:ReceiveMessage', QUEUE, { Principal: { AWS: [roleArn(PROD, 'consumer')] } }),
  );
  const estate = (producerPolicy?: ReturnType<typeof doc>) =>
    derive(
      account(PROD, {
        roles: [role(PROD, 'consumer', lambdaTrust)],
        resources: [regional(resource('sqs-queue', QUEUE, { policy: queuePolicy }))],
      }),
      account(TOOLING, {
        roles: [role(TOOLING, 'producer', lambdaTrust, producerPolicy ? { policy: producerPolicy } : {})],
      }),
    );

  it('a queue policy naming a principal of the same account grants by itself', () => {
    const out = estate();
    expect(edgeOf(out, roleArn(PROD, 'consumer'), QUEUE)).toMatchObject({
      toKind: 'AwsSqsQueue',
      properties: { levels: ['read'], actions: ['sqs:ReceiveMessage'] },
      // What the statement allows, then the queue.
      evidence: [
        expect.objectContaining({ source: 'resource-policy', ref: `${QUEUE}#policy`, statement: '#2' }),
        { source: 'resource-policy', ref: QUEUE, reason: 'on orders' },
      ],
    });
  });

  it('across accounts the caller’s identity policy must allow too', () => {
    expect(edgeOf(estate(), roleArn(TOOLING, 'producer'), QUEUE)).toBeUndefined();
    const out = estate(doc(allow('sqs:SendMessage', QUEUE)));
    expect(edgeOf(out, roleArn(TOOLING, 'producer'), QUEUE)?.properties).toMatchObject({
      levels: ['write'],
      actions: ['sqs:SendMessage'],
    });
  });

  it('an account that was not collected is an ExternalPrincipal, and nothing is public', () => {
    const out = estate();
    expect(edgeOf(out, `external:arn:aws:iam::${OUTSIDE}:root`, QUEUE)?.properties.actions).toEqual([
      'sqs:ReceiveMessage',
    ]);
    expect(out.findings).toEqual([]);
  });
});

describe('SQS queues encrypted with a KMS key', () => {
  const consumerPolicy = doc(
    allow('sqs:ReceiveMessage', QUEUE, { Principal: { AWS: [roleArn(PROD, 'consumer'), OUTSIDE] } }),
  );
  const queue = (kmsKeyId: string) =>
    regional(resource('sqs-queue', QUEUE, { policy: consumerPolicy, attributes: { kmsKeyId } }));

  it('the AWS managed key alias/aws/sqs lets its own account consume, no other account', () => {
    const out = derive(
      account(PROD, { roles: [role(PROD, 'consumer', lambdaTrust)], resources: [queue('alias/aws/sqs')] }),
    );
    expect(edgeOf(out, roleArn(PROD, 'consumer'), QUEUE)?.properties.actions).toEqual(['sqs:ReceiveMessage']);
    expect(edgeOf(out, `external:arn:aws:iam::${OUTSIDE}:root`, QUEUE)).toBeUndefined();
  });

  it('a customer managed key must let the consumer decrypt', () => {
    const key = regional(
      resource('kms-key', KEY, {
        policy: doc(allow('kms:Decrypt', '*', { Principal: { AWS: [`arn:aws:iam::${OUTSIDE}:root`] } })),
      }),
    );
    const out = derive(
      account(PROD, { roles: [role(PROD, 'consumer', lambdaTrust)], resources: [queue(KEY), key] }),
    );
    // The key policy names only the other account: the consumer of the queue's own account cannot decrypt.
    expect(edgeOf(out, roleArn(PROD, 'consumer'), QUEUE)).toBeUndefined();
    expect(edgeOf(out, `external:arn:aws:iam::${OUTSIDE}:root`, QUEUE)?.evidence.map((e) => e.ref)).toEqual([
      `${QUEUE}#policy`,
      `${KEY}#policy`,
    ]);
  });
});

describe('SNS topic policies', () => {
  // The policy SNS gives every new topic: anyone, on the condition that the caller is the topic's owner account.
  const defaultTopicPolicy = doc(
    allow(['SNS:GetTopicAttributes', 'SNS:Subscribe', 'SNS:Publish', 'SNS:SetTopicAttributes'], TOPIC, {
      Principal: { AWS: ['*'] },
      Condition: { StringEquals: { 'AWS:SourceOwner': [PROD] } },
    }),
  );

  it('the default topic policy grants callers nothing: AWS:SourceOwner is set only when a service calls', () => {
    const topic = regional(resource('sns-topic', TOPIC, { policy: defaultTopicPolicy }));
    const out = derive(
      account(PROD, {
        roles: [
          role(PROD, 'idle', lambdaTrust),
          role(PROD, 'publisher', lambdaTrust, { policy: doc(allow('sns:Publish', TOPIC)) }),
        ],
        resources: [topic],
      }),
    );
    expect(edgeOf(out, roleArn(PROD, 'idle'), TOPIC)).toBeUndefined();
    // Within the account the identity policy alone grants, and nothing is conditional.
    expect(edgeOf(out, roleArn(PROD, 'publisher'), TOPIC)?.properties).toEqual({
      levels: ['write'],
      actions: ['sns:Publish'],
    });
  });

  it('the default topic policy is not public: only the owner account can meet its condition', () => {
    const out = derive(
      account(PROD, { resources: [regional(resource('sns-topic', TOPIC, { policy: defaultTopicPolicy }))] }),
    );
    expect(out.edges.filter((e) => e.from === PUBLIC_AWS)).toEqual([]);
    expect(out.findings).toEqual([]);
  });

  it('a topic anyone may publish to and subscribe to is a public resource', () => {
    const policy = doc(allow(['sns:Publish', 'sns:Subscribe'], TOPIC, { Principal: '*' }));
    const out = derive(account(PROD, { resources: [regional(resource('sns-topic', TOPIC, { policy }))] }));
    expect(edgeOf(out, PUBLIC_AWS, TOPIC)?.properties).toMatchObject({
      actions: ['sns:Publish', 'sns:Subscribe'],
    });
    expect(out.findings).toEqual([
      expect.objectContaining({ rule: 'aws-resource-public', subject: TOPIC, severity: 'high' }),
    ]);
  });
});

describe('a grant to anyone pinned to the resource’s own account', () => {
  it('gives no Public edge: anyone outside the account cannot meet it; its own principals are decided one by one', () => {
    const policy = doc(
      allow('ecr:BatchGetImage', REPOSITORY, {
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': [PROD] } },
      }),
    );
    const out = derive(
      account(PROD, {
        roles: [role(PROD, 'puller', lambdaTrust)],
        resources: [regional(resource('ecr-repository', REPOSITORY, { policy }))],
      }),
    );
    expect(out.edges.filter((e) => e.from === PUBLIC_AWS)).toEqual([]);
    expect(out.findings).toEqual([]);
    expect(edgeOf(out, roleArn(PROD, 'puller'), REPOSITORY)?.properties.actions).toEqual([
      'ecr:BatchGetImage',
    ]);
  });
});

describe('ECR repository policies', () => {
  it('a repository anyone may pull from is public, with read access', () => {
    // AWS's example "allow public pull" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
    const policy = doc(
      allow(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], REPOSITORY, { Principal: { AWS: ['*'] } }),
    );
    const out = derive(
      account(PROD, { resources: [regional(resource('ecr-repository', REPOSITORY, { policy }))] }),
    );
    expect(edgeOf(out, PUBLIC_AWS, REPOSITORY)).toMatchObject({
      toKind: 'AwsEcrRepository',
      properties: { levels: ['read'], actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
    });
    expect((out.findings ?? []).map((f) => f.message)).toEqual([
      'app: its resource policy lets anyone read (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer)',
    ]);
  });

  it('a repository policy limited to the organization is conditional for anyone, and not a sure grant', () => {
    const policy = doc(
      allow('ecr:BatchGetImage', REPOSITORY, {
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-abc123'] } },
      }),
    );
    const out = derive(
      account(PROD, { resources: [regional(resource('ecr-repository', REPOSITORY, { policy }))] }),
    );
    expect((out.findings ?? []).map((f) => f.severity)).not.toContain('high');
  });
});

describe('Parameter Store SecureString parameters', () => {
  const secureString = (keyId: string) =>
    regional(
      resource('ssm-parameter', PARAMETER, {
        name: '/prod/db/password',
        attributes: { parameterType: 'SecureString', kmsKeyId: keyId },
      }),
    );
  const key = regional(
    resource('kms-key', KEY, {
      policy: doc(allow('kms:*', '*', { Principal: { AWS: [`arn:aws:iam::${PROD}:root`] } })),
      attributes: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
    }),
  );
  const reader = (extra: ReturnType<typeof allow>[] = []) =>
    role(PROD, 'app', lambdaTrust, { policy: doc(allow('ssm:GetParameter', PARAMETER), ...extra) });

  it('reading the value needs kms:Decrypt on its customer managed key too', () => {
    const without = derive(account(PROD, { roles: [reader()], resources: [secureString(KEY), key] }));
    expect(edgeOf(without, roleArn(PROD, 'app'), PARAMETER)).toBeUndefined();

    const withDecrypt = derive(
      account(PROD, { roles: [reader([allow('kms:Decrypt', KEY)])], resources: [secureString(KEY), key] }),
    );
    const e = edgeOf(withDecrypt, roleArn(PROD, 'app'), PARAMETER);
    expect(e?.properties).toMatchObject({ levels: ['read'], actions: ['ssm:GetParameter'] });
    expect(e?.properties.conditional).toBeUndefined();
    expect(e?.evidence.map((r) => r.ref)).toEqual(
      expect.arrayContaining([`${roleArn(PROD, 'app')}#inline/inline`, `${KEY}#policy`]),
    );
  });

  it('a key named by its alias is found among the collected keys', () => {
    const aliased = { ...key, name: 'alias/params' };
    const out = derive(
      account(PROD, {
        roles: [reader([allow('kms:Decrypt', KEY)])],
        resources: [secureString('alias/params'), aliased],
      }),
    );
    expect(edgeOf(out, roleArn(PROD, 'app'), PARAMETER)?.properties.levels).toEqual(['read']);
  });

  it('the AWS managed key alias/aws/ssm serves every principal of its account through Parameter Store', () => {
    const out = derive(account(PROD, { roles: [reader()], resources: [secureString('alias/aws/ssm')] }));
    expect(edgeOf(out, roleArn(PROD, 'app'), PARAMETER)?.properties).toMatchObject({ levels: ['read'] });
  });

  it('a key that was not collected leaves the read conditional on kms:Decrypt', () => {
    const other = `arn:aws:kms:${REGION}:${PROD}:key/ffffffff-0000-0000-0000-000000000000`;
    const out = derive(account(PROD, { roles: [reader()], resources: [secureString(other)] }));
    expect(edgeOf(out, roleArn(PROD, 'app'), PARAMETER)?.properties).toMatchObject({
      levels: ['read'],
      conditional: true,
      conditions: ['kms:Decrypt'],
    });
  });

  it('writing a SecureString needs no decryption, and a String parameter none at all', () => {
    const writer = role(PROD, 'writer', lambdaTrust, {
      policy: doc(allow(['ssm:PutParameter', 'ssm:GetParameter'], PARAMETER)),
    });
    const out = derive(account(PROD, { roles: [writer], resources: [secureString(KEY), key] }));
    expect(edgeOf(out, roleArn(PROD, 'writer'), PARAMETER)?.properties).toMatchObject({
      levels: ['write'],
      actions: ['ssm:PutParameter'],
    });
    const plain = regional(resource('ssm-parameter', PARAMETER, { attributes: { parameterType: 'String' } }));
    const read = derive(account(PROD, { roles: [reader()], resources: [plain] }));
    expect(edgeOf(read, roleArn(PROD, 'app'), PARAMETER)?.properties.levels).toEqual(['read']);
  });
});

describe('OpenSearch access policies', () => {
  it('an access policy open to anyone from an address range is conditionally public', () => {
    const policy = doc(
      allow('es:ESHttpGet', `${DOMAIN}/*`, {
        Principal: { AWS: ['*'] },
        Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
      }),
    );
    const out = derive(
      account(PROD, { resources: [regional(resource('opensearch-domain', DOMAIN, { policy }))] }),
    );
    expect(edgeOf(out, PUBLIC_AWS, DOMAIN)?.properties).toMatchObject({
      actions: ['es:ESHttpGet'],
      conditional: true,
      conditions: ['aws:SourceIp'],
    });
    expect(out.findings).toEqual([expect.objectContaining({ subject: DOMAIN, severity: 'medium' })]);
  });
});

describe('API Gateway REST APIs', () => {
  // AWS's private API example: anyone may invoke, unless the request comes through another VPC endpoint
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
  const privatePolicy = doc(
    allow('execute-api:Invoke', `${API}/*`, { Principal: '*' }),
    deny('execute-api:Invoke', `${API}/*`, {
      Principal: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] } },
    }),
  );

  it('a private API’s resource policy admits anyone through its VPC endpoint: conditional, on the methods', () => {
    const api = regional(
      resource('api-gateway-rest-api', API, {
        policy: privatePolicy,
        attributes: { endpointType: 'PRIVATE' },
      }),
    );
    const out = derive(account(PROD, { resources: [api] }));
    const e = edgeOf(out, PUBLIC_AWS, API);
    expect(e?.properties).toMatchObject({
      actions: ['execute-api:Invoke'],
      conditional: true,
      conditions: ['aws:SourceVpce'],
    });
    expect(e?.evidence[0]?.reason).toContain(`${API.split(':').pop()}’s objects *`);
  });

  it('an identity allowed execute-api:Invoke on an API method reaches the API', () => {
    const api = regional(
      resource('api-gateway-rest-api', API, {
        policy: doc(
          allow('execute-api:Invoke', `${API}/prod/GET/*`, { Principal: { AWS: [roleArn(PROD, 'caller')] } }),
        ),
      }),
    );
    const out = derive(account(PROD, { roles: [role(PROD, 'caller', lambdaTrust)], resources: [api] }));
    expect(edgeOf(out, roleArn(PROD, 'caller'), API)?.properties.actions).toEqual(['execute-api:Invoke']);
  });

  it('an API without a resource policy is not decided (its methods’ authorization was not collected)', () => {
    const api = regional(resource('api-gateway-rest-api', API, { attributes: { endpointType: 'REGIONAL' } }));
    const admin = role(PROD, 'admin', lambdaTrust, { policy: doc(allow('*')) });
    const out = derive(account(PROD, { roles: [admin], resources: [api] }));
    expect(out.edges.filter((e) => e.to === API)).toEqual([]);
  });
});

describe('Glacier vault access policies', () => {
  it('a vault policy granting another account is an ExternalPrincipal edge', () => {
    const policy = doc(
      allow(['glacier:InitiateJob', 'glacier:GetJobOutput'], VAULT, {
        Principal: { AWS: [`arn:aws:iam::${OUTSIDE}:root`] },
      }),
    );
    const out = derive(
      account(PROD, { resources: [regional(resource('glacier-vault', VAULT, { policy }))] }),
    );
    expect(edgeOf(out, `external:arn:aws:iam::${OUTSIDE}:root`, VAULT)).toMatchObject({
      toKind: 'AwsGlacierVault',
      properties: { actions: ['glacier:GetJobOutput', 'glacier:InitiateJob'] },
    });
  });
});

describe('Lambda function URLs', () => {
  // AWS's example for AuthType NONE (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
  const urlPolicy = doc(
    allow('lambda:InvokeFunctionUrl', FUNCTION, {
      Principal: '*',
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': ['NONE'] } },
    }),
  );
  const fn = (attributes: Record<string, string>, policy = urlPolicy) =>
    regional(resource('lambda-function', FUNCTION, { policy, attributes }));

  it('a URL with AuthType NONE whose policy admits anyone lets anyone invoke the function', () => {
    const out = derive(
      account(PROD, {
        resources: [fn({ functionUrlAuthType: 'NONE', functionUrlCreated: '2024-03-01T00:00:00Z' })],
      }),
    );
    expect(edgeOf(out, PUBLIC_AWS, FUNCTION)).toMatchObject({
      toKind: 'AwsLambdaFunction',
      properties: { actions: ['lambda:InvokeFunctionUrl'] },
    });
    expect(edgeOf(out, PUBLIC_AWS, FUNCTION)?.properties.conditional).toBeUndefined();
    expect(out.findings).toEqual([
      expect.objectContaining({ rule: 'aws-resource-public', subject: FUNCTION, severity: 'high' }),
    ]);
  });

  it('a URL with AuthType AWS_IAM is not public', () => {
    const out = derive(account(PROD, { resources: [fn({ functionUrlAuthType: 'AWS_IAM' })] }));
    expect(out.edges).toEqual([]);
    expect(out.findings).toEqual([]);
  });

  it('a URL created from October 2025 on needs lambda:InvokeFunction for anyone as well', () => {
    const recent = { functionUrlAuthType: 'NONE', functionUrlCreated: '2025-11-02T10:00:00Z' };
    expect(derive(account(PROD, { resources: [fn(recent)] })).edges).toEqual([]);
    const both = doc(
      ...urlPolicy.Statement.map(({ index: _, ...s }) => s as Parameters<typeof doc>[0]),
      allow('lambda:InvokeFunction', FUNCTION, {
        Principal: '*',
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': ['true'] } },
      }),
    );
    const out = derive(account(PROD, { resources: [fn(recent, both)] }));
    expect(edgeOf(out, PUBLIC_AWS, FUNCTION)?.properties.actions).toEqual([
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
    ]);
  });

  it('callers’ own permissions play no part: no identity gets an edge to a function', () => {
    const admin = role(PROD, 'admin', lambdaTrust, { policy: doc(allow('*')) });
    const out = derive(account(PROD, { roles: [admin], resources: [fn({ functionUrlAuthType: 'NONE' })] }));
    expect(out.edges.map((e) => e.from)).toEqual([PUBLIC_AWS]);
  });
});
