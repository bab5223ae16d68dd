import { administratorAccessArn, pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam008AttachUserPolicy: EscalationTechnique = {
  id: 'iam-008',
  slug: 'iam-attachuserpolicy',
  name: 'iam:AttachUserPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Attaches a managed policy such as AdministratorAccess to the user itself (checked with iam:PolicyARN set to AdministratorAccess).',
  references: [pathfinding('iam-008'), RHINO],
  requiredActions: ['iam:AttachUserPolicy'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsUser') return [];
    const decision = ctx.allowed('iam:AttachUserPolicy', ctx.principal.id, {
      'iam:PolicyARN': [administratorAccessArn(ctx.partition)],
    });
    if (!decision) return [];
    return [
      selfAdmin(
        ctx,
        [{ label: 'iam:AttachUserPolicy on itself', decision }],
        'can attach AdministratorAccess to itself',
        { grantAll: true },
      ),
    ];
  },
};
