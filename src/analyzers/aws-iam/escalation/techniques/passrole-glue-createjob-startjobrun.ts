import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const glue003PassRole = passRoleTechnique({
  id: 'glue-003',
  slug: 'iam-passrole-glue-createjob-startjobrun',
  name: 'iam:PassRole + glue:CreateJob + glue:StartJobRun',
  attack: 'T1648',
  description:
    "Passes a role that trusts glue.amazonaws.com to a new Glue job and runs its own code with the role's credentials.",
  references: [
    pathfinding('glue-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS glue privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:CreateJob', 'glue:StartJobRun'],
  runs: 'a new Glue job',
});
