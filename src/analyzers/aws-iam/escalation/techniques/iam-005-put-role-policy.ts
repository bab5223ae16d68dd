import { pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam005PutRolePolicy: EscalationTechnique = {
  id: 'iam-005',
  slug: 'iam-putrolepolicy',
  name: 'iam:PutRolePolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description: 'Writes an inline policy with any content into the role itself.',
  references: [pathfinding('iam-005'), RHINO],
  requiredActions: ['iam:PutRolePolicy'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsRole') return [];
    const decision = ctx.allowed('iam:PutRolePolicy', ctx.principal.id);
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:PutRolePolicy on itself', decision }],
        'can write any inline policy into itself',
        { grantAll: true },
      ),
    ];
  },
};
