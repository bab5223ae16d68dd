import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam018PutUserPolicyCreateAccessKey = modifyAndActTechnique({
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
});
