import { existingResourceTechnique, pathfinding } from '../builders.js';

export const ec2004 = existingResourceTechnique({
  id: 'ec2-004',
  slug: 'ec2-createlaunchtemplateversion-modifylaunchtemplate',
  aliases: ['ec2-005'],
  name: 'ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate',
  attack: 'T1651',
  description:
    "Uses an existing resource that runs as a role: can write a new default version (user data) of an EC2 launch template with an instance profile, then acts with the role's credentials.",
  references: [
    pathfinding('ec2-004'),
    pathfinding('ec2-005'),
    {
      title: 'AWS documentation',
      url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'],
  resourceLabel: 'an EC2 launch template with an instance profile',
  linkSource: 'instance-profile',
  how: 'write a new default version (user data) of',
});
