import { existingResourceTechnique, pathfinding } from '../builders.js';

export const lambda004 = existingResourceTechnique({
  id: 'lambda-004',
  slug: 'lambda-updatefunctioncode-invokefunction',
  name: 'lambda:UpdateFunctionCode + lambda:InvokeFunction',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can replace the code of and invoke a Lambda function, then acts with the role's credentials.",
  references: [
    pathfinding('lambda-004'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  resourceType: 'lambda-function',
  collectedKey: 'lambda-list-functions',
  actions: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'],
  resourceLabel: 'a Lambda function',
  linkSource: 'workload-spec',
  how: 'replace the code of and invoke',
});
