import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';

export const imagebuilder001PassRole = passRoleTechnique({
  id: 'imagebuilder-001',
  slug: 'iam-passrole-imagebuilder-createcomponent-createimagerecipe-createinfrastructureconfiguration-createimage',
  name: 'iam:PassRole + imagebuilder:CreateComponent + imagebuilder:CreateImageRecipe + imagebuilder:CreateInfrastructureConfiguration + imagebuilder:CreateImage',
  attack: 'T1578.002',
  description:
    "Passes a role that trusts ec2.amazonaws.com as instance profile of an EC2 Image Builder build whose component runs its own commands on the build instance with the role's credentials.",
  references: [
    pathfinding('imagebuilder-001'),
    PASSROLE_DOC,
    {
      title: 'EC2 Image Builder security best practices',
      url: 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-best-practices.html',
    },
  ],
  service: 'ec2.amazonaws.com',
  actions: [
    'imagebuilder:CreateComponent',
    'imagebuilder:CreateImageRecipe',
    'imagebuilder:CreateInfrastructureConfiguration',
    'imagebuilder:CreateImage',
  ],
  runs: 'a new EC2 Image Builder build instance',
  // The role reaches the instance through an instance profile, which must hold it.
  roleRequires: (role) =>
    role.instanceProfileArns.length ? [] : [`an instance profile holding role ${role.name} (none collected)`],
});
