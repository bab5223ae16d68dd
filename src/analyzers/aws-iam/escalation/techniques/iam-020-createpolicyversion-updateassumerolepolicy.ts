import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam020CreatePolicyVersionUpdateAssumeRolePolicy = modifyAndActTechnique({
  id: 'iam-020',
  slug: 'iam-createpolicyversion-updateassumerolepolicy',
  name: 'iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy',
  attack: 'T1098.003',
  description:
    'Writes a new default version of a customer-managed policy attached to another role and rewrites the role’s trust policy to assume it.',
  references: [pathfinding('iam-020'), RHINO],
  modify: {
    action: 'iam:CreatePolicyVersion',
    on: 'policy',
    change: { grantAll: true },
    verb: 'write a new default version of a policy attached to',
  },
  actAs: 'update-trust',
});
