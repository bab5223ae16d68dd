// Techniques and federations that need ECS services and Cognito pools.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html
import { describe, expect, it } from 'vitest';
import { UNAUTHENTICATED_SCOPE_DOWN } from '../../../src/analyzers/aws-iam/edges/cognito-identity.js';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { MemoryPathQueries } from '../../../src/answers/questions.js';
import type { AwsResourceData } from '../../../src/model/aws/environment.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  trusts,
  user,
  userArn,
} from '../../helpers/aws-environment.js';
import { analyzeAws, cites, edge, lines } from './harness.js';

const A = '111111111111';
const TASKS = trusts({ Service: ['ecs-tasks.amazonaws.com'] });

describe('iam:PassRole + ecs:RegisterTaskDefinition + ecs:UpdateService', () => {
  const admin = role(A, 'task-admin', TASKS, { policy: doc(allow('*', '*')) });
  const service = resource('ecs-service', `arn:aws:ecs:eu-west-1:${A}:service/prod/web`, {
    name: 'prod/web',
    attributes: { taskDefinition: `arn:aws:ecs:eu-west-1:${A}:task-definition/web:3` },
  });
  const deployer = (actions: string[]) => user(A, 'deployer', { policy: doc(allow(actions, '*')) });
  const collected = { 'iam-get-account-authorization-details': true, 'ecs-list-clusters': true };
  const ID = 'ecs-passrole-updateservice';

  it('updating a collected service to a task definition running as a passable role reaches the role', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [deployer(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService'])],
          roles: [admin],
          resources: [service],
          collected,
        }),
      ),
    );
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'deployer'), admin.arn);
    expect(e?.properties.technique).toBe(ID);
    expect(e?.properties.requires).toBeUndefined();
    expect(e?.evidence[0]?.reason).toContain('update ECS service prod/web to run it');
    expect(cites(e)).toContain(`workload-spec ${service.arn}`);
  });

  it('no service in a collected account: no edge from this technique', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [deployer(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService'])],
          roles: [admin],
          collected,
        }),
      ),
    );
    expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
  });

  it('services not collected: the edge requires an existing service', async () => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [deployer(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService'])],
          roles: [admin],
        }),
      ),
    );
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'deployer'), admin.arn);
    expect(e?.properties.technique).toBe(ID);
    expect(e?.properties.requires).toEqual([
      'an existing ECS service (clusters and services were not collected)',
    ]);
  });

  it('without ecs:UpdateService, or without iam:PassRole, there is no edge', async () => {
    for (const actions of [
      ['iam:PassRole', 'ecs:RegisterTaskDefinition'],
      ['ecs:RegisterTaskDefinition', 'ecs:UpdateService'],
    ]) {
      const out = await analyzeAws(
        environment(
          account(A, { users: [deployer(actions)], roles: [admin], resources: [service], collected }),
        ),
      );
      expect(lines(out, 'CAN_ESCALATE')).toEqual([]);
    }
  });
});

describe('ECS prerequisites decided from the collected clusters and task definitions', () => {
  const admin = role(A, 'task-admin', TASKS, { policy: doc(allow('*', '*')) });
  const runner = user(A, 'runner', {
    policy: doc(allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], '*')),
  });
  const cluster = resource('ecs-cluster', `arn:aws:ecs:eu-west-1:${A}:cluster/prod`, { name: 'prod' });
  const requiresOf = async (resources: AwsResourceData[], collected: Record<string, boolean>) => {
    const out = await analyzeAws(
      environment(
        account(A, {
          users: [runner],
          roles: [admin],
          resources,
          collected: { 'iam-get-account-authorization-details': true, ...collected },
        }),
      ),
    );
    const e = edge(out, 'CAN_ESCALATE', userArn(A, 'runner'), admin.arn);
    return { technique: e?.properties.technique, requires: e?.properties.requires, cites: cites(e) };
  };

  it('a collected cluster: ecs-004 needs nothing more and names the cluster', async () => {
    expect(await requiresOf([cluster], { 'ecs-list-clusters': true })).toMatchObject({
      technique: 'ecs-004',
      requires: undefined,
      cites: expect.arrayContaining([`workload-spec ${cluster.arn}`]),
    });
  });

  it('no cluster in a collected account, or clusters not collected: ecs-004 says what it requires', async () => {
    expect((await requiresOf([], { 'ecs-list-clusters': true })).requires).toEqual([
      'an ECS cluster (the account has none)',
    ]);
    expect((await requiresOf([], {})).requires).toEqual(['an ECS cluster (not collected)']);
  });
});

