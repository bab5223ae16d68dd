import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam014AttachRolePolicyAssumeRole = modifyAndActTechnique({
  id: 'iam-014',
  slug: 'iam-attachrolepolicy-assumerole',
  name: 'iam:AttachRolePolicy + sts:AssumeRole',
  attack: 'T1098.003',
  description: 'Attaches AdministratorAccess to another role it can assume, then assumes it.',
  references: [pathfinding('iam-014'), RHINO],
  modify: {
    action: 'iam:AttachRolePolicy',
    on: 'role',
    attach: true,
    change: { grantAll: true },
    verb: 'attach AdministratorAccess to role',
  },
  actAs: 'assume',
});
