import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const cloudformation004PassRole = passRoleTechnique({
  id: 'cloudformation-004',
  slug: 'iam-passrole-cloudformation-updatestackset',
  name: 'iam:PassRole + cloudformation:UpdateStackSet',
  attack: 'T1078.004',
  description:
    "Passes a role that trusts cloudformation.amazonaws.com while updating an existing self-managed StackSet with its own template and runs its own code with the role's credentials.",
  references: [
    pathfinding('cloudformation-004'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS cloudformation privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-cloudformation-privesc/index.html',
    },
  ],
  service: 'cloudformation.amazonaws.com',
  actions: ['cloudformation:UpdateStackSet'],
  runs: 'an existing StackSet it updates',
  requires: ['a CloudFormation StackSet (not collected)'],
});
