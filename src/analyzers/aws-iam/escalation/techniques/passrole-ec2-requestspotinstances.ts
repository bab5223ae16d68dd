import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const ec2003PassRole = passRoleTechnique({
  id: 'ec2-003',
  slug: 'iam-passrole-ec2-requestspotinstances',
  name: 'iam:PassRole + ec2:RequestSpotInstances',
  attack: 'T1578.002',
  description:
    "Passes a role that trusts ec2.amazonaws.com to a new EC2 Spot Instance (user data) and runs its own code with the role's credentials. Restricting ec2:RunInstances alone does not close this path.",
  references: [
    pathfinding('ec2-003'),
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ec2 privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ec2-privesc/index.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  actions: ['ec2:RequestSpotInstances'],
  runs: 'a new EC2 Spot Instance (user data)',
  // The role reaches the instance through an instance profile, which must hold it.
  roleRequires: (role) =>
    role.instanceProfileArns.length ? [] : [`an instance profile holding role ${role.name} (none collected)`],
});
