import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam016CreatePolicyVersionAssumeRole = modifyAndActTechnique({
  id: 'iam-016',
  slug: 'iam-createpolicyversion-assumerole',
  name: 'iam:CreatePolicyVersion + sts:AssumeRole',
  attack: 'T1098.003',
  description:
    'Writes a new default version of a customer-managed policy attached to a role it can assume, then assumes it.',
  references: [pathfinding('iam-016'), RHINO],
  modify: {
    action: 'iam:CreatePolicyVersion',
    on: 'policy',
    change: { grantAll: true },
    verb: 'write a new default version of a policy attached to',
  },
  actAs: 'assume',
});
