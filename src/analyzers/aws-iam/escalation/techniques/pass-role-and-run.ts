import {
  AGENTCORE_BEYONDTRUST,
  hackTricks,
  instanceProfileHolding,
  PASSROLE_DOC,
  type PassRoleSpec,
  passRoleTechnique,
  pathfinding,
  RHINO,
} from '../builders.js';
import {
  decidingPrerequisites,
  ECS_CLUSTER,
  ECS_CONTAINER_INSTANCE,
  ECS_TASK_DEFINITION,
} from '../collected-prerequisites.js';

const BATCH_JOB_DEFINITIONS = {
  title: 'AWS Batch job definitions',
  url: 'https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html',
};

/**
 * Pass a role to a service that runs the caller's code with it (a new function, instance, job, …):
 * one row per technique, in catalogue-id order, each built by `passRoleTechnique`.
 */
export const PASS_ROLE_AND_RUN: readonly PassRoleSpec[] = [
  {
    id: 'apprunner-001',
    slug: 'iam-passrole-apprunner-createservice',
    name: 'iam:PassRole + apprunner:CreateService',
    attack: 'T1648',
    description:
      "Passes a role that trusts tasks.apprunner.amazonaws.com to a new App Runner service and runs its own code with the role's credentials.",
    references: [
      pathfinding('apprunner-001'),
      PASSROLE_DOC,
      hackTricks('aws-apprunner-privesc/index.html', 'apprunner'),
    ],
    service: 'tasks.apprunner.amazonaws.com',
    actions: ['apprunner:CreateService'],
    runs: 'a new App Runner service',
  },
  {
    id: 'batch-001',
    slug: 'iam-passrole-batch-registerjobdefinition-submitjob',
    name: 'iam:PassRole + batch:RegisterJobDefinition + batch:SubmitJob',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new AWS Batch job definition (job role) it submits and runs its own code with the role's credentials.",
    references: [pathfinding('batch-001'), PASSROLE_DOC, BATCH_JOB_DEFINITIONS],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['batch:RegisterJobDefinition', 'batch:SubmitJob'],
    runs: 'a new AWS Batch job definition (job role) it submits',
    requires: ['an AWS Batch job queue and compute environment (not collected)'],
  },
  {
    id: 'batch-003',
    slug: 'iam-passrole-batch-createcomputeenvironment-createjobqueue-registerjobdefinition-submitjob',
    name: 'iam:PassRole + batch:CreateComputeEnvironment + batch:CreateJobQueue + batch:RegisterJobDefinition + batch:SubmitJob',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new AWS Batch job definition (job role) on a compute environment and job queue it creates itself and runs its own code with the role's credentials.",
    references: [pathfinding('batch-003'), PASSROLE_DOC, BATCH_JOB_DEFINITIONS],
    service: 'ecs-tasks.amazonaws.com',
    actions: [
      'batch:CreateComputeEnvironment',
      'batch:CreateJobQueue',
      'batch:RegisterJobDefinition',
      'batch:SubmitJob',
    ],
    runs: 'a new AWS Batch compute environment, job queue and job definition',
  },
  {
    id: 'bedrock-001',
    slug: 'iam-passrole-bedrockagentcore-createcodeinterpreter',
    name: 'iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    attack: 'T1648',
    description:
      "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore code interpreter and runs its own code with the role's credentials.",
    references: [
      pathfinding('bedrock-001'),
      PASSROLE_DOC,
      {
        title: 'Amazon Bedrock AgentCore code interpreter',
        url: 'https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/code-interpreter-tool.html',
      },
    ],
    service: 'bedrock-agentcore.amazonaws.com',
    actions: [
      'bedrock-agentcore:CreateCodeInterpreter',
      'bedrock-agentcore:StartCodeInterpreterSession',
      'bedrock-agentcore:InvokeCodeInterpreter',
    ],
    runs: 'a new Bedrock AgentCore code interpreter',
  },
  {
    id: 'bedrock-003',
    slug: 'iam-passrole-bedrockagentcore-createagentruntime',
    name: 'iam:PassRole + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:InvokeAgentRuntimeCommand',
    attack: 'T1648',
    description:
      "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore runtime, runs its own shell commands in it and acts with the role's credentials.",
    references: [pathfinding('bedrock-003'), PASSROLE_DOC, AGENTCORE_BEYONDTRUST],
    service: 'bedrock-agentcore.amazonaws.com',
    actions: [
      'bedrock-agentcore:CreateAgentRuntime',
      'bedrock-agentcore:CreateAgentRuntimeEndpoint',
      'bedrock-agentcore:CreateWorkloadIdentity',
      'bedrock-agentcore:InvokeAgentRuntimeCommand',
    ],
    runs: 'a new Bedrock AgentCore runtime',
  },
  {
    id: 'bedrock-005',
    slug: 'iam-passrole-bedrockagentcore-createharness',
    name: 'iam:PassRole + bedrock-agentcore:CreateHarness + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:GetAgentRuntime + bedrock-agentcore:GetHarness + bedrock-agentcore:InvokeAgentRuntimeCommand',
    attack: 'T1648',
    description:
      "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore harness (a runtime with a managed agent), runs its own shell commands in it and acts with the role's credentials.",
    references: [pathfinding('bedrock-005'), PASSROLE_DOC, AGENTCORE_BEYONDTRUST],
    service: 'bedrock-agentcore.amazonaws.com',
    actions: [
      'bedrock-agentcore:CreateHarness',
      'bedrock-agentcore:CreateAgentRuntime',
      'bedrock-agentcore:CreateAgentRuntimeEndpoint',
      'bedrock-agentcore:CreateWorkloadIdentity',
      'bedrock-agentcore:GetAgentRuntime',
      'bedrock-agentcore:GetHarness',
      'bedrock-agentcore:InvokeAgentRuntimeCommand',
    ],
    runs: 'a new Bedrock AgentCore harness',
    requires: ['a Bedrock foundation model enabled in the account (not collected)'],
  },
  {
    id: 'bedrock-006',
    slug: 'iam-passrole-bedrockagentcore-createbrowser',
    name: 'iam:PassRole + bedrock-agentcore:CreateBrowser + bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream',
    attack: 'T1648',
    description:
      "Passes a role that trusts bedrock-agentcore.amazonaws.com to a new Bedrock AgentCore custom browser, drives it over the automation stream to read the role's credentials from the metadata service and acts with them.",
    references: [pathfinding('bedrock-006'), PASSROLE_DOC, AGENTCORE_BEYONDTRUST],
    service: 'bedrock-agentcore.amazonaws.com',
    actions: [
      'bedrock-agentcore:CreateBrowser',
      'bedrock-agentcore:StartBrowserSession',
      'bedrock-agentcore:ConnectBrowserAutomationStream',
    ],
    runs: 'a new Bedrock AgentCore custom browser',
  },
  {
    id: 'braket-001',
    slug: 'iam-passrole-braket-createjob',
    name: 'iam:PassRole + braket:CreateJob',
    attack: 'T1648',
    description:
      "Passes a role that trusts braket.amazonaws.com to a new Amazon Braket hybrid job running its script and runs its own code with the role's credentials.",
    references: [
      pathfinding('braket-001'),
      PASSROLE_DOC,
      {
        title: 'IAM roles for Amazon Braket',
        url: 'https://docs.aws.amazon.com/braket/latest/developerguide/braket-manage-access.html',
      },
    ],
    service: 'braket.amazonaws.com',
    actions: ['braket:CreateJob'],
    runs: 'a new Amazon Braket hybrid job',
  },
  {
    id: 'cloudformation-001',
    slug: 'iam-passrole-cloudformation-createstack',
    name: 'iam:PassRole + cloudformation:CreateStack',
    attack: 'T1078.004',
    description:
      "Passes a role that trusts cloudformation.amazonaws.com to a new CloudFormation stack whose template creates resources as the role and runs its own code with the role's credentials.",
    references: [
      pathfinding('cloudformation-001'),
      RHINO,
      PASSROLE_DOC,
      hackTricks('aws-cloudformation-privesc/index.html', 'cloudformation'),
    ],
    service: 'cloudformation.amazonaws.com',
    actions: ['cloudformation:CreateStack'],
    runs: 'a new CloudFormation stack whose template creates resources as the role',
  },
  {
    id: 'cloudformation-003',
    slug: 'iam-passrole-cloudformation-createstackset-createstackinstances',
    name: 'iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances',
    attack: 'T1078.004',
    description:
      "Passes a role that trusts cloudformation.amazonaws.com to a new self-managed StackSet (administration role) and runs its own code with the role's credentials.",
    references: [
      pathfinding('cloudformation-003'),
      PASSROLE_DOC,
      hackTricks('aws-cloudformation-privesc/index.html', 'cloudformation'),
    ],
    service: 'cloudformation.amazonaws.com',
    actions: ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
    runs: 'a new self-managed StackSet (administration role)',
  },
  {
    id: 'cloudformation-004',
    slug: 'iam-passrole-cloudformation-updatestackset',
    name: 'iam:PassRole + cloudformation:UpdateStackSet',
    attack: 'T1078.004',
    description:
      "Passes a role that trusts cloudformation.amazonaws.com while updating an existing self-managed StackSet with its own template and runs its own code with the role's credentials.",
    references: [
      pathfinding('cloudformation-004'),
      PASSROLE_DOC,
      hackTricks('aws-cloudformation-privesc/index.html', 'cloudformation'),
    ],
    service: 'cloudformation.amazonaws.com',
    actions: ['cloudformation:UpdateStackSet'],
    runs: 'an existing StackSet it updates',
    requires: ['a CloudFormation StackSet (not collected)'],
  },
  {
    id: 'codebuild-001',
    slug: 'iam-passrole-codebuild-createproject-startbuild',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuild',
    attack: 'T1648',
    description:
      "Passes a role that trusts codebuild.amazonaws.com to a new CodeBuild project whose buildspec it writes and runs its own code with the role's credentials.",
    references: [
      pathfinding('codebuild-001'),
      PASSROLE_DOC,
      hackTricks('aws-codebuild-privesc/index.html', 'codebuild'),
    ],
    service: 'codebuild.amazonaws.com',
    actions: ['codebuild:CreateProject', 'codebuild:StartBuild'],
    runs: 'a new CodeBuild project whose buildspec it writes',
  },
  {
    id: 'codebuild-004',
    slug: 'iam-passrole-codebuild-createproject-startbuildbatch',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch',
    attack: 'T1648',
    description:
      "Passes a role that trusts codebuild.amazonaws.com to a new CodeBuild project run as a batch build and runs its own code with the role's credentials.",
    references: [
      pathfinding('codebuild-004'),
      PASSROLE_DOC,
      hackTricks('aws-codebuild-privesc/index.html', 'codebuild'),
    ],
    service: 'codebuild.amazonaws.com',
    actions: ['codebuild:CreateProject', 'codebuild:StartBuildBatch'],
    runs: 'a new CodeBuild project run as a batch build',
  },
  {
    id: 'datapipeline-001',
    slug: 'iam-passrole-datapipeline-createpipeline',
    name: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline',
    attack: 'T1078.004',
    description:
      "Passes a role that trusts datapipeline.amazonaws.com to a new Data Pipeline whose activity runs shell commands and runs its own code with the role's credentials.",
    references: [
      pathfinding('datapipeline-001'),
      RHINO,
      PASSROLE_DOC,
      hackTricks('aws-datapipeline-codepipeline-codebuild-and-codecommit.html', 'datapipeline'),
    ],
    service: 'datapipeline.amazonaws.com',
    actions: [
      'datapipeline:CreatePipeline',
      'datapipeline:PutPipelineDefinition',
      'datapipeline:ActivatePipeline',
    ],
    runs: 'a new Data Pipeline whose activity runs shell commands',
  },
  {
    id: 'ec2-001',
    slug: 'iam-passrole-ec2-runinstances',
    name: 'iam:PassRole + ec2:RunInstances',
    attack: 'T1578.002',
    description:
      "Passes a role that trusts ec2.amazonaws.com to a new EC2 instance (user data) and runs its own code with the role's credentials.",
    references: [
      pathfinding('ec2-001'),
      RHINO,
      PASSROLE_DOC,
      hackTricks('aws-ec2-privesc/index.html', 'ec2'),
    ],
    service: 'ec2.amazonaws.com',
    actions: ['ec2:RunInstances'],
    runs: 'a new EC2 instance (user data)',
    roleRequires: instanceProfileHolding,
  },
  {
    id: 'ec2-003',
    slug: 'iam-passrole-ec2-requestspotinstances',
    name: 'iam:PassRole + ec2:RequestSpotInstances',
    attack: 'T1578.002',
    description:
      "Passes a role that trusts ec2.amazonaws.com to a new EC2 Spot Instance (user data) and runs its own code with the role's credentials. Restricting ec2:RunInstances alone does not close this path.",
    references: [pathfinding('ec2-003'), PASSROLE_DOC, hackTricks('aws-ec2-privesc/index.html', 'ec2')],
    service: 'ec2.amazonaws.com',
    actions: ['ec2:RequestSpotInstances'],
    runs: 'a new EC2 Spot Instance (user data)',
    roleRequires: instanceProfileHolding,
  },
  {
    id: 'ecs-001',
    slug: 'iam-passrole-ecs-createcluster-registertaskdefinition-createservice',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task of a new cluster and service and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-001'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    runs: 'a new ECS task of a new cluster and service',
  },
  {
    id: 'ecs-002',
    slug: 'iam-passrole-ecs-createcluster-registertaskdefinition-runtask',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:RunTask',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task on a new cluster and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-002'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    runs: 'a new ECS task on a new cluster',
  },
  {
    id: 'ecs-003',
    slug: 'iam-passrole-ecs-registertaskdefinition-createservice',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task definition run by a new service and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-003'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:RegisterTaskDefinition', 'ecs:CreateService'],
    runs: 'a new ECS task definition run by a new service',
    requires: [ECS_CLUSTER.label],
  },
  {
    id: 'ecs-004',
    slug: 'iam-passrole-ecs-registertaskdefinition-runtask',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task definition it runs and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-004'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'],
    runs: 'a new ECS task definition it runs',
    requires: [ECS_CLUSTER.label],
  },
  {
    id: 'ecs-005',
    slug: 'iam-passrole-ecs-registertaskdefinition-starttask',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:StartTask',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task definition it starts on a container instance and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-005'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:RegisterTaskDefinition', 'ecs:StartTask'],
    runs: 'a new ECS task definition it starts on a container instance',
    requires: [ECS_CONTAINER_INSTANCE.label],
  },
  {
    id: 'ecs-008',
    slug: 'iam-passrole-ecs-runtask',
    name: 'iam:PassRole + ecs:RunTask',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to an existing ECS task definition run with a task-role and command override and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-008'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:RunTask'],
    runs: 'an existing ECS task definition run with a task-role and command override',
    requires: [ECS_CLUSTER.label, ECS_TASK_DEFINITION.label],
  },
  {
    id: 'ecs-009',
    slug: 'iam-passrole-ecs-starttask',
    name: 'iam:PassRole + ecs:StartTask',
    attack: 'T1610',
    description:
      "Passes a role that trusts ecs-tasks.amazonaws.com to an existing ECS task definition started with a task-role and command override and runs its own code with the role's credentials.",
    references: [pathfinding('ecs-009'), PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:StartTask'],
    runs: 'an existing ECS task definition started with a task-role and command override',
    requires: [ECS_CONTAINER_INSTANCE.label, ECS_TASK_DEFINITION.label],
  },
  {
    id: 'emr-001',
    slug: 'iam-passrole-elasticmapreduce-runjobflow',
    name: 'iam:PassRole + elasticmapreduce:RunJobFlow',
    attack: 'T1578.002',
    description:
      "Passes a role that trusts ec2.amazonaws.com as the instance profile of a new EMR cluster whose step runs its own commands on the master node with the role's credentials. The cluster also needs an EMR service role.",
    references: [
      pathfinding('emr-001'),
      PASSROLE_DOC,
      {
        title: 'Amazon EMR: IAM service roles',
        url: 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
      },
    ],
    // The instance profile role is passed for EC2 (AmazonEMRFullAccessPolicy_v2 conditions it on
    // iam:PassedToService ec2.amazonaws.com); the EMR service role is a second, separate pass.
    service: 'ec2.amazonaws.com',
    actions: ['elasticmapreduce:RunJobFlow'],
    runs: 'a new EMR cluster (a step on its master node)',
    roleRequires: instanceProfileHolding,
  },
  {
    id: 'emrserverless-001',
    slug: 'iam-passrole-emrserverless-createapplication-startjobrun',
    name: 'iam:PassRole + emr-serverless:CreateApplication + emr-serverless:StartJobRun',
    attack: 'T1648',
    description:
      "Passes a role that trusts emr-serverless.amazonaws.com as execution role of a job run on a new EMR Serverless application and runs its own code with the role's credentials.",
    references: [
      pathfinding('emrserverless-001'),
      PASSROLE_DOC,
      {
        title: 'IAM roles for EMR Serverless',
        url: 'https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-role.html',
      },
    ],
    service: 'emr-serverless.amazonaws.com',
    actions: ['emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'],
    runs: 'a new EMR Serverless job run',
  },
  {
    id: 'gamelift-001',
    slug: 'iam-passrole-gamelift-createbuild-createfleet',
    name: 'iam:PassRole + gamelift:CreateBuild + gamelift:CreateFleet + gamelift:RequestUploadCredentials',
    attack: 'T1578.002',
    description:
      "Uploads its own game server build and passes a role to a new GameLift fleet as instance role; the server process runs its code with the role's credentials.",
    references: [
      pathfinding('gamelift-001'),
      PASSROLE_DOC,
      {
        title: 'Amazon GameLift Servers: access AWS resources from a fleet',
        url: 'https://docs.aws.amazon.com/gameliftservers/latest/developerguide/gamelift-sdk-server-resources.html',
      },
    ],
    // The fleet instance role trusts gamelift.amazonaws.com (the catalogue says ec2.amazonaws.com), per
    // https://docs.aws.amazon.com/gameliftservers/latest/developerguide/gamelift-sdk-server-resources.html
    service: 'gamelift.amazonaws.com',
    actions: ['gamelift:CreateBuild', 'gamelift:CreateFleet', 'gamelift:RequestUploadCredentials'],
    runs: 'a new GameLift fleet running its build',
  },
  {
    id: 'glue-001',
    slug: 'iam-passrole-glue-createdevendpoint',
    name: 'iam:PassRole + glue:CreateDevEndpoint',
    attack: 'T1078.004',
    description:
      "Passes a role that trusts glue.amazonaws.com to a new Glue development endpoint it can SSH into and runs its own code with the role's credentials.",
    references: [pathfinding('glue-001'), RHINO, PASSROLE_DOC, hackTricks('aws-glue-privesc.html', 'glue')],
    service: 'glue.amazonaws.com',
    actions: ['glue:CreateDevEndpoint'],
    runs: 'a new Glue development endpoint it can SSH into',
  },
  {
    id: 'glue-003',
    slug: 'iam-passrole-glue-createjob-startjobrun',
    name: 'iam:PassRole + glue:CreateJob + glue:StartJobRun',
    attack: 'T1648',
    description:
      "Passes a role that trusts glue.amazonaws.com to a new Glue job and runs its own code with the role's credentials.",
    references: [pathfinding('glue-003'), PASSROLE_DOC, hackTricks('aws-glue-privesc.html', 'glue')],
    service: 'glue.amazonaws.com',
    actions: ['glue:CreateJob', 'glue:StartJobRun'],
    runs: 'a new Glue job',
  },
  {
    id: 'glue-004',
    slug: 'iam-passrole-glue-createjob-createtrigger',
    name: 'iam:PassRole + glue:CreateJob + glue:CreateTrigger',
    attack: 'T1648',
    description:
      "Passes a role that trusts glue.amazonaws.com to a new Glue job started by a trigger and runs its own code with the role's credentials.",
    references: [pathfinding('glue-004'), PASSROLE_DOC, hackTricks('aws-glue-privesc.html', 'glue')],
    service: 'glue.amazonaws.com',
    actions: ['glue:CreateJob', 'glue:CreateTrigger'],
    runs: 'a new Glue job started by a trigger',
  },
  {
    id: 'glue-005',
    slug: 'iam-passrole-glue-updatejob-startjobrun',
    name: 'iam:PassRole + glue:UpdateJob + glue:StartJobRun',
    attack: 'T1648',
    description:
      "Passes a role that trusts glue.amazonaws.com to an existing Glue job it rewrites and runs its own code with the role's credentials.",
    references: [pathfinding('glue-005'), PASSROLE_DOC, hackTricks('aws-glue-privesc.html', 'glue')],
    service: 'glue.amazonaws.com',
    actions: ['glue:UpdateJob', 'glue:StartJobRun'],
    runs: 'an existing Glue job it rewrites',
    requires: ['an existing Glue job (Glue jobs are not collected)'],
  },
  {
    id: 'glue-006',
    slug: 'iam-passrole-glue-updatejob-createtrigger',
    name: 'iam:PassRole + glue:UpdateJob + glue:CreateTrigger',
    attack: 'T1648',
    description:
      "Passes a role that trusts glue.amazonaws.com to an existing Glue job it rewrites and triggers and runs its own code with the role's credentials.",
    references: [pathfinding('glue-006'), PASSROLE_DOC, hackTricks('aws-glue-privesc.html', 'glue')],
    service: 'glue.amazonaws.com',
    actions: ['glue:UpdateJob', 'glue:CreateTrigger'],
    runs: 'an existing Glue job it rewrites and triggers',
    requires: ['an existing Glue job (Glue jobs are not collected)'],
  },
  {
    id: 'glue-007',
    slug: 'iam-passrole-glue-createsession-runstatement',
    name: 'iam:PassRole + glue:CreateSession + glue:RunStatement',
    attack: 'T1648',
    description:
      "Passes a role that trusts glue.amazonaws.com to a new Glue interactive session and runs its own Python statements with the role's credentials.",
    references: [
      pathfinding('glue-007'),
      PASSROLE_DOC,
      {
        title: 'AWS Glue interactive sessions with IAM',
        url: 'https://docs.aws.amazon.com/glue/latest/dg/glue-is-security.html',
      },
    ],
    service: 'glue.amazonaws.com',
    actions: ['glue:CreateSession', 'glue:RunStatement'],
    runs: 'a new Glue interactive session',
  },
  {
    id: 'imagebuilder-001',
    slug: 'iam-passrole-imagebuilder-createcomponent-createimagerecipe-createinfrastructureconfiguration-createimage',
    name: 'iam:PassRole + imagebuilder:CreateComponent + imagebuilder:CreateImageRecipe + imagebuilder:CreateInfrastructureConfiguration + imagebuilder:CreateImage',
    attack: 'T1578.002',
    description:
      "Passes a role that trusts ec2.amazonaws.com as instance profile of an EC2 Image Builder build whose component runs its own commands on the build instance with the role's credentials.",
    references: [
      pathfinding('imagebuilder-001'),
      PASSROLE_DOC,
      {
        title: 'EC2 Image Builder security best practices',
        url: 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-best-practices.html',
      },
    ],
    service: 'ec2.amazonaws.com',
    actions: [
      'imagebuilder:CreateComponent',
      'imagebuilder:CreateImageRecipe',
      'imagebuilder:CreateInfrastructureConfiguration',
      'imagebuilder:CreateImage',
    ],
    runs: 'a new EC2 Image Builder build instance',
    roleRequires: instanceProfileHolding,
  },
  {
    id: 'kinesisanalytics-001',
    slug: 'iam-passrole-kinesisanalytics-createapplication-startapplication',
    name: 'iam:PassRole + kinesisanalytics:CreateApplication + kinesisanalytics:StartApplication',
    attack: 'T1648',
    description:
      "Passes a role that trusts kinesisanalytics.amazonaws.com as service execution role of a new Managed Apache Flink application and runs its own code with the role's credentials.",
    references: [
      pathfinding('kinesisanalytics-001'),
      PASSROLE_DOC,
      {
        title: 'Managed Service for Apache Flink security best practices',
        url: 'https://docs.aws.amazon.com/managed-flink/latest/java/security-best-practices.html',
      },
    ],
    service: 'kinesisanalytics.amazonaws.com',
    actions: ['kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'],
    runs: 'a new Managed Apache Flink application',
  },
  {
    id: 'lambda-001',
    slug: 'iam-passrole-lambda-createfunction-invokefunction',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
    attack: 'T1648',
    description:
      "Passes a role that trusts lambda.amazonaws.com to a new Lambda function it invokes and runs its own code with the role's credentials.",
    references: [
      pathfinding('lambda-001'),
      RHINO,
      PASSROLE_DOC,
      hackTricks('aws-lambda-privesc/index.html', 'lambda'),
    ],
    service: 'lambda.amazonaws.com',
    actions: ['lambda:CreateFunction'],
    // Invoking needs lambda:InvokeFunction on the function, not the creator's rights
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html).
    triggers: ['lambda:InvokeFunction'],
    runs: 'a new Lambda function it invokes',
  },
  {
    id: 'lambda-002',
    slug: 'iam-passrole-lambda-createfunction-createeventsourcemapping',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping',
    attack: 'T1648',
    description:
      "Passes a role that trusts lambda.amazonaws.com to a new Lambda function triggered by an event source and runs its own code with the role's credentials.",
    references: [
      pathfinding('lambda-002'),
      RHINO,
      PASSROLE_DOC,
      hackTricks('aws-lambda-privesc/index.html', 'lambda'),
    ],
    service: 'lambda.amazonaws.com',
    actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    runs: 'a new Lambda function triggered by an event source',
  },
  {
    id: 'lambda-006',
    slug: 'iam-passrole-lambda-createfunction-addpermission',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:AddPermission',
    attack: 'T1648',
    description:
      "Passes a role that trusts lambda.amazonaws.com to a new Lambda function whose resource policy lets it invoke the function and runs its own code with the role's credentials.",
    references: [
      pathfinding('lambda-006'),
      PASSROLE_DOC,
      hackTricks('aws-lambda-privesc/index.html', 'lambda'),
    ],
    service: 'lambda.amazonaws.com',
    actions: ['lambda:CreateFunction', 'lambda:AddPermission'],
    runs: 'a new Lambda function whose resource policy lets it invoke the function',
  },
  {
    id: 'omics-001',
    slug: 'iam-passrole-omics-createworkflow-startrun',
    name: 'iam:PassRole + omics:CreateWorkflow + omics:StartRun + s3:GetObject',
    attack: 'T1648',
    description:
      "Passes a role that trusts omics.amazonaws.com to a run of a new HealthOmics workflow that copies the role's credentials to S3, reads them back and acts with them.",
    references: [
      pathfinding('omics-001'),
      PASSROLE_DOC,
      {
        title: 'IAM roles for AWS HealthOmics',
        url: 'https://docs.aws.amazon.com/omics/latest/dev/security-iam-roles.html',
      },
    ],
    service: 'omics.amazonaws.com',
    actions: ['omics:CreateWorkflow', 'omics:StartRun', 's3:GetObject'],
    runs: 'a new HealthOmics workflow run',
  },
  {
    id: 'sagemaker-001',
    slug: 'iam-passrole-sagemaker-createnotebookinstance',
    name: 'iam:PassRole + sagemaker:CreateNotebookInstance',
    attack: 'T1648',
    description:
      "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker notebook instance, opens its Jupyter terminal and runs its own code with the role's credentials.",
    references: [
      pathfinding('sagemaker-001'),
      PASSROLE_DOC,
      hackTricks('aws-sagemaker-privesc.html', 'sagemaker'),
    ],
    service: 'sagemaker.amazonaws.com',
    actions: ['sagemaker:CreateNotebookInstance'],
    // Opening the notebook (presigned URL or console) is how the code runs; pathfinding.cloud lists it as
    // helpful, not required: a console user reaches the notebook without CreatePresignedNotebookInstanceUrl.
    runs: 'a new SageMaker notebook instance it opens',
  },
  {
    id: 'sagemaker-002',
    slug: 'iam-passrole-sagemaker-createtrainingjob',
    name: 'iam:PassRole + sagemaker:CreateTrainingJob',
    attack: 'T1648',
    description:
      "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker training job running its container and runs its own code with the role's credentials.",
    references: [
      pathfinding('sagemaker-002'),
      PASSROLE_DOC,
      hackTricks('aws-sagemaker-privesc.html', 'sagemaker'),
    ],
    service: 'sagemaker.amazonaws.com',
    actions: ['sagemaker:CreateTrainingJob'],
    runs: 'a new SageMaker training job running its container',
  },
  {
    id: 'sagemaker-003',
    slug: 'iam-passrole-sagemaker-createprocessingjob',
    name: 'iam:PassRole + sagemaker:CreateProcessingJob',
    attack: 'T1648',
    description:
      "Passes a role that trusts sagemaker.amazonaws.com to a new SageMaker processing job running its container and runs its own code with the role's credentials.",
    references: [
      pathfinding('sagemaker-003'),
      PASSROLE_DOC,
      hackTricks('aws-sagemaker-privesc.html', 'sagemaker'),
    ],
    service: 'sagemaker.amazonaws.com',
    actions: ['sagemaker:CreateProcessingJob'],
    runs: 'a new SageMaker processing job running its container',
  },
  {
    id: 'ssm-003',
    slug: 'iam-passrole-ssm-createdocument-startautomationexecution',
    name: 'iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution',
    attack: 'T1651',
    description:
      "Passes a role that trusts ssm.amazonaws.com to an SSM Automation document of its own (aws:executeScript) and runs its own code with the role's credentials.",
    references: [pathfinding('ssm-003'), PASSROLE_DOC, hackTricks('aws-ssm-privesc.html', 'ssm')],
    service: 'ssm.amazonaws.com',
    actions: ['ssm:CreateDocument', 'ssm:StartAutomationExecution'],
    runs: 'an SSM Automation document of its own (aws:executeScript)',
  },
];

export const passRoleAndRunTechniques = PASS_ROLE_AND_RUN.map((row) =>
  decidingPrerequisites(passRoleTechnique(row), [ECS_CLUSTER, ECS_CONTAINER_INSTANCE, ECS_TASK_DEFINITION]),
);
