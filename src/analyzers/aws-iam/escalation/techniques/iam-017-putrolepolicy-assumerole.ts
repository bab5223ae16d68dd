import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam017PutRolePolicyAssumeRole = modifyAndActTechnique({
  id: 'iam-017',
  slug: 'iam-putrolepolicy-assumerole',
  name: 'iam:PutRolePolicy + sts:AssumeRole',
  attack: 'T1098.003',
  description: 'Writes an inline policy with any content into another role it can assume, then assumes it.',
  references: [pathfinding('iam-017'), RHINO],
  modify: {
    action: 'iam:PutRolePolicy',
    on: 'role',
    change: { grantAll: true },
    verb: 'write any inline policy into role',
  },
  actAs: 'assume',
});
