import { administratorAccessArn, pathfinding, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';
import { BOUNDARIES } from './iam-022-delete-permissions-boundary.js';

export const iam024PutUserPermissionsBoundary: EscalationTechnique = {
  id: 'iam-024',
  slug: 'iam-putuserpermissionsboundary',
  name: 'iam:PutUserPermissionsBoundary',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Replaces the user’s own permissions boundary with one that allows everything (checked with iam:PermissionsBoundary set to AdministratorAccess); an escalation when its policies then make it administrator.',
  references: [pathfinding('iam-024'), BOUNDARIES],
  requiredActions: ['iam:PutUserPermissionsBoundary'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsUser' || !ctx.run.user(ctx.principal.id)?.permissionsBoundaryArn)
      return [];
    const decision = ctx.allowed('iam:PutUserPermissionsBoundary', ctx.principal.id, {
      'iam:PermissionsBoundary': [administratorAccessArn(ctx.partition)],
    });
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:PutUserPermissionsBoundary on itself', decision }],
        'can replace its own permissions boundary with AdministratorAccess',
        { dropBoundary: true },
      ),
    ];
  },
};
