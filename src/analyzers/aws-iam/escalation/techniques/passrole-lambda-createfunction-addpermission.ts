import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const lambda006PassRole = passRoleTechnique({
  id: 'lambda-006',
  slug: 'iam-passrole-lambda-createfunction-addpermission',
  name: 'iam:PassRole + lambda:CreateFunction + lambda:AddPermission',
  attack: 'T1648',
  description:
    "Passes a role that trusts lambda.amazonaws.com to a new Lambda function whose resource policy lets it invoke the function and runs its own code with the role's credentials.",
  references: [
    pathfinding('lambda-006'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS lambda privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  actions: ['lambda:CreateFunction', 'lambda:AddPermission'],
  runs: 'a new Lambda function whose resource policy lets it invoke the function',
});
