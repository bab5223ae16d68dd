// ECS clusters and services, Cognito identity and user pools, read from the AWS CLI's own output
// (shapes from the CLI reference examples:
// https://docs.aws.amazon.com/cli/latest/reference/ecs/describe-services.html
// https://docs.aws.amazon.com/cli/latest/reference/cognito-identity/describe-identity-pool.html
// https://docs.aws.amazon.com/cli/latest/reference/cognito-identity/get-identity-pool-roles.html
// https://docs.aws.amazon.com/cli/latest/reference/cognito-idp/describe-user-pool.html).
import { describe, expect, it } from 'vitest';
import { perResource, regional } from '../../../src/collectors/aws/raw.js';
import { transformAws } from '../../../src/collectors/aws/transform.js';
import type { AwsAccountData } from '../../../src/model/aws/environment.js';

const A = '111122223333';
const R = 'us-east-1';
const POOL = 'us-east-1:177a950c-2c08-43f0-9983-28727EXAMPLE';
const USER_POOL = 'us-east-1_EXAMPLE';
const role = (name: string) => `arn:aws:iam::${A}:role/${name}`;
const details = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };

function read(documents: Record<string, unknown>, errors: Record<string, string> = {}): AwsAccountData {
  const env = transformAws({
    accounts: {
      [A]: {
        documents: { 'iam-get-account-authorization-details': details, ...documents },
        ran: [],
        errors,
      },
    },
  });
  return env.accounts[0] as AwsAccountData;
}

const ecsDocuments = {
  [regional('ecs-list-task-definitions', R)]: {
    taskDefinitionArns: [`arn:aws:ecs:${R}:${A}:task-definition/web:3`],
  },
  [perResource('ecs-describe-task-definition', 'web:3', R)]: {
    taskDefinition: { taskRoleArn: role('web-task'), family: 'web', revision: 3 },
  },
  [regional('ecs-list-clusters', R)]: { clusterArns: [`arn:aws:ecs:${R}:${A}:cluster/prod`] },
  [perResource('ecs-list-container-instances', 'prod', R)]: {
    containerInstanceArns: [
      `arn:aws:ecs:${R}:${A}:container-instance/prod/f2756532-8f13-4d53-87c9-aed50dc94cd7`,
    ],
  },
  [perResource('ecs-list-services', 'prod', R)]: {
    serviceArns: [`arn:aws:ecs:${R}:${A}:service/prod/web`],
  },
  [perResource('ecs-describe-services', 'prod/web', R)]: {
    services: [
      {
        serviceArn: `arn:aws:ecs:${R}:${A}:service/prod/web`,
        serviceName: 'web',
        clusterArn: `arn:aws:ecs:${R}:${A}:cluster/prod`,
        status: 'ACTIVE',
        taskDefinition: `arn:aws:ecs:${R}:${A}:task-definition/web:3`,
      },
    ],
    failures: [],
  },
};

const cognitoDocuments = {
  [regional('cognito-identity-list-identity-pools', R)]: {
    IdentityPools: [{ IdentityPoolId: POOL, IdentityPoolName: 'MyIdentityPool' }],
  },
  [perResource('cognito-identity-describe-identity-pool', POOL, R)]: {
    IdentityPoolId: POOL,
    IdentityPoolName: 'MyIdentityPool',
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: false,
    SupportedLoginProviders: { 'accounts.google.com': '123456789012.apps.googleusercontent.com' },
    CognitoIdentityProviders: [
      {
        ProviderName: `cognito-idp.${R}.amazonaws.com/${USER_POOL}`,
        ClientId: '3n4b5urk1ft4fl3mg5e62d9ado',
        ServerSideTokenCheck: false,
      },
    ],
  },
  [perResource('cognito-identity-get-identity-pool-roles', POOL, R)]: {
    IdentityPoolId: POOL,
    Roles: {
      authenticated: role('Cognito_MyIdentityPoolAuth_Role'),
      unauthenticated: role('Cognito_MyIdentityPoolUnauth_Role'),
    },
    RoleMappings: {
      [`cognito-idp.${R}.amazonaws.com/${USER_POOL}:3n4b5urk1ft4fl3mg5e62d9ado`]: {
        Type: 'Rules',
        AmbiguousRoleResolution: 'AuthenticatedRole',
        RulesConfiguration: {
          Rules: [
            { Claim: 'custom:group', MatchType: 'Equals', Value: 'admins', RoleARN: role('pool-admins') },
          ],
        },
      },
    },
  },
  [regional('cognito-idp-list-user-pools', R)]: { UserPools: [{ Id: USER_POOL, Name: 'MyUserPool' }] },
  [perResource('cognito-idp-describe-user-pool', USER_POOL, R)]: {
    UserPool: {
      Id: USER_POOL,
      Name: 'MyUserPool',
      Arn: `arn:aws:cognito-idp:${R}:${A}:userpool/${USER_POOL}`,
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
    },
  },
};

