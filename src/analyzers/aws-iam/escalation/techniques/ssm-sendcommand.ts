import { existingResourceTechnique, pathfinding } from '../builders.js';

export const ssm002 = existingResourceTechnique({
  id: 'ssm-002',
  slug: 'ssm-sendcommand',
  name: 'ssm:SendCommand',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can run a command through SSM on an EC2 instance, then acts with the role's credentials.",
  references: [
    pathfinding('ssm-002'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ssm-privesc.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  resourceType: 'ec2-instance',
  collectedKey: 'ec2-describe-instances',
  arnService: 'ec2',
  actions: ['ssm:SendCommand'],
  resourceLabel: 'an EC2 instance',
  linkSource: 'instance-profile',
  how: 'run a command through SSM on',
});
