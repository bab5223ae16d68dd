import { existingResourceTechnique, pathfinding } from '../builders.js';

export const batch002 = existingResourceTechnique({
  id: 'batch-002',
  slug: 'batch-submitjob',
  name: 'batch:SubmitJob',
  attack: 'T1610',
  description:
    "Uses an existing resource that runs as a role: can submit a job overriding the command of an AWS Batch job definition with a job role, then acts with the role's credentials.",
  references: [
    pathfinding('batch-002'),
    {
      title: 'Doyensec: AWS Batch privilege escalations',
      url: 'https://blog.doyensec.com/2023/06/13/messing-around-with-aws-batch-for-privilege-escalations.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['batch:SubmitJob'],
  resourceLabel: 'an AWS Batch job definition',
  linkSource: 'workload-spec',
  how: 'submit a job overriding the command of',
});