describe('ECS clusters and services', () => {
  it('reads each service with the task definition it runs and that definition’s task role', () => {
    const a = read(ecsDocuments);
    const service = a.resources.find((r) => r.type === 'ecs-service');
    expect(service).toMatchObject({
      arn: `arn:aws:ecs:${R}:${A}:service/prod/web`,
      name: 'prod/web',
      region: R,
      roleArns: [role('web-task')],
      attributes: {
        clusterArn: `arn:aws:ecs:${R}:${A}:cluster/prod`,
        status: 'ACTIVE',
        taskDefinition: `arn:aws:ecs:${R}:${A}:task-definition/web:3`,
      },
    });
    expect(a.collected['ecs-list-clusters']).toBe(true);
    expect(a.resources.find((r) => r.type === 'ecs-cluster')).toMatchObject({
      name: 'prod',
      attributes: { containerInstances: 1 },
    });
    expect(a.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a failed describe-services is an error naming its file, the other services are still read', () => {
    const a = read(ecsDocuments, {
      [perResource('ecs-describe-services', 'prod/web', R)]: 'AccessDeniedException: not allowed',
    });
    expect(a.resources.filter((r) => r.type === 'ecs-service')).toEqual([]);
    expect(a.issues.filter((i) => i.severity === 'error').map((i) => i.source)).toEqual([
      `aws/${A}/${R}/ecs-describe-services/prod%2Fweb.json`,
    ]);
  });

  it('clusters not collected: the account says so (techniques then state what they require)', () => {
    const a = read({});
    expect(a.collected['ecs-list-clusters']).toBe(false);
  });
});

describe('Cognito identity pools and user pools', () => {
  it('reads unauthenticated access, flows, providers and roles of an identity pool', () => {
    const a = read(cognitoDocuments);
    const pool = a.resources.find((r) => r.type === 'cognito-identity-pool');
    expect(pool).toMatchObject({
      arn: `arn:aws:cognito-identity:${R}:${A}:identitypool/${POOL}`,
      name: 'MyIdentityPool',
      attributes: {
        identityPoolId: POOL,
        allowUnauthenticatedIdentities: true,
        allowClassicFlow: false,
        loginProviders: ['accounts.google.com'],
        userPoolProviders: [`cognito-idp.${R}.amazonaws.com/${USER_POOL}`],
        authenticatedRole: role('Cognito_MyIdentityPoolAuth_Role'),
        unauthenticatedRole: role('Cognito_MyIdentityPoolUnauth_Role'),
        ruleRoles: [role('pool-admins')],
        tokenRoleMapping: [],
      },
    });
  });

  it('reads whether a user pool lets users sign themselves up', () => {
    const open = read(cognitoDocuments).resources.find((r) => r.type === 'cognito-user-pool');
    expect(open?.attributes).toEqual({ userPoolId: USER_POOL, selfSignUp: true });
    const closed = read({
      ...cognitoDocuments,
      [perResource('cognito-idp-describe-user-pool', USER_POOL, R)]: {
        UserPool: {
          Id: USER_POOL,
          Name: 'MyUserPool',
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        },
      },
    }).resources.find((r) => r.type === 'cognito-user-pool');
    expect(closed).toMatchObject({
      arn: `arn:aws:cognito-idp:${R}:${A}:userpool/${USER_POOL}`,
      attributes: { selfSignUp: false },
    });
  });

  it('a malformed pool document is an error naming the file, not a crash', () => {
    const a = read({
      ...cognitoDocuments,
      [perResource('cognito-identity-describe-identity-pool', POOL, R)]: {
        AllowUnauthenticatedIdentities: 'yes',
      },
    });
    expect(a.issues.filter((i) => i.severity === 'error').map((i) => i.source)).toEqual([
      `aws/${A}/${R}/cognito-identity-describe-identity-pool/${POOL.replace(':', '%3A')}.json`,
    ]);
  });
});
