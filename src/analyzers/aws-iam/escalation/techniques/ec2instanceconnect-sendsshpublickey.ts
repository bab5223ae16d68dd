import { existingResourceTechnique } from '../builders.js';

export const ec2InstanceConnectSendSshPublicKey = existingResourceTechnique({
  id: 'ec2instanceconnect-sendsshpublickey',
  slug: 'ec2instanceconnect-sendsshpublickey',
  name: 'ec2-instance-connect:SendSSHPublicKey',
  attack: 'T1098.004',
  description:
    "Uses an existing resource that runs as a role: can push an SSH key to and log in to an EC2 instance, then acts with the role's credentials.",
  references: [
    {
      title: 'AWS documentation',
      url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  resourceType: 'ec2-instance',
  collectedKey: 'ec2-describe-instances',
  arnService: 'ec2',
  actions: ['ec2-instance-connect:SendSSHPublicKey'],
  resourceLabel: 'an EC2 instance',
  linkSource: 'instance-profile',
  how: 'push an SSH key to and log in to',
});
