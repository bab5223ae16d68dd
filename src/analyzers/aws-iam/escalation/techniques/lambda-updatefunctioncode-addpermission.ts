import { existingResourceTechnique, pathfinding } from '../builders.js';

export const lambda005 = existingResourceTechnique({
  id: 'lambda-005',
  slug: 'lambda-updatefunctioncode-addpermission',
  name: 'lambda:UpdateFunctionCode + lambda:AddPermission',
  attack: 'T1648',
  description:
    "Uses an existing resource that runs as a role: can replace the code of, and grant itself invocation of, a Lambda function, then acts with the role's credentials.",
  references: [
    pathfinding('lambda-005'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-lambda-privesc/index.html',
    },
  ],
  service: 'lambda.amazonaws.com',
  resourceType: 'lambda-function',
  collectedKey: 'lambda-list-functions',
  actions: ['lambda:UpdateFunctionCode', 'lambda:AddPermission'],
  resourceLabel: 'a Lambda function',
  linkSource: 'workload-spec',
  how: 'replace the code of, and grant itself invocation of,',
});
