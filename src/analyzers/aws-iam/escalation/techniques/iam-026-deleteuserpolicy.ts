import { pathfinding, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam026DeleteUserPolicy: EscalationTechnique = {
  id: 'iam-026',
  slug: 'iam-deleteuserpolicy',
  name: 'iam:DeleteUserPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Deletes the user’s own inline policies that hold Deny statements; an escalation when the user is administrator without them.',
  references: [pathfinding('iam-026')],
  requiredActions: ['iam:DeleteUserPolicy'],
  find(ctx) {
    const user = ctx.run.user(ctx.principal.id);
    if (!user) return [];
    const denying = user.inlinePolicies.filter((p) => p.document.Statement.some((s) => s.Effect === 'Deny'));
    if (denying.length === 0) return [];
    const decision = ctx.allowed('iam:DeleteUserPolicy', user.arn);
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:DeleteUserPolicy on itself', decision }],
        `can delete its inline policies that deny it (${denying.map((p) => p.name).join(', ')})`,
        { dropPolicies: denying.map((p) => p.id) },
      ),
    ];
  },
};
