import { pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam007PutUserPolicy: EscalationTechnique = {
  id: 'iam-007',
  slug: 'iam-putuserpolicy',
  name: 'iam:PutUserPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description: 'Writes an inline policy with any content into the user itself.',
  references: [pathfinding('iam-007'), RHINO],
  requiredActions: ['iam:PutUserPolicy'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsUser') return [];
    const decision = ctx.allowed('iam:PutUserPolicy', ctx.principal.id);
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:PutUserPolicy on itself', decision }],
        'can write any inline policy into itself',
        { grantAll: true },
      ),
    ];
  },
};
