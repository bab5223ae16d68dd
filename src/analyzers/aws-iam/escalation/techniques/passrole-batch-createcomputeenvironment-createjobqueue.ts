import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const batch003PassRole = passRoleTechnique({
  id: 'batch-003',
  slug: 'iam-passrole-batch-createcomputeenvironment-createjobqueue-registerjobdefinition-submitjob',
  name: 'iam:PassRole + batch:CreateComputeEnvironment + batch:CreateJobQueue + batch:RegisterJobDefinition + batch:SubmitJob',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new AWS Batch job definition (job role) on a compute environment and job queue it creates itself and runs its own code with the role's credentials.",
  references: [
    pathfinding('batch-003'),
    PASSROLE_DOC,
    {
      title: 'AWS Batch job definitions',
      url: 'https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: [
    'batch:CreateComputeEnvironment',
    'batch:CreateJobQueue',
    'batch:RegisterJobDefinition',
    'batch:SubmitJob',
  ],
  runs: 'a new AWS Batch compute environment, job queue and job definition',
});
