import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs009PassRole = passRoleTechnique({
  id: 'ecs-009',
  slug: 'iam-passrole-ecs-starttask',
  name: 'iam:PassRole + ecs:StartTask',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to an existing ECS task definition started with a task-role and command override and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-009'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:StartTask'],
  runs: 'an existing ECS task definition started with a task-role and command override',
  requires: [
    'an ECS cluster with an EC2 container instance and a task definition to override (not collected)',
  ],
});
