import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ecs002PassRole = passRoleTechnique({
  id: 'ecs-002',
  slug: 'iam-passrole-ecs-createcluster-registertaskdefinition-runtask',
  name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:RunTask',
  attack: 'T1610',
  description:
    "Passes a role that trusts ecs-tasks.amazonaws.com to a new ECS task on a new cluster and runs its own code with the role's credentials.",
  references: [
    pathfinding('ecs-002'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ecs privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ecs-privesc/index.html',
    },
  ],
  service: 'ecs-tasks.amazonaws.com',
  actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'],
  runs: 'a new ECS task on a new cluster',
});
