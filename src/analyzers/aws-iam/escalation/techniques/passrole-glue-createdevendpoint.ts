import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const glue001PassRole = passRoleTechnique({
  id: 'glue-001',
  slug: 'iam-passrole-glue-createdevendpoint',
  name: 'iam:PassRole + glue:CreateDevEndpoint',
  attack: 'T1078.004',
  description:
    "Passes a role that trusts glue.amazonaws.com to a new Glue development endpoint it can SSH into and runs its own code with the role's credentials.",
  references: [
    pathfinding('glue-001'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS glue privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-glue-privesc.html',
    },
  ],
  service: 'glue.amazonaws.com',
  actions: ['glue:CreateDevEndpoint'],
  runs: 'a new Glue development endpoint it can SSH into',
});
