import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import { PUBLIC_AWS } from '../../../src/analyzers/aws-iam/authorizer/principal-ids.js';
import { awsInventory } from '../../../src/collectors/aws/inventory.js';
import { readAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../../src/collectors/aws/transform.js';
import type { AwsAccountData, AwsEnvironment } from '../../../src/model/aws/environment.js';
import { validateInventory } from '../../../src/model/validate.js';

// The data stores' snapshot layout (docs/snapshots.md) read end to end: the AWS CLI's own output
// for SQS, SNS, ECR, Parameter Store, EFS, OpenSearch, API Gateway, Glacier and Lambda function
// URLs, transformed, classified and analyzed.

const FIXTURE = join(import.meta.dirname, '../../fixtures/aws-collector/data-stores');
const A = '111122223333';
const R = 'eu-west-1';
const REGION_DIR = `aws/${A}/${R}`;
const APP = `arn:aws:iam::${A}:role/app`;
const PARTNER = 'external:arn:aws:iam::444455556666:root';
const arn = {
  queue: `arn:aws:sqs:${R}:${A}:orders`,
  topic: `arn:aws:sns:${R}:${A}:alerts`,
  repository: `arn:aws:ecr:${R}:${A}:repository/team/app`,
  password: `arn:aws:ssm:${R}:${A}:parameter/prod/db/password`,
  flags: `arn:aws:ssm:${R}:${A}:parameter/prod/feature-flags`,
  home: `arn:aws:elasticfilesystem:${R}:${A}:file-system/fs-0123456789abcdef0`,
  data: `arn:aws:elasticfilesystem:${R}:${A}:file-system/fs-0fedcba9876543210`,
  domain: `arn:aws:es:${R}:${A}:domain/search`,
  privateApi: `arn:aws:execute-api:${R}:${A}:a1b2c3d4e5`,
  publicSite: `arn:aws:execute-api:${R}:${A}:f6g7h8i9j0`,
  vault: `arn:aws:glacier:${R}:${A}:vaults/backups`,
  webhook: `arn:aws:lambda:${R}:${A}:function:webhook`,
};

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function transformed(edit?: (dir: string) => Promise<void>): Promise<AwsEnvironment> {
  if (!edit) return transformAws(await readAwsSnapshot(FIXTURE));
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-data-stores-'));
  temporary.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  await edit(dir);
  return transformAws(await readAwsSnapshot(dir));
}

const account = (env: AwsEnvironment) => env.accounts[0] as AwsAccountData;
const byArn = (env: AwsEnvironment, id: string) => account(env).resources.find((r) => r.arn === id);

describe('the data stores’ snapshot documents', () => {
  it('become resources with their ARNs, names, tags and attributes, without errors', async () => {
    const env = await transformed();
    expect(account(env).issues.filter((i) => i.severity !== 'info')).toEqual([]);
    const types = account(env).resources.map((r) => `${r.type} ${r.arn}`);
    expect(types.sort()).toEqual(
      [
        `api-gateway-rest-api ${arn.privateApi}`,
        `api-gateway-rest-api ${arn.publicSite}`,
        `ecr-repository ${arn.repository}`,
        `efs-file-system ${arn.data}`,
        `efs-file-system ${arn.home}`,
        `glacier-vault ${arn.vault}`,
        `lambda-function ${arn.webhook}`,
        `opensearch-domain ${arn.domain}`,
        `sns-topic ${arn.topic}`,
        `sqs-queue ${arn.queue}`,
        `ssm-parameter ${arn.flags}`,
        `ssm-parameter ${arn.password}`,
      ].sort(),
    );
    expect(byArn(env, arn.queue)).toMatchObject({
      name: 'orders',
      region: R,
      tags: { env: 'prod' },
      attributes: { kmsKeyId: 'alias/aws/sqs' },
      policy: { id: `${arn.queue}#policy`, document: { Statement: [{ Sid: 'PartnerSend' }] } },
    });
    // No ARN in describe-parameters: built from the name, without its leading slash.
    expect(byArn(env, arn.password)).toMatchObject({
      name: '/prod/db/password',
      tags: { 'data-classification': 'secret' },
      attributes: { parameterType: 'SecureString', kmsKeyId: 'alias/aws/ssm' },
    });
    expect(byArn(env, arn.repository)?.policy?.document.Statement[0]?.Principal).toBe('*');
    expect(byArn(env, arn.domain)?.policy?.document.Statement[0]?.Resource).toEqual([`${arn.domain}/*`]);
    expect(byArn(env, arn.vault)?.policy?.document.Statement[0]?.Sid).toBe('AuditRead');
    expect(byArn(env, arn.webhook)?.attributes).toMatchObject({
      functionUrlAuthType: 'NONE',
      functionUrlCreated: '2024-05-01T12:00:00.000Z',
    });
  });

  it('reads an API Gateway policy with escaped quotes and the execute-api:/ shorthand', async () => {
    const api = byArn(await transformed(), arn.privateApi);
    expect(api).toMatchObject({
      name: 'internal-orders',
      tags: { env: 'prod' },
      attributes: { endpointType: 'PRIVATE' },
    });
    expect(api?.policy?.document.Statement.map((s) => [s.Effect, s.Resource])).toEqual([
      ['Allow', [`${arn.privateApi}/*`]],
      ['Deny', [`${arn.privateApi}/*`]],
    ]);
  });

  it('gives a file system without a policy EFS’s default policy, and one with a policy its own', async () => {
    const env = await transformed();
    expect(byArn(env, arn.home)).toMatchObject({
      name: 'shared-home',
      attributes: { defaultPolicy: true, encrypted: true },
      policy: { id: `${arn.home}#default-policy`, document: { Statement: [{ Principal: { AWS: ['*'] } }] } },
    });
    expect(byArn(env, arn.data)?.policy?.id).toBe(`${arn.data}#policy`);
    expect(byArn(env, arn.data)?.attributes?.defaultPolicy).toBeUndefined();
  });

  it('a failed policy call or a policy command never run is not "no policy": no default policy then', async () => {
    const failed = await transformed(async (dir) => {
      await writeFile(
        join(dir, REGION_DIR, 'efs-describe-file-system-policy/fs-0123456789abcdef0.error'),
        'An error occurred (AccessDeniedException) when calling the DescribeFileSystemPolicy operation',
      );
    });
    expect(byArn(failed, arn.home)?.policy).toBeUndefined();
    expect(account(failed).issues).toContainEqual(
      expect.objectContaining({ severity: 'error', object: 'fs-0123456789abcdef0' }),
    );

    const neverAsked = await transformed(async (dir) => {
      await rm(join(dir, REGION_DIR, 'efs-describe-file-system-policy'), { recursive: true });
    });
    expect(byArn(neverAsked, arn.home)?.policy).toBeUndefined();
    expect(account(neverAsked).collected['efs-describe-file-system-policy']).toBe(false);
  });

  it('a missing list is recorded as not collected', async () => {
    const env = await transformed(async (dir) => {
      await rm(join(dir, REGION_DIR, 'sqs-list-queues.json'));
    });
    expect(byArn(env, arn.queue)).toBeUndefined();
    expect(account(env).collected['sqs-list-queues']).toBe(false);
  });

  it('builds a valid inventory: each resource its node kind, a data store with a sensitivity', async () => {
    const { inventory } = validateInventory(
      awsInventory(await transformed(), { now: new Date('2025-01-01') }),
      'fixture',
    );
    const node = (id: string) => inventory.nodes.find((n) => n.id === id);
    expect(node(arn.queue)?.kind).toBe('AwsSqsQueue');
    expect(node(arn.password)?.kind).toBe('AwsSsmParameter');
    expect(node(arn.password)?.properties).toMatchObject({
      sensitivity: 'high',
      parameterType: 'SecureString',
    });
    expect(node(arn.vault)?.properties.sensitivity).toBe('high');
    expect(node(arn.privateApi)?.kind).toBe('AwsApiGatewayRestApi');
    expect(node(arn.home)?.kind).toBe('AwsEfsFileSystem');
    expect(node(arn.domain)?.kind).toBe('AwsOpenSearchDomain');
    expect(node(arn.repository)?.kind).toBe('AwsEcrRepository');
    expect(node(arn.topic)?.kind).toBe('AwsSnsTopic');
  });
});

describe('the data stores analyzed', () => {
  it('finds what is public, and only that', async () => {
    const analysis = await analyzeAws(await transformed());
    const flagged = analysis.findings
      .filter((f) => f.rule === 'aws-resource-public')
      .map((f) => [f.subject, f.severity])
      .sort();
    expect(flagged).toEqual(
      [
        [arn.repository, 'high'],
        [arn.webhook, 'high'],
        // The default EFS policy admits any client reaching a mount target; OpenSearch anyone from an
        // address range; the private API anyone through its VPC endpoint: all on conditions.
        [arn.home, 'medium'],
        [arn.domain, 'medium'],
        [arn.privateApi, 'medium'],
      ].sort(),
    );
    // The SNS default topic policy is the owner account's; the queue and the vault name one partner account.
    const publicTargets = analysis.edges.filter((e) => e.from === PUBLIC_AWS).map((e) => e.to);
    expect(publicTargets).not.toContain(arn.topic);
    expect(publicTargets).not.toContain(arn.publicSite);
  });

  it('gives the identity, partner and SecureString grants their edges', async () => {
    const { edges } = await analyzeAws(await transformed());
    const access = (from: string, to: string) =>
      edges.find((e) => e.type === 'CAN_ACCESS' && e.from === from && e.to === to)?.properties;
    expect(access(APP, arn.queue)).toMatchObject({ levels: ['write'], actions: ['sqs:SendMessage'] });
    expect(access(PARTNER, arn.queue)).toMatchObject({ actions: ['sqs:SendMessage'] });
    expect(access(PARTNER, arn.vault)).toMatchObject({
      actions: ['glacier:GetJobOutput', 'glacier:InitiateJob'],
    });
    // alias/aws/ssm serves the account's principals: the app reads both parameters.
    expect(access(APP, arn.password)).toMatchObject({ levels: ['read'], actions: ['ssm:GetParameter'] });
    expect(access(APP, arn.flags)).toMatchObject({ levels: ['read'] });
    // The file system policy names the app over TLS (a condition the caller chooses).
    expect(access(APP, arn.data)).toMatchObject({
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
    });
  });
});

describe('RDS instances with IAM database authentication', () => {
  const instance = (name: string, dbi: string, iamAuth: boolean) => ({
    DBInstanceIdentifier: name,
    DBInstanceArn: `arn:aws:rds:${R}:${A}:db:${name}`,
    DbiResourceId: dbi,
    IAMDatabaseAuthenticationEnabled: iamAuth,
    Engine: 'postgres',
    TagList: [],
  });
  // The AWS CLI's describe-db-instances output, and a login policy from the RDS documentation's example.
  const withDatabases = () =>
    transformed(async (dir) => {
      await writeFile(
        join(dir, REGION_DIR, 'rds-describe-db-clusters.json'),
        JSON.stringify({
          DBClusters: [
            {
              DBClusterIdentifier: 'reports',
              DBClusterArn: `arn:aws:rds:${R}:${A}:cluster:reports`,
              DbClusterResourceId: 'cluster-REPORTS000000001',
              IAMDatabaseAuthenticationEnabled: true,
              Engine: 'aurora-postgresql',
              TagList: [],
            },
          ],
        }),
      );
      await writeFile(
        join(dir, REGION_DIR, 'rds-describe-db-instances.json'),
        JSON.stringify({
          DBInstances: [
            instance('orders', 'db-ORDERS0000000001', true),
            instance('legacy', 'db-LEGACY000000001', false),
          ],
        }),
      );
      const details = join(dir, `aws/${A}/iam-get-account-authorization-details.json`);
      const document = JSON.parse(await readFile(details, 'utf8'));
      document.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement.push({
        Sid: 'Login',
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: `arn:aws:rds-db:${R}:${A}:dbuser:*/app`,
      });
      await writeFile(details, JSON.stringify(document));
    });

  it('keeps each instance’s DbiResourceId, each cluster’s DbClusterResourceId, and whether IAM authentication is enabled', async () => {
    const env = await withDatabases();
    expect(byArn(env, `arn:aws:rds:${R}:${A}:cluster:reports`)).toMatchObject({
      type: 'rds-cluster',
      attributes: { dbiResourceId: 'cluster-REPORTS000000001', iamDatabaseAuthentication: true },
    });
    expect(byArn(env, `arn:aws:rds:${R}:${A}:db:orders`)?.attributes).toMatchObject({
      dbiResourceId: 'db-ORDERS0000000001',
      iamDatabaseAuthentication: true,
    });
    expect(byArn(env, `arn:aws:rds:${R}:${A}:db:legacy`)?.attributes).toMatchObject({
      iamDatabaseAuthentication: false,
    });
  });

  it('a login as a DB user reaches the data of the instance that accepts IAM logins only', async () => {
    const { edges } = await analyzeAws(await withDatabases());
    const access = (to: string) =>
      edges.find(
        (e) => e.type === 'CAN_ACCESS' && e.from === APP && e.to === `arn:aws:rds:${R}:${A}:db:${to}`,
      );
    expect(access('orders')?.properties).toMatchObject({
      levels: ['read', 'write'],
      actions: ['rds-db:connect'],
    });
    expect(
      access('orders')
        ?.evidence.map((e) => e.reason)
        .join(' '),
    ).toContain('as db user "app"');
    expect(access('legacy')).toBeUndefined();
    const cluster = edges.find(
      (e) => e.type === 'CAN_ACCESS' && e.from === APP && e.to === `arn:aws:rds:${R}:${A}:cluster:reports`,
    );
    expect(cluster?.properties).toMatchObject({ levels: ['read', 'write'], actions: ['rds-db:connect'] });
  });
});
