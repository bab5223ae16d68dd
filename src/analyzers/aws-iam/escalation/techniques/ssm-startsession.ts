import { existingResourceTechnique, pathfinding } from '../builders.js';

export const ssm001 = existingResourceTechnique({
  id: 'ssm-001',
  slug: 'ssm-startsession',
  name: 'ssm:StartSession',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can open an SSM session on an EC2 instance, then acts with the role's credentials.",
  references: [
    pathfinding('ssm-001'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ssm-privesc.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  resourceType: 'ec2-instance',
  collectedKey: 'ec2-describe-instances',
  arnService: 'ec2',
  actions: ['ssm:StartSession'],
  resourceLabel: 'an EC2 instance',
  linkSource: 'instance-profile',
  how: 'open an SSM session on',
});
