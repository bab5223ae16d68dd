import { type ModifyItselfSpec, modifyItselfTechnique, pathfinding, RHINO } from '../builders.js';

const BOUNDARIES_DOC = {
  title: 'AWS: permissions boundaries for IAM entities',
  url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
};

/**
 * Change one's own permissions with one IAM action on oneself (write or attach a policy, drop the
 * permissions boundary): one row per technique, in catalogue-id order, each built by
 * `modifyItselfTechnique`.
 */
export const MODIFY_ITSELF: readonly ModifyItselfSpec[] = [
  {
    id: 'iam-005',
    slug: 'iam-putrolepolicy',
    name: 'iam:PutRolePolicy',
    attack: 'T1098.003',
    description: 'Writes an inline policy with any content into the role itself.',
    references: [pathfinding('iam-005'), RHINO],
    action: 'iam:PutRolePolicy',
    principal: 'AwsRole',
    reason: 'can write any inline policy into itself',
    change: { grantAll: true },
  },
  {
    id: 'iam-007',
    slug: 'iam-putuserpolicy',
    name: 'iam:PutUserPolicy',
    attack: 'T1098.003',
    description: 'Writes an inline policy with any content into the user itself.',
    references: [pathfinding('iam-007'), RHINO],
    action: 'iam:PutUserPolicy',
    principal: 'AwsUser',
    reason: 'can write any inline policy into itself',
    change: { grantAll: true },
  },
  {
    id: 'iam-008',
    slug: 'iam-attachuserpolicy',
    name: 'iam:AttachUserPolicy',
    attack: 'T1098.003',
    description:
      'Attaches a managed policy such as AdministratorAccess to the user itself (checked with iam:PolicyARN set to AdministratorAccess).',
    references: [pathfinding('iam-008'), RHINO],
    action: 'iam:AttachUserPolicy',
    principal: 'AwsUser',
    administratorAccessKey: 'iam:PolicyARN',
    reason: 'can attach AdministratorAccess to itself',
    change: { grantAll: true },
  },
  {
    id: 'iam-009',
    slug: 'iam-attachrolepolicy',
    name: 'iam:AttachRolePolicy',
    attack: 'T1098.003',
    description:
      'Attaches a managed policy such as AdministratorAccess to the role itself (checked with iam:PolicyARN set to AdministratorAccess).',
    references: [pathfinding('iam-009'), RHINO],
    action: 'iam:AttachRolePolicy',
    principal: 'AwsRole',
    administratorAccessKey: 'iam:PolicyARN',
    reason: 'can attach AdministratorAccess to itself',
    change: { grantAll: true },
  },
  {
    id: 'iam-022',
    slug: 'iam-deleteuserpermissionsboundary',
    name: 'iam:DeleteUserPermissionsBoundary',
    attack: 'T1098.003',
    description:
      'Removes the permissions boundary from the user itself; an escalation when its policies without the boundary make it administrator.',
    references: [pathfinding('iam-022'), BOUNDARIES_DOC],
    action: 'iam:DeleteUserPermissionsBoundary',
    principal: 'AwsUser',
    needsBoundary: true,
    reason: 'can remove its own permissions boundary',
    change: { dropBoundary: true },
  },
  {
    id: 'iam-024',
    slug: 'iam-putuserpermissionsboundary',
    name: 'iam:PutUserPermissionsBoundary',
    attack: 'T1098.003',
    description:
      'Replaces the user’s own permissions boundary with one that allows everything (checked with iam:PermissionsBoundary set to AdministratorAccess); an escalation when its policies then make it administrator.',
    references: [pathfinding('iam-024'), BOUNDARIES_DOC],
    action: 'iam:PutUserPermissionsBoundary',
    principal: 'AwsUser',
    needsBoundary: true,
    administratorAccessKey: 'iam:PermissionsBoundary',
    reason: 'can replace its own permissions boundary with AdministratorAccess',
    change: { dropBoundary: true },
  },
];

export const modifyItselfTechniques = MODIFY_ITSELF.map(modifyItselfTechnique);
