import { existingResourceTechnique, pathfinding } from '../builders.js';

export const ec2002 = existingResourceTechnique({
  id: 'ec2-002',
  slug: 'ec2-modifyinstanceattribute-stopinstances-startinstances',
  name: 'ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can rewrite the user data of and restart an EC2 instance, then acts with the role's credentials.",
  references: [
    pathfinding('ec2-002'),
    {
      title: 'HackTricks: AWS privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ec2-privesc/index.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  resourceType: 'ec2-instance',
  collectedKey: 'ec2-describe-instances',
  actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
  resourceLabel: 'an EC2 instance',
  linkSource: 'instance-profile',
  how: 'rewrite the user data of and restart',
});
