import { existingResourceTechnique, pathfinding, RHINO } from '../builders.js';

export const lambda003 = existingResourceTechnique({
  id: 'lambda-003',
  slug: 'lambda-updatefunctioncode',
  name: 'lambda:UpdateFunctionCode',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can replace the code of a Lambda function, then acts with the role's credentials.",
  references: [
    pathfinding('lambda-003'),
    RHINO,
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  resourceType: 'lambda-function',
  collectedKey: 'lambda-list-functions',
  actions: ['lambda:UpdateFunctionCode'],
  resourceLabel: 'a Lambda function',
  linkSource: 'workload-spec',
  how: 'replace the code of',
});
