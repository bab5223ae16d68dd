import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs001PassRole = passRoleTechnique({
  id: 'ecs-001',
  slug: 'iam-passrole-ecs-createcluster-registertaskdefinition-createservice',
  name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task of a new cluster and service and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-001'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
  runs: 'a new ECS task of a new cluster and service',
});
