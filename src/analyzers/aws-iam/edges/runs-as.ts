import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsResourceData, AwsResourceType } from '../../../model/aws/environment.js';
import type { Evidence } from '../../../model/evidence.js';
import { nodeKind } from '../../../model/node-kinds.js';
import { servicePrincipalId } from '../authorizer/principal-ids.js';
import type { StatementMatch } from '../engine/types.js';
import type { DerivedEdge, EdgeFamily } from '../types.js';
import { conditionalProperties, evidenceFrom, isGranted } from './evidence.js';
import { edge, scopeOf } from './nodes.js';

/**
 * Which service runs each kind of workload, and the graph kind of the workload node. A workload
 * runs as a role only when the role's trust policy admits that service
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html).
 */
const WORKLOADS: Partial<Record<AwsResourceType, { service: string; kind: string; what: string }>> = {
  'lambda-function': { service: 'lambda.amazonaws.com', kind: 'AwsLambdaFunction', what: 'execution role' },
  'ec2-instance': { service: 'ec2.amazonaws.com', kind: 'AwsEc2Instance', what: 'instance profile role' },
  'ecs-task-definition': {
    service: 'ecs-tasks.amazonaws.com',
    kind: 'AwsEcsTaskDefinition',
    what: 'task role',
  },
  'glue-dev-endpoint': { service: 'glue.amazonaws.com', kind: 'AwsGlueDevEndpoint', what: 'role' },
  'sagemaker-notebook': { service: 'sagemaker.amazonaws.com', kind: 'AwsSageMakerNotebook', what: 'role' },
  'codebuild-project': {
    service: 'codebuild.amazonaws.com',
    kind: 'AwsCodeBuildProject',
    what: 'service role',
  },
  'cloudformation-stack': {
    service: 'cloudformation.amazonaws.com',
    kind: 'AwsCloudFormationStack',
    what: 'service role',
  },
};

const ASSUME = 'sts:AssumeRole';

/**
 * RUNS_AS: a workload (Lambda function, EC2 instance, ECS task definition, Glue dev endpoint,
 * SageMaker notebook, CodeBuild project, CloudFormation stack) runs with a role's credentials:
 * the resource names the role (`AwsResourceData.roleArns`) and the role's trust policy admits the
 * service that runs the workload. A workload naming a role whose trust does not admit the service
 * is a finding (misconfigured: it cannot get those credentials), not an edge.
 */
export const runsAs: EdgeFamily = {
  name: 'runs-as',
  emits: ['RUNS_AS'],
  description:
    'A workload runs as a role: a Lambda function as its execution role, an EC2 instance as its instance profile’s role, an ECS task definition as its task role, a Glue dev endpoint, SageMaker notebook, CodeBuild project or CloudFormation stack as its service role, when the role’s trust policy admits the service that runs it. Code running there holds the role’s credentials.',
  derive(authorizer) {
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    for (const resource of authorizer.resources()) {
      const workload = WORKLOADS[resource.type];
      if (!workload || !resource.roleArns?.length) continue;
      if (!nodeKind(workload.kind)) continue; // the vocabulary has no node for this workload kind
      for (const roleArn of rolesRunAs(resource)) {
        if (!authorizer.principal(roleArn)) {
          findings.push({
            rule: 'aws-workload-role-not-collected',
            severity: 'info',
            subject: resource.arn,
            message: `${resource.name} names ${workload.what} ${roleArn}, which was not collected`,
            evidence: [declared(resource, roleArn, workload.what)],
          });
          continue;
        }
        // The service acts for this very resource: its ARN and account are the source of the request.
        const context = { 'aws:SourceArn': [resource.arn], 'aws:SourceAccount': [resource.accountId] };
        const decision = authorizer.evaluate(servicePrincipalId(workload.service), ASSUME, roleArn, context);
        const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
        if (!isGranted(decision)) {
          findings.push({
            rule: 'aws-workload-role-not-trusted',
            severity: 'medium',
            subject: resource.arn,
            message: `${resource.name} names ${workload.what} ${roleName}, but the role's trust policy does not admit ${workload.service} (${decision.reason}): the workload cannot use it`,
            evidence: [declared(resource, roleArn, workload.what)],
          });
          continue;
        }
        const describe = (m: StatementMatch) =>
          `trust policy of role ${roleName} (statement ${m.statement}) admits ${workload.service}`;
        edges.push(
          edge({
            type: 'RUNS_AS',
            from: resource.arn,
            fromKind: workload.kind,
            to: roleArn,
            toKind: 'AwsRole',
            scope: scopeOf(resource.accountId),
            properties: conditionalProperties([decision]),
            evidence: [
              withConditions(
                declared(resource, roleArn, workload.what),
                decision.outcome === 'conditional',
                decision,
              ),
              ...evidenceFrom(decision, describe),
            ],
          }),
        );
      }
    }
    return { edges, findings };
  },
};

/**
 * The roles the resource names. For ECS task definitions the collector lists only the task role:
 * the execution role (attribute `executionRoleArn`) is used by the ECS agent, not by the task's code.
 */
function rolesRunAs(resource: AwsResourceData): string[] {
  return [...new Set(resource.roleArns ?? [])];
}

function declared(resource: AwsResourceData, roleArn: string, what: string): Evidence {
  const profile = resource.attributes?.instanceProfileArn;
  return {
    source: resource.type === 'ec2-instance' ? 'instance-profile' : 'workload-spec',
    ref: resource.type === 'ec2-instance' && typeof profile === 'string' ? profile : resource.arn,
    reason: `${resource.name} runs with ${what} ${roleArn.slice(roleArn.lastIndexOf('/') + 1)}`,
  };
}

/** The configuration record shares the trust decision's conditions, so a conditional edge stays so. */
function withConditions(
  evidence: Evidence,
  conditional: boolean,
  decision: { conditions: { key: string }[] },
): Evidence {
  return conditional
    ? { ...evidence, conditions: [...new Set(decision.conditions.map((c) => c.key))] }
    : evidence;
}
