import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const glue006PassRole = passRoleTechnique({
  id: 'glue-006',
  slug: 'iam-passrole-glue-updatejob-createtrigger',
  name: 'iam:PassRole + glue:UpdateJob + glue:CreateTrigger',
  attack: 'T1648',
  description:
    "Passes a role that trusts glue.amazonaws.com to an existing Glue job it rewrites and triggers and runs its own code with the role's credentials.",
  references: [
    pathfinding('glue-006'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS glue privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:UpdateJob', 'glue:CreateTrigger'],
  runs: 'an existing Glue job it rewrites and triggers',
  requires: ['an existing Glue job (Glue jobs are not collected)'],
});
