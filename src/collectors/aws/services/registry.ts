import type { AwsResourceType } from '../../../model/aws/environment.js';
import { apigateway } from './apigateway.js';
import { cloudformation } from './cloudformation.js';
import { codebuild } from './codebuild.js';
import { cognitoIdentity } from './cognito-identity.js';
import { cognitoIdp } from './cognito-idp.js';
import { dynamodb } from './dynamodb.js';
import { ec2 } from './ec2.js';
import { ecr } from './ecr.js';
import { ecs } from './ecs.js';
import { efs } from './efs.js';
import { eks } from './eks.js';
import { glacier } from './glacier.js';
import { glue } from './glue.js';
import { kms } from './kms.js';
import { lambda } from './lambda.js';
import { opensearch } from './opensearch.js';
import { rds } from './rds.js';
import { s3 } from './s3.js';
import { sagemaker } from './sagemaker.js';
import { secretsManager } from './secretsmanager.js';
import type { AwsResourceKind, AwsService } from './service.js';
import { sns } from './sns.js';
import { sqs } from './sqs.js';
import { ssm } from './ssm.js';

/**
 * Rejects two services with one name, a resource type claimed twice, and a document or
 * per-resource command that is claimed twice or does not start with its service's name (the
 * AWS CLI command that writes it).
 */
export function createServiceRegistry(services: readonly AwsService[]): readonly AwsService[] {
  const names = new Set<string>();
  const types = new Set<AwsResourceType>();
  const commands = new Set<string>();
  for (const service of services) {
    if (names.has(service.name)) throw new Error(`AWS service "${service.name}" is registered twice`);
    names.add(service.name);
    for (const { type } of service.resources) {
      if (types.has(type)) throw new Error(`AWS resource type "${type}" is claimed twice (${service.name})`);
      types.add(type);
    }
    const prefixes = [service.name, ...(service.alsoCli ?? [])].map((p) => `${p}-`);
    for (const command of [...service.snapshot.documents, ...service.snapshot.perResource]) {
      if (!prefixes.some((p) => command.startsWith(p)))
        throw new Error(`AWS service "${service.name}": command "${command}" is not one of its CLI commands`);
      if (commands.has(command)) throw new Error(`AWS command "${command}" is claimed twice`);
      commands.add(command);
    }
  }
  return services;
}

/**
 * Every AWS resource service, in collection order: the live collector calls them in this order
 * (global ones once per account, regional ones in every region), the transform reads them in
 * this order, and their resource kinds decide what enters the graph.
 */
export const AWS_SERVICES: readonly AwsService[] = createServiceRegistry([
  s3,
  kms,
  secretsManager,
  dynamodb,
  rds,
  sqs,
  sns,
  ecr,
  ssm,
  efs,
  opensearch,
  apigateway,
  glacier,
  lambda,
  ec2,
  glue,
  sagemaker,
  cloudformation,
  codebuild,
  ecs,
  cognitoIdentity,
  cognitoIdp,
  eks,
]);

/** Each collected resource type's kind and classification, by type. */
export const RESOURCE_KINDS: ReadonlyMap<AwsResourceType, AwsResourceKind> = new Map(
  AWS_SERVICES.flatMap((s) => s.resources.map((r) => [r.type, r] as const)),
);
