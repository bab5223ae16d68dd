import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const glue005PassRole = passRoleTechnique({
  id: 'glue-005',
  slug: 'iam-passrole-glue-updatejob-startjobrun',
  name: 'iam:PassRole + glue:UpdateJob + glue:StartJobRun',
  attack: 'T1648',
  description:
    "Passes a role that trusts glue.amazonaws.com to an existing Glue job it rewrites and runs its own code with the role's credentials.",
  references: [
    pathfinding('glue-005'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS glue privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:UpdateJob', 'glue:StartJobRun'],
  runs: 'an existing Glue job it rewrites',
  requires: ['an existing Glue job (Glue jobs are not collected)'],
});
