import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const lambda001PassRole = passRoleTechnique({
  id: 'lambda-001',
  slug: 'iam-passrole-lambda-createfunction-invokefunction',
  name: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
  attack: 'T1648',
  description:
    "Passes a role that trusts lambda.amazonaws.com to a new Lambda function it invokes and runs its own code with the role's credentials.",
  references: [
    pathfinding('lambda-001'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS lambda privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'],
  runs: 'a new Lambda function it invokes',
});
