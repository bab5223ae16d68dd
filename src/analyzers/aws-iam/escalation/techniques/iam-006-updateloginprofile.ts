import { pathfinding, RHINO } from '../builders.js';
import { principalWrites, writeProduct } from '../principal-write-class.js';
import type { EscalationTechnique } from '../types.js';

export const iam006UpdateLoginProfile: EscalationTechnique = {
  id: 'iam-006',
  slug: 'iam-updateloginprofile',
  name: 'iam:UpdateLoginProfile',
  category: 'principal-access',
  attack: 'T1098.001',
  description: 'Changes the console password of another IAM user and signs in as that user.',
  references: [pathfinding('iam-006'), RHINO],
  requiredActions: ['iam:UpdateLoginProfile'],
  find(ctx) {
    const { writes, shared } = principalWrites(ctx, 'iam:UpdateLoginProfile', 'user', {
      filter: 'console password',
      words: 'with a console password',
      keeps: (arn) => {
        const user = ctx.run.user(arn);
        return user !== undefined && user.hasConsolePassword !== false;
      },
    });
    // One decision for every user its patterns name: a product (principal-write-class.ts).
    const product =
      shared &&
      writeProduct(
        shared.class,
        'iam-006',
        `can change the console password of any user of account ${ctx.account.accountId} matching ${shared.class.patterns.join(' or ')} with one`,
      );
    return writes.map(({ arn, decision }) => {
      const user = ctx.run.user(arn) as NonNullable<ReturnType<typeof ctx.run.user>>;
      return {
        target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
        self: false,
        reason: `can change the console password of user ${user.name}`,
        decisions: [shared?.decision ?? { label: `iam:UpdateLoginProfile on ${user.name}`, decision }],
        ...(user.hasConsolePassword === undefined
          ? { requires: [`user ${user.name} has a console password (not collected)`] }
          : {}),
        ...(product ? { product } : {}),
      };
    });
  },
};
