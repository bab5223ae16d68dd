import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const glue004PassRole = passRoleTechnique({
  id: 'glue-004',
  slug: 'iam-passrole-glue-createjob-createtrigger',
  name: 'iam:PassRole + glue:CreateJob + glue:CreateTrigger',
  attack: 'T1648',
  description:
    "Passes a role that trusts glue.amazonaws.com to a new Glue job started by a trigger and runs its own code with the role's credentials.",
  references: [
    pathfinding('glue-004'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS glue privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:CreateJob', 'glue:CreateTrigger'],
  runs: 'a new Glue job started by a trigger',
});
