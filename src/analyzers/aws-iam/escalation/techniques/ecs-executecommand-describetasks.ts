import { existingResourceTechnique, pathfinding } from '../builders.js';

export const ecs006 = existingResourceTechnique({
  id: 'ecs-006',
  slug: 'ecs-executecommand-describetasks',
  name: 'ecs:ExecuteCommand + ecs:DescribeTasks',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can open a shell (ECS Exec) in an ECS task with ECS Exec enabled, then acts with the role's credentials.",
  references: [
    pathfinding('ecs-006'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'],
  resourceLabel: 'an ECS task with ECS Exec enabled',
  linkSource: 'workload-spec',
  how: 'open a shell (ECS Exec) in',
});
