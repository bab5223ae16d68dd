// The part of the moto estate for ECS services and Cognito: a cluster with a service running the
// `orders-worker` task definition, and a user pool open to sign-up. moto implements no
// GetIdentityPoolRoles, so identity pools are tested on snapshot documents instead
// (test/unit/aws-collector/ecs-cognito.test.ts).
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateClusterCommand, CreateServiceCommand, ECSClient } from '@aws-sdk/client-ecs';

interface Config {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export async function seedEcsAndCognito(config: Config, taskDefinition: string): Promise<void> {
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  await ecs.send(
    new CreateServiceCommand({ cluster: 'prod', serviceName: 'orders', taskDefinition, desiredCount: 1 }),
  );
  await new CognitoIdentityProviderClient(config).send(
    new CreateUserPoolCommand({
      PoolName: 'app-users',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    }),
  );
}
