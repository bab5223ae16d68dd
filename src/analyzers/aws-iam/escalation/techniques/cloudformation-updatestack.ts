import { existingResourceTechnique, pathfinding } from '../builders.js';

export const cloudformation002 = existingResourceTechnique({
  id: 'cloudformation-002',
  slug: 'cloudformation-updatestack',
  name: 'cloudformation:UpdateStack',
  attack: 'T1078.004',
  description:
    "Uses an existing resource that runs as a role: can deploy its own template through a CloudFormation stack with a service role, then acts with the role's credentials.",
  references: [
    pathfinding('cloudformation-002'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-cloudformation-privesc/index.html',
    },
  ],
  service: 'cloudformation.amazonaws.com',
  resourceType: 'cloudformation-stack',
  collectedKey: 'cloudformation-describe-stacks',
  actions: ['cloudformation:UpdateStack'],
  resourceLabel: 'a CloudFormation stack with a service role',
  linkSource: 'workload-spec',
  how: 'deploy its own template through',
});
