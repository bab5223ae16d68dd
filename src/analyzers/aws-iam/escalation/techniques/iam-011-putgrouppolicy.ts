import { pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam011PutGroupPolicy: EscalationTechnique = {
  id: 'iam-011',
  slug: 'iam-putgrouppolicy',
  name: 'iam:PutGroupPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description: 'Writes an inline policy with any content into a group the user is a member of.',
  references: [pathfinding('iam-011'), RHINO],
  requiredActions: ['iam:PutGroupPolicy'],
  find(ctx) {
    return ctx.ownGroups().flatMap((group) => {
      const decision = ctx.allowed('iam:PutGroupPolicy', group.arn);
      if (!decision) return [];
      return [
        selfAdmin(
          ctx,
          [{ label: `iam:PutGroupPolicy on its group ${group.name}`, decision }],
          `can write any inline policy into its group ${group.name}`,
          { grantAll: true },
        ),
      ];
    });
  },
};
