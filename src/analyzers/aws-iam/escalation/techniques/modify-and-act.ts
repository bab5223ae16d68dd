import { type ModifyAndActSpec, modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

/** Changes that two techniques share; they differ in how the source then acts as the principal. */
const ATTACH_ADMIN_TO_ROLE: ModifyAndActSpec['modify'] = {
  action: 'iam:AttachRolePolicy',
  on: 'role',
  attach: true,
  change: { grantAll: true },
  verb: 'attach AdministratorAccess to role',
};
const NEW_POLICY_VERSION: ModifyAndActSpec['modify'] = {
  action: 'iam:CreatePolicyVersion',
  on: 'policy',
  change: { grantAll: true },
  verb: 'write a new default version of a policy attached to',
};
const PUT_ROLE_POLICY: ModifyAndActSpec['modify'] = {
  action: 'iam:PutRolePolicy',
  on: 'role',
  change: { grantAll: true },
  verb: 'write any inline policy into role',
};

/**
 * Change another principal's permissions, then act as it (assume it, rewrite its trust, create its
 * access key): one row per technique, in catalogue-id order, each built by `modifyAndActTechnique`.
 */
export const MODIFY_AND_ACT: readonly ModifyAndActSpec[] = [
  {
    id: 'iam-014',
    slug: 'iam-attachrolepolicy-assumerole',
    name: 'iam:AttachRolePolicy + sts:AssumeRole',
    attack: 'T1098.003',
    description: 'Attaches AdministratorAccess to another role it can assume, then assumes it.',
    references: [pathfinding('iam-014'), RHINO],
    modify: ATTACH_ADMIN_TO_ROLE,
    actAs: 'assume',
  },
  {
    id: 'iam-015',
    slug: 'iam-attachuserpolicy-createaccesskey',
    name: 'iam:AttachUserPolicy + iam:CreateAccessKey',
    attack: 'T1098.003',
    description: 'Attaches AdministratorAccess to another user, then creates an access key for it.',
    references: [pathfinding('iam-015'), RHINO],
    modify: {
      action: 'iam:AttachUserPolicy',
      on: 'user',
      attach: true,
      change: { grantAll: true },
      verb: 'attach AdministratorAccess to user',
    },
    actAs: 'access-key',
  },
  {
    id: 'iam-016',
    slug: 'iam-createpolicyversion-assumerole',
    name: 'iam:CreatePolicyVersion + sts:AssumeRole',
    attack: 'T1098.003',
    description:
      'Writes a new default version of a customer-managed policy attached to a role it can assume, then assumes it.',
    references: [pathfinding('iam-016'), RHINO],
    modify: NEW_POLICY_VERSION,
    actAs: 'assume',
  },
  {
    id: 'iam-017',
    slug: 'iam-putrolepolicy-assumerole',
    name: 'iam:PutRolePolicy + sts:AssumeRole',
    attack: 'T1098.003',
    description: 'Writes an inline policy with any content into another role it can assume, then assumes it.',
    references: [pathfinding('iam-017'), RHINO],
    modify: PUT_ROLE_POLICY,
    actAs: 'assume',
  },
  {
    id: 'iam-018',
    slug: 'iam-putuserpolicy-createaccesskey',
    name: 'iam:PutUserPolicy + iam:CreateAccessKey',
    attack: 'T1098.003',
    description:
      'Writes an inline policy with any content into another user, then creates an access key for it.',
    references: [pathfinding('iam-018'), RHINO],
    modify: {
      action: 'iam:PutUserPolicy',
      on: 'user',
      change: { grantAll: true },
      verb: 'write any inline policy into user',
    },
    actAs: 'access-key',
  },
  {
    id: 'iam-019',
    slug: 'iam-attachrolepolicy-updateassumerolepolicy',
    name: 'iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy',
    attack: 'T1098.003',
    description: 'Attaches AdministratorAccess to another role and rewrites its trust policy to assume it.',
    references: [pathfinding('iam-019'), RHINO],
    modify: ATTACH_ADMIN_TO_ROLE,
    actAs: 'update-trust',
  },
  {
    id: 'iam-020',
    slug: 'iam-createpolicyversion-updateassumerolepolicy',
    name: 'iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy',
    attack: 'T1098.003',
    description:
      'Writes a new default version of a customer-managed policy attached to another role and rewrites the role’s trust policy to assume it.',
    references: [pathfinding('iam-020'), RHINO],
    modify: NEW_POLICY_VERSION,
    actAs: 'update-trust',
  },
  {
    id: 'iam-021',
    slug: 'iam-putrolepolicy-updateassumerolepolicy',
    name: 'iam:PutRolePolicy + iam:UpdateAssumeRolePolicy',
    attack: 'T1098.003',
    description:
      'Writes an inline policy with any content into another role and rewrites its trust policy to assume it.',
    references: [pathfinding('iam-021'), RHINO],
    modify: PUT_ROLE_POLICY,
    actAs: 'update-trust',
  },
  {
    id: 'iam-023',
    slug: 'iam-deleterolepermissionsboundary-assumerole',
    name: 'iam:DeleteRolePermissionsBoundary + sts:AssumeRole',
    attack: 'T1098.003',
    description:
      'Removes the permissions boundary of a role it can assume, then assumes it; an escalation when the role without its boundary is administrator.',
    references: [pathfinding('iam-023')],
    modify: {
      action: 'iam:DeleteRolePermissionsBoundary',
      on: 'role',
      change: { dropBoundary: true },
      verb: 'remove the permissions boundary of role',
    },
    actAs: 'assume',
  },
];

export const modifyAndActTechniques = MODIFY_AND_ACT.map(modifyAndActTechnique);
