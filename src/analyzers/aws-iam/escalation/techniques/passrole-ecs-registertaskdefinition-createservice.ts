import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs003PassRole = passRoleTechnique({
  id: 'ecs-003',
  slug: 'iam-passrole-ecs-registertaskdefinition-createservice',
  name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task definition run by a new service and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:RegisterTaskDefinition', 'ecs:CreateService'],
  runs: 'a new ECS task definition run by a new service',
  requires: ['an ECS cluster (clusters are not collected)'],
});
