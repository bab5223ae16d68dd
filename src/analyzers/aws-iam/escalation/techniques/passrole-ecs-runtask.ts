import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs008PassRole = passRoleTechnique({
  id: 'ecs-008',
  slug: 'iam-passrole-ecs-runtask',
  name: 'iam:PassRole + ecs:RunTask',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to an existing ECS task definition run with a task-role and command override and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-008'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:RunTask'],
  runs: 'an existing ECS task definition run with a task-role and command override',
  requires: ['an ECS cluster and a task definition to override (not collected)'],
});
