import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const lambda002PassRole = passRoleTechnique({
  id: 'lambda-002',
  slug: 'iam-passrole-lambda-createfunction-createeventsourcemapping',
  name: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping',
  attack: 'T1648',
  description:
    "Passes a role that trusts lambda.amazonaws.com to a new Lambda function triggered by an event source and runs its own code with the role's credentials.",
  references: [
    pathfinding('lambda-002'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS lambda privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
  runs: 'a new Lambda function triggered by an event source',
});
