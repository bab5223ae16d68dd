import { modifyAndActTechnique, pathfinding, RHINO } from '../builders.js';

export const iam015AttachUserPolicyCreateAccessKey = modifyAndActTechnique({
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
});
