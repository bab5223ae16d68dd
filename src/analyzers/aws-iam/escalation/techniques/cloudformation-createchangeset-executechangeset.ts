import { existingResourceTechnique, pathfinding } from '../builders.js';

export const cloudformation005 = existingResourceTechnique({
  id: 'cloudformation-005',
  slug: 'cloudformation-createchangeset-executechangeset',
  name: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet',
  attack: 'T1078.004',
  description:
    "Uses an existing resource that runs as a role: can deploy a change set of its own through a CloudFormation stack with a service role, then acts with the role's credentials.",
  references: [
    pathfinding('cloudformation-005'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-cloudformation-privesc/index.html',
    },
  ],
  // pathfinding.cloud files this path as new-passrole although no role is passed: the stack's service role acts.
  category: 'new-passrole',
  service: 'cloudformation.amazonaws.com',
  resourceType: 'cloudformation-stack',
  collectedKey: 'cloudformation-describe-stacks',
  actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
  resourceLabel: 'a CloudFormation stack with a service role',
  linkSource: 'workload-spec',
  how: 'deploy a change set of its own through',
});
