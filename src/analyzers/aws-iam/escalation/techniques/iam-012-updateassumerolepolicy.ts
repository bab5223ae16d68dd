import { pathfinding, RHINO, roleTarget } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam012UpdateAssumeRolePolicy: EscalationTechnique = {
  id: 'iam-012',
  slug: 'iam-updateassumerolepolicy',
  aliases: ['sts-004'],
  name: 'iam:UpdateAssumeRolePolicy',
  category: 'principal-access',
  attack: 'T1098.003',
  description:
    'Rewrites the trust policy of a role of the same account to name the principal, then assumes it. A trust policy naming a principal of the same account lets it assume the role without an identity-policy grant of sts:AssumeRole (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html); service-linked roles cannot be edited.',
  references: [pathfinding('iam-012'), pathfinding('sts-004'), RHINO],
  requiredActions: ['iam:UpdateAssumeRolePolicy'],
  find(ctx) {
    return ctx.iamTargets('iam:UpdateAssumeRolePolicy', 'role').flatMap(({ arn, decision }) => {
      const role = ctx.run.role(arn);
      if (!role || role.serviceLinked) return [];
      return [
        {
          target: roleTarget(role),
          self: false,
          reason: `can rewrite the trust policy of role ${role.name} to admit itself`,
          decisions: [{ label: `iam:UpdateAssumeRolePolicy on ${role.name}`, decision }],
        },
      ];
    });
  },
};
