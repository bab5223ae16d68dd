import { administratorAccessArn, pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam009AttachRolePolicy: EscalationTechnique = {
  id: 'iam-009',
  slug: 'iam-attachrolepolicy',
  name: 'iam:AttachRolePolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Attaches a managed policy such as AdministratorAccess to the role itself (checked with iam:PolicyARN set to AdministratorAccess).',
  references: [pathfinding('iam-009'), RHINO],
  requiredActions: ['iam:AttachRolePolicy'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsRole') return [];
    const decision = ctx.allowed('iam:AttachRolePolicy', ctx.principal.id, {
      'iam:PolicyARN': [administratorAccessArn(ctx.partition)],
    });
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:AttachRolePolicy on itself', decision }],
        'can attach AdministratorAccess to itself',
        { grantAll: true },
      ),
    ];
  },
};
