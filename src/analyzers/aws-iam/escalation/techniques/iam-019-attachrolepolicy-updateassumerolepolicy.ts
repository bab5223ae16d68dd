import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam019AttachRolePolicyUpdateAssumeRolePolicy = modifyAndActTechnique({
  id: 'iam-019',
  slug: 'iam-attachrolepolicy-updateassumerolepolicy',
  name: 'iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy',
  attack: 'T1098.003',
  description: 'Attaches AdministratorAccess to another role and rewrites its trust policy to assume it.',
  references: [pathfinding('iam-019'), RHINO],
  modify: {
    action: 'iam:AttachRolePolicy',
    on: 'role',
    attach: true,
    change: { grantAll: true },
    verb: 'attach AdministratorAccess to role',
  },
  actAs: 'update-trust',
});
