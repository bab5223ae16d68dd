import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../src/analyzers/aws-iam/analyze.js';
import { awsInventory } from '../../src/collectors/aws/inventory.js';
import { getAwsLive } from '../../src/collectors/aws/live.js';
import { readAwsSnapshot, writeAwsSnapshot } from '../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../src/collectors/aws/transform.js';
import type { AwsEnvironment } from '../../src/model/aws/environment.js';
import { validateInventory } from '../../src/model/validate.js';
import { PARTNER_ACCOUNT } from '../helpers/moto-data-stores.js';
import {
  MOTO_ACCOUNT as ACCOUNT,
  iamArn as arn,
  MOTO_CREDENTIALS as credentials,
  MOTO_REGION as REGION,
  seedMotoEnvironment,
} from '../helpers/moto-environment.js';
import { type MotoServer, startMoto } from '../setup/moto.js';

let moto: MotoServer;
let snapshotDir: string;
let live: AwsEnvironment;
let fromSnapshot: AwsEnvironment;
const now = new Date('2030-01-01T00:00:00Z');

beforeAll(async () => {
  moto = await startMoto((message) => console.log(`[moto] ${message}`));
  await seedMotoEnvironment(moto.endpoint);
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
    // GetBucketAcl: the owner's grant is the owner's, AllUsers by its group; no ownership controls set.
    expect(bucket?.attributes?.aclGrants).toEqual(['owner FULL_CONTROL', 'AllUsers READ']);
    expect(bucket?.attributes?.objectOwnership).toBeUndefined();
    expect(live.accounts[0]?.collected['s3api-get-bucket-ownership-controls']).toBe(true);

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

  it('collects the data stores with their policies, keys, tags and the function URL', () => {
    const resources = live.accounts[0]?.resources ?? [];
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const at = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

    expect(ofType('sqs-queue')[0]).toMatchObject({ arn: at('sqs', 'orders-events'), tags: { env: 'prod' } });
    expect(ofType('sqs-queue')[0]?.policy?.document.Statement[0]).toMatchObject({
      Sid: 'PartnerSend',
      Principal: { AWS: [`arn:aws:iam::${PARTNER_ACCOUNT}:root`] },
    });
    // SNS gives a new topic its default policy: anyone, if the caller is the owner account.
    expect(ofType('sns-topic')[0]).toMatchObject({ arn: at('sns', 'alerts'), tags: { team: 'ops' } });
    expect(ofType('sns-topic')[0]?.policy?.document.Statement[0]?.Principal).toEqual({ AWS: ['*'] });
    expect(ofType('ecr-repository')[0]).toMatchObject({
      arn: at('ecr', 'repository/team/app'),
      tags: { env: 'prod' },
      policy: { document: { Statement: [{ Sid: 'PublicPull', Principal: '*' }] } },
    });
    expect(ofType('ssm-parameter')[0]).toMatchObject({
      arn: at('ssm', 'parameter/prod/db/password'),
      tags: { 'data-classification': 'secret' },
      attributes: { parameterType: 'SecureString', kmsKeyId: 'alias/aws/ssm' },
    });
    const fileSystems = ofType('efs-file-system');
    expect(fileSystems.find((f) => f.name === 'shared-home')?.policy?.id).toMatch(/#default-policy$/);
    expect(fileSystems.find((f) => f.name !== 'shared-home')?.policy?.document.Statement[0]?.Sid).toBe(
      'AppMount',
    );
    expect(ofType('opensearch-domain')[0]).toMatchObject({
      arn: at('es', 'domain/search'),
      policy: { document: { Statement: [{ Resource: [at('es', 'domain/search/*')] }] } },
    });
    const api = ofType('api-gateway-rest-api')[0];
    expect(api).toMatchObject({ name: 'internal-orders', attributes: { endpointType: 'PRIVATE' } });
    expect(api?.policy?.document.Statement[0]?.Resource).toEqual([`${api?.arn}/*`]);
    expect(ofType('lambda-function')[0]?.attributes).toMatchObject({ functionUrlAuthType: 'NONE' });
    // Never a parameter's value.
    expect(JSON.stringify(live)).not.toContain('never-collected');
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

  it('gives anyone the access the bucket ACL grants, with the grant as evidence', async () => {
    const { edges, findings } = await analyzeAws(live, { asOf: now });
    const bucket = 'arn:aws:s3:::prod-customer-data';
    const open = edges.find((e) => e.type === 'CAN_ACCESS' && e.from === 'public:aws' && e.to === bucket);
    expect(open?.properties).toMatchObject({ levels: ['list'] });
    expect(open?.evidence).toEqual([
      expect.objectContaining({ source: 'bucket-acl', ref: `${bucket}#acl`, statement: 'AllUsers READ' }),
    ]);
    expect(findings.filter((f) => f.subject === bucket).map((f) => f.message)).toEqual([
      'prod-customer-data: its ACL lets anyone list (READ: s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads)',
    ]);
  });

  it('collects ECS services with the task role they run as, and Cognito user pools', () => {
    const resources = live.accounts[0]?.resources ?? [];
    const byType = (type: string) => resources.filter((r) => r.type === type);
    expect(byType('ecs-service')).toEqual([
      expect.objectContaining({
        name: 'prod/orders',
        roleArns: [arn('role', 'workload-runner')],
        attributes: expect.objectContaining({ clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod` }),
      }),
    ]);
    expect(byType('cognito-user-pool')).toEqual([
      expect.objectContaining({
        name: 'app-users',
        attributes: expect.objectContaining({ selfSignUp: true }),
      }),
    ]);
    expect(live.accounts[0]?.collected).toMatchObject({
      'ecs-list-clusters': true,
      'cognito-identity-list-identity-pools': true,
      'cognito-idp-list-user-pools': true,
    });
  });
});
