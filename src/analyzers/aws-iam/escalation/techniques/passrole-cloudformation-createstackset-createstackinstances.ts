import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const cloudformation003PassRole = passRoleTechnique({
  id: 'cloudformation-003',
  slug: 'iam-passrole-cloudformation-createstackset-createstackinstances',
  name: 'iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances',
  attack: 'T1078.004',
  description:
    "Passes a role that trusts cloudformation.amazonaws.com to a new self-managed StackSet (administration role) and runs its own code with the role's credentials.",
  references: [
    pathfinding('cloudformation-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS cloudformation privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-cloudformation-privesc/index.html',
    },
  ],
  service: 'cloudformation.amazonaws.com',
  actions: ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
  runs: 'a new self-managed StackSet (administration role)',
});
