import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs005PassRole = passRoleTechnique({
  id: 'ecs-005',
  slug: 'iam-passrole-ecs-registertaskdefinition-starttask',
  name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:StartTask',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task definition it starts on a container instance and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-005'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:RegisterTaskDefinition', 'ecs:StartTask'],
  runs: 'a new ECS task definition it starts on a container instance',
  requires: ['an ECS cluster with an EC2 container instance (not collected)'],
});
