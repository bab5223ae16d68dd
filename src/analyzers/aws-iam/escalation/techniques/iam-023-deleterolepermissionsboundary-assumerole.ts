import { modifyAndActTechnique, pathfinding } from '../builders.js';

export const iam023DeleteRolePermissionsBoundaryAssumeRole = modifyAndActTechnique({
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
});
