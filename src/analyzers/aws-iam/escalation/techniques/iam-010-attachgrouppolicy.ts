import { administratorAccessArn, pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam010AttachGroupPolicy: EscalationTechnique = {
  id: 'iam-010',
  slug: 'iam-attachgrouppolicy',
  name: 'iam:AttachGroupPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Attaches a managed policy such as AdministratorAccess to a group the user is a member of (checked with iam:PolicyARN set to AdministratorAccess).',
  references: [pathfinding('iam-010'), RHINO],
  requiredActions: ['iam:AttachGroupPolicy'],
  find(ctx) {
    const context = { 'iam:PolicyARN': [administratorAccessArn(ctx.partition)] };
    return ctx.ownGroups().flatMap((group) => {
      const decision = ctx.allowed('iam:AttachGroupPolicy', group.arn, context);
      if (!decision) return [];
      return [
        selfAdmin(
          ctx,
          [{ label: `iam:AttachGroupPolicy on its group ${group.name}`, decision }],
          `can attach AdministratorAccess to its group ${group.name}`,
          { grantAll: true },
        ),
      ];
    });
  },
};
