import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const batch001PassRole = passRoleTechnique({
  id: 'batch-001',
  slug: 'iam-passrole-batch-registerjobdefinition-submitjob',
  name: 'iam:PassRole + batch:RegisterJobDefinition + batch:SubmitJob',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new AWS Batch job definition (job role) it submits and runs its own code with the role's credentials.",
  references: [
    pathfinding('batch-001'),
    PASSROLE_DOC,
    {
      title: 'AWS Batch job definitions',
      url: 'https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['batch:RegisterJobDefinition', 'batch:SubmitJob'],
  runs: 'a new AWS Batch job definition (job role) it submits',
  requires: ['an AWS Batch job queue and compute environment (not collected)'],
});
