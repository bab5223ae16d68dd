import { MAX_ACCESS_KEYS, pathfinding, RHINO } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam002CreateAccessKey: EscalationTechnique = {
  id: 'iam-002',
  slug: 'iam-createaccesskey',
  name: 'iam:CreateAccessKey',
  category: 'principal-access',
  attack: 'T1098.001',
  description:
    'Creates an access key for another IAM user (one with fewer than two keys) and acts as that user.',
  references: [pathfinding('iam-002'), RHINO],
  requiredActions: ['iam:CreateAccessKey'],
  find(ctx) {
    return ctx.iamTargets('iam:CreateAccessKey', 'user').flatMap(({ arn, decision }) => {
      const user = ctx.run.user(arn);
      if (!user || user.accessKeys.length >= MAX_ACCESS_KEYS) return [];
      return [
        {
          target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
          self: false,
          reason: `can create an access key for user ${user.name}`,
          decisions: [{ label: `iam:CreateAccessKey on ${user.name}`, decision }],
        },
      ];
    });
  },
};
