import { PASSROLE_DOC, passRoleTechnique, pathfinding, RHINO } from '../builders.js';

export const ec2001PassRole = passRoleTechnique({
  id: 'ec2-001',
  slug: 'iam-passrole-ec2-runinstances',
  name: 'iam:PassRole + ec2:RunInstances',
  attack: 'T1578.002',
  description:
    "Passes a role that trusts ec2.amazonaws.com to a new EC2 instance (user data) and runs its own code with the role's credentials.",
  references: [
    pathfinding('ec2-001'),
    RHINO,
    PASSROLE_DOC,
    {
      title: 'HackTricks: AWS ec2 privilege escalation',
      url: 'https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ec2-privesc/index.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  actions: ['ec2:RunInstances'],
  runs: 'a new EC2 instance (user data)',
  // RunInstances attaches an instance profile, not a role: one must hold the role.
  roleRequires: (role) =>
    role.instanceProfileArns.length ? [] : [`an instance profile holding role ${role.name} (none collected)`],
});
