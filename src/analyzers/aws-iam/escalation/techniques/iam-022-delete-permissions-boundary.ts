import { pathfinding, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

const BOUNDARIES = {
  title: 'AWS: permissions boundaries for IAM entities',
  url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
};

export { BOUNDARIES };

export const iam022DeleteUserPermissionsBoundary: EscalationTechnique = {
  id: 'iam-022',
  slug: 'iam-deleteuserpermissionsboundary',
  name: 'iam:DeleteUserPermissionsBoundary',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Removes the permissions boundary from the user itself; an escalation when its policies without the boundary make it administrator.',
  references: [pathfinding('iam-022'), BOUNDARIES],
  requiredActions: ['iam:DeleteUserPermissionsBoundary'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsUser' || !ctx.run.user(ctx.principal.id)?.permissionsBoundaryArn)
      return [];
    const decision = ctx.allowed('iam:DeleteUserPermissionsBoundary', ctx.principal.id);
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:DeleteUserPermissionsBoundary on itself', decision }],
        'can remove its own permissions boundary',
        { dropBoundary: true },
      ),
    ];
  },
};
