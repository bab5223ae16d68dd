import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const cloudformation001PassRole = passRoleTechnique({
  id: 'cloudformation-001',
  slug: 'iam-passrole-cloudformation-createstack',
  name: 'iam:PassRole + cloudformation:CreateStack',
  attack: 'T1078.004',
  description:
    "Passes a role that trusts cloudformation.amazonaws.com to a new CloudFormation stack whose template creates resources as the role and runs its own code with the role's credentials.",
  references: [
    pathfinding('cloudformation-001'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS cloudformation privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-cloudformation-privesc/index.html',
    },
  ],
  service: 'cloudformation.amazonaws.com',
  actions: ['cloudformation:CreateStack'],
  runs: 'a new CloudFormation stack whose template creates resources as the role',
});
