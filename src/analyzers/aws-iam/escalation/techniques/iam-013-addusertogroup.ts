import { pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam013AddUserToGroup: EscalationTechnique = {
  id: 'iam-013',
  slug: 'iam-addusertogroup',
  name: 'iam:AddUserToGroup',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Adds the user itself to a group whose policies make it administrator (the group’s policies are evaluated together with the user’s, its boundary and SCPs).',
  references: [pathfinding('iam-013'), RHINO],
  requiredActions: ['iam:AddUserToGroup'],
  find(ctx) {
    if (ctx.principal.kind !== 'AwsUser') return [];
    const member = new Set(ctx.ownGroups().map((g) => g.arn));
    return ctx
      .iamTargets('iam:AddUserToGroup', 'group')
      .filter(({ arn }) => !member.has(arn))
      .map(({ arn, decision }) => {
        const name = ctx.run.group(arn)?.name ?? arn;
        return selfAdmin(
          ctx,
          [{ label: `iam:AddUserToGroup on group ${name}`, decision }],
          `can add itself to group ${name}`,
          { addGroups: [arn] },
        );
      });
  },
};
