import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam021PutRolePolicyUpdateAssumeRolePolicy = modifyAndActTechnique({
  id: 'iam-021',
  slug: 'iam-putrolepolicy-updateassumerolepolicy',
  name: 'iam:PutRolePolicy + iam:UpdateAssumeRolePolicy',
  attack: 'T1098.003',
  description:
    'Writes an inline policy with any content into another role and rewrites its trust policy to assume it.',
  references: [pathfinding('iam-021'), RHINO],
  modify: {
    action: 'iam:PutRolePolicy',
    on: 'role',
    change: { grantAll: true },
    verb: 'write any inline policy into role',
  },
  actAs: 'update-trust',
});
