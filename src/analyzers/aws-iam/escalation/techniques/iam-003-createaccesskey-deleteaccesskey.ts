import { MAX_ACCESS_KEYS, pathfinding } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam003CreateAccessKeyDeleteAccessKey: EscalationTechnique = {
  id: 'iam-003',
  slug: 'iam-createaccesskey-deleteaccesskey',
  name: 'iam:CreateAccessKey + iam:DeleteAccessKey',
  category: 'principal-access',
  attack: 'T1098.001',
  description:
    'Deletes one of the two access keys of another IAM user, creates a new one and acts as that user.',
  references: [pathfinding('iam-003')],
  requiredActions: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'],
  find(ctx) {
    return ctx.iamTargets('iam:CreateAccessKey', 'user').flatMap(({ arn, decision }) => {
      const user = ctx.run.user(arn);
      if (!user || user.accessKeys.length < MAX_ACCESS_KEYS) return [];
      const remove = ctx.allowed('iam:DeleteAccessKey', arn);
      if (!remove) return [];
      return [
        {
          target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
          self: false,
          reason: `can replace one of the two access keys of user ${user.name}`,
          decisions: [
            { label: `iam:DeleteAccessKey on ${user.name}`, decision: remove },
            { label: `iam:CreateAccessKey on ${user.name}`, decision },
          ],
        },
      ];
    });
  },
};
