import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const emr001PassRole = passRoleTechnique({
  id: 'emr-001',
  slug: 'iam-passrole-elasticmapreduce-runjobflow',
  name: 'iam:PassRole + elasticmapreduce:RunJobFlow',
  attack: 'T1578.002',
  description:
    "Passes a role that trusts ec2.amazonaws.com as the instance profile of a new EMR cluster whose step runs its own commands on the master node with the role's credentials. The cluster also needs an EMR service role.",
  references: [
    pathfinding('emr-001'),
    PASSROLE_DOC,
    {
      title: 'Amazon EMR: IAM service roles',
      url: 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles.html',
    },
  ],
  // The instance profile role is passed for EC2 (AmazonEMRFullAccessPolicy_v2 conditions it on
  // iam:PassedToService ec2.amazonaws.com); the EMR service role is a second, separate pass.
  service: 'ec2.amazonaws.com',
  actions: ['elasticmapreduce:RunJobFlow'],
  runs: 'a new EMR cluster (a step on its master node)',
  // The role reaches the instance through an instance profile, which must hold it.
  roleRequires: (role) =>
    role.instanceProfileArns.length ? [] : [`an instance profile holding role ${role.name} (none collected)`],
});
