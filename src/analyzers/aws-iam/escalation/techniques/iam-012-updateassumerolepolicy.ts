import { pathfinding, RHINO, roleTarget } from '../builders.js';
import { principalWrites, writeProduct } from '../principal-write-class.js';
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
    const { writes, shared } = principalWrites(ctx, 'iam:UpdateAssumeRolePolicy', 'role', {
      filter: 'not service-linked',
      words: 'but service-linked ones',
      keeps: (arn) => ctx.run.role(arn)?.serviceLinked === false,
    });
    // A caller whose decision is the same for every role its patterns name states it once: its
    // pairs are a product (principal-write-class.ts). Otherwise each names its role.
    const product =
      shared &&
      writeProduct(
        shared.class,
        'iam-012',
        `can rewrite the trust policy of any role of account ${ctx.account.accountId} matching ${shared.class.patterns.join(' or ')} (but service-linked ones) to admit itself`,
      );
    return writes.map(({ arn, decision }) => {
      const role = ctx.run.role(arn) as NonNullable<ReturnType<typeof ctx.run.role>>;
      return {
        target: roleTarget(role),
        self: false,
        reason: `can rewrite the trust policy of role ${role.name} to admit itself`,
        decisions: [shared?.decision ?? { label: `iam:UpdateAssumeRolePolicy on ${role.name}`, decision }],
        ...(product ? { product } : {}),
      };
    });
  },
};
