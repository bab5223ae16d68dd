import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ssm003PassRole = passRoleTechnique({
  id: 'ssm-003',
  slug: 'iam-passrole-ssm-createdocument-startautomationexecution',
  name: 'iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution',
  attack: 'T1651',
  description:
    "Passes a role that trusts ssm.amazonaws.com to an SSM Automation document of its own (aws:executeScript) and runs its own code with the role's credentials.",
  references: [
    pathfinding('ssm-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ssm privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ssm-privesc.html',
    },
  ],
  service: 'ssm.amazonaws.com',
  actions: ['ssm:CreateDocument', 'ssm:StartAutomationExecution'],
  runs: 'an SSM Automation document of its own (aws:executeScript)',
});