describe('ECS container instances decided from the collected clusters', () => {
  it('ecs-005 (RegisterTaskDefinition + StartTask) needs a cluster with a container instance', async () => {
    const admin = role(A, 'task-admin', TASKS, { policy: doc(allow('*', '*')) });
    const starter = user(A, 'starter', {
      policy: doc(allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'], '*')),
    });
    const run = async (containerInstances: number) => {
      const cluster = resource('ecs-cluster', `arn:aws:ecs:eu-west-1:${A}:cluster/prod`, {
        name: 'prod',
        attributes: { containerInstances },
      });
      const out = await analyzeAws(
        environment(
          account(A, {
            users: [starter],
            roles: [admin],
            resources: [cluster],
            collected: { 'iam-get-account-authorization-details': true, 'ecs-list-clusters': true },
          }),
        ),
      );
      return edge(out, 'CAN_ESCALATE', userArn(A, 'starter'), admin.arn)?.properties.requires;
    };
    expect(await run(2)).toBeUndefined();
    expect(await run(0)).toEqual(['an ECS cluster with an EC2 container instance (the account has none)']);
  });
});

describe('Cognito identity pools', () => {
  const POOL_ID = 'eu-west-1:11111111-2222-3333-4444-555555555555';
  const USER_POOL = 'eu-west-1_Example';
  const PROVIDER = `cognito-idp.eu-west-1.amazonaws.com/${USER_POOL}`;
  // The trust policy the Cognito console writes for a pool's roles.
  const cognitoTrust = (amr: string, aud = POOL_ID) =>
    doc({
      Effect: 'Allow',
      Principal: { Federated: ['cognito-identity.amazonaws.com'] },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': [aud] },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': [amr] },
      },
    });
  const guest = role(A, 'guest', cognitoTrust('unauthenticated'));
  const member = role(A, 'member', cognitoTrust('authenticated'));
  const pool = (attributes: AwsResourceData['attributes']): AwsResourceData =>
    resource('cognito-identity-pool', `arn:aws:cognito-identity:eu-west-1:${A}:identitypool/${POOL_ID}`, {
      name: 'app',
      attributes: { identityPoolId: POOL_ID, ...attributes },
    });
  const userPool = (selfSignUp: boolean): AwsResourceData =>
    resource('cognito-user-pool', `arn:aws:cognito-idp:eu-west-1:${A}:userpool/${USER_POOL}`, {
      name: 'users',
      region: 'eu-west-1',
      attributes: { userPoolId: USER_POOL, selfSignUp },
    });
  const analyze = (resources: AwsResourceData[]) =>
    analyzeAws(environment(account(A, { roles: [guest, member], resources })));

  it('the unauthenticated role of a pool that allows unauthenticated identities is anyone’s, scoped down', async () => {
    const out = await analyze([
      pool({
        allowUnauthenticatedIdentities: true,
        unauthenticatedRole: guest.arn,
        authenticatedRole: member.arn,
      }),
    ]);
    // Anyone holds only what the role and Cognito's session policy both allow: not the role itself.
    expect(lines(out, 'FEDERATES_TO')).toEqual([]);
    const found = out.findings.find((f) => f.rule === 'aws-role-public-through-cognito');
    expect(found).toMatchObject({ subject: guest.arn, severity: 'medium' });
    expect(found?.message).toContain(
      'scoped down to what AmazonCognitoUnAuthedIdentitiesSessionPolicy allows',
    );
    expect(cites({ evidence: found?.evidence ?? [] } as unknown as Parameters<typeof cites>[0])).toEqual([
      `iam-binding ${pool({}).arn}`,
      `session-policy ${UNAUTHENTICATED_SCOPE_DOWN.id}`,
      `trust-policy ${guest.arn}#trust #0`,
    ]);
  });

  it('a pool that does not allow unauthenticated identities gives anyone nothing', async () => {
    const out = await analyze([
      pool({
        allowUnauthenticatedIdentities: false,
        unauthenticatedRole: guest.arn,
        authenticatedRole: member.arn,
      }),
    ]);
    expect(lines(out, 'FEDERATES_TO')).toEqual([]);
  });

  it('a role whose trust names another pool is not reachable through this one', async () => {
    const other = role(
      A,
      'other',
      cognitoTrust('unauthenticated', 'eu-west-1:99999999-0000-0000-0000-000000000000'),
    );
    const out = await analyzeAws(
      environment(
        account(A, {
          roles: [other],
          resources: [pool({ allowUnauthenticatedIdentities: true, unauthenticatedRole: other.arn })],
        }),
      ),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([]);
  });

  it('the authenticated role is anyone’s when the pool’s user pool lets users sign themselves up', async () => {
    const identity = pool({ authenticatedRole: member.arn, userPoolProviders: [PROVIDER] });
    const open = await analyze([identity, userPool(true)]);
    expect(lines(open, 'FEDERATES_TO')).toEqual([`FEDERATES_TO public:aws -> ${member.arn}`]);
    expect(cites(edge(open, 'FEDERATES_TO', 'public:aws', member.arn))).toContain(
      `iam-binding ${userPool(true).arn}`,
    );
    const closed = await analyze([identity, userPool(false)]);
    expect(lines(closed, 'FEDERATES_TO')).toEqual([]);
  });

  describe('the scope-down of unauthenticated identities (enhanced flow) and the basic flow without it', () => {
    // https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html ("Access policies")
    const BUCKET = 'arn:aws:s3:::app-uploads';
    const KEY = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const wide = role(A, 'guest', cognitoTrust('unauthenticated'), {
      policy: doc(allow(['s3:*', 'kms:*'], '*')),
    });
    const estate = (attributes: AwsResourceData['attributes']) =>
      environment(
        account(A, {
          roles: [wide],
          resources: [
            resource('s3-bucket', BUCKET),
            {
              ...resource('kms-key', KEY, {
                policy: doc(allow('kms:*', '*', { Principal: { AWS: [`arn:aws:iam::${A}:root`] } })),
              }),
              region: 'eu-west-1',
            },
            pool({ allowUnauthenticatedIdentities: true, unauthenticatedRole: wide.arn, ...attributes }),
          ],
        }),
      );
    const answers = async (env: ReturnType<typeof estate>) => {
      const analysis = await analyzeAws(env);
      const inventory = buildAwsInventory(env, analysis, { sourceName: 'test' });
      return {
        analysis,
        queries: new MemoryPathQueries(
          MemoryGraph.fromInventory(validateInventory(inventory, 'cognito test')),
        ),
      };
    };

    it('enhanced flow: anyone reaches what the session policy allows (KMS), not the role’s S3 access', async () => {
      const { analysis, queries } = await answers(estate({}));
      const toKey = edge(analysis, 'CAN_ACCESS', 'public:aws', KEY);
      expect(toKey?.properties.actions).toEqual(
        expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']),
      );
      expect(toKey?.properties.actions).not.toContain('kms:ScheduleKeyDeletion');
      expect(cites(toKey)).toContain(`session-policy ${UNAUTHENTICATED_SCOPE_DOWN.id}`);
      expect(cites(toKey)).toContain(`trust-policy ${wide.arn}#trust #0`);
      expect(edge(analysis, 'CAN_ACCESS', 'public:aws', BUCKET)).toBeUndefined();
      // The role itself keeps its own access, for whoever else holds it.
      expect(edge(analysis, 'CAN_ACCESS', wide.arn, BUCKET)).toBeDefined();
      const reached = await queries.reach({ from: 'public:aws', to: 'type=AwsS3Bucket' });
      expect(reached).toEqual([]);
      const keys = await queries.reach({ from: 'public:aws', to: 'type=AwsKmsKey' });
      expect(keys.map((r) => r.resource)).toEqual([KEY]);
    });

    it('basic flow allowed: anyone assumes the role unscoped and reaches the bucket through it', async () => {
      const { analysis, queries } = await answers(estate({ allowClassicFlow: true }));
      const e = edge(analysis, 'FEDERATES_TO', 'public:aws', wide.arn);
      expect(e?.evidence.at(-1)?.reason).toContain('GetOpenIdToken');
      expect(cites(e)).not.toContain(`session-policy ${UNAUTHENTICATED_SCOPE_DOWN.id}`);
      const reached = await queries.reach({ from: 'public:aws', to: 'type=AwsS3Bucket' });
      expect(reached.map((r) => r.resource)).toEqual([BUCKET]);
      expect(reached[0]?.path.map((p) => `${p.type} ${p.to}`)).toEqual([
        `FEDERATES_TO ${wide.arn}`,
        `CAN_ACCESS ${BUCKET}`,
      ]);
    });
  });

  it('the basic (classic) flow lets anyone assume any role whose trust admits the pool', async () => {
    const out = await analyze([pool({ allowUnauthenticatedIdentities: true, allowClassicFlow: true })]);
    expect(lines(out, 'FEDERATES_TO')).toEqual([`FEDERATES_TO public:aws -> ${guest.arn}`]);
    expect(edge(out, 'FEDERATES_TO', 'public:aws', guest.arn)?.evidence.at(-1)?.reason).toContain(
      'basic (classic) flow',
    );
  });

  describe('cognitoidentity-001 (iam:PassRole + SetIdentityPoolRoles) with the pools collected', () => {
    const binder = (actions: string[]) => user(A, 'binder', { policy: doc(allow(actions, '*')) });
    const strong = role(A, 'strong', cognitoTrust('unauthenticated'), { policy: doc(allow('s3:*', '*')) });
    const run = (actions: string[], attributes: AwsResourceData['attributes']) =>
      analyzeAws(
        environment(
          account(A, {
            users: [binder(actions)],
            roles: [strong],
            resources: [pool(attributes)],
            collected: {
              'iam-get-account-authorization-details': true,
              'cognito-identity-list-identity-pools': true,
            },
          }),
        ),
      );
    const BIND = ['iam:PassRole', 'cognito-identity:SetIdentityPoolRoles'];

    it('a pool allowing unauthenticated identities: the edge names it and requires nothing', async () => {
      const e = edge(
        await run(BIND, { allowUnauthenticatedIdentities: true }),
        'CAN_ESCALATE',
        userArn(A, 'binder'),
        strong.arn,
      );
      expect(e?.properties).toMatchObject({ technique: 'cognitoidentity-001' });
      expect(e?.properties.requires).toBeUndefined();
      expect(cites(e)).toContain(`iam-binding ${pool({}).arn}`);
    });

    it('a pool without unauthenticated identities needs cognito-identity:UpdateIdentityPool too', async () => {
      const closed = { allowUnauthenticatedIdentities: false };
      expect(edge(await run(BIND, closed), 'CAN_ESCALATE', userArn(A, 'binder'), strong.arn)).toBeUndefined();
      const e = edge(
        await run([...BIND, 'cognito-identity:UpdateIdentityPool'], closed),
        'CAN_ESCALATE',
        userArn(A, 'binder'),
        strong.arn,
      );
      expect(e?.evidence[0]?.reason).toContain('after allowing them with UpdateIdentityPool');
    });
  });

  it('Cognito trusts are no longer reported as OIDC trusts admitting any subject', async () => {
    const out = await analyze([]);
    expect(out.findings.filter((f) => f.rule === 'aws-oidc-trust-any-subject')).toEqual([]);
    expect(lines(out, 'FEDERATES_TO')).toEqual([]);
  });
});

describe('web identity providers named by domain', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_user-id.html
  it('a trust naming accounts.google.com federates the subject it pins (it was an unknown principal before)', async () => {
    const trust = doc({
      Effect: 'Allow',
      Principal: { Federated: ['accounts.google.com'] },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'accounts.google.com:aud': ['66677788899900pro0'],
          'accounts.google.com:sub': ['123456789012345678901'],
        },
      },
    });
    const out = await analyzeAws(environment(account(A, { roles: [role(A, 'google-app', trust)] })));
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:accounts.google.com:123456789012345678901 -> arn:aws:iam::${A}:role/google-app`,
    ]);
    expect(out.issues.filter((i) => i.message.includes('unknown principal'))).toEqual([]);
  });
});
