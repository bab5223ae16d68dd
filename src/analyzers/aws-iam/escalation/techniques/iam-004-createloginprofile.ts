import { pathfinding, RHINO } from '../builders.js';
import { principalWrites, writeProduct } from '../principal-write-class.js';
import type { EscalationTechnique } from '../types.js';

export const iam004CreateLoginProfile: EscalationTechnique = {
  id: 'iam-004',
  slug: 'iam-createloginprofile',
  name: 'iam:CreateLoginProfile',
  category: 'principal-access',
  attack: 'T1098.001',
  description: 'Sets a console password for another IAM user that has none and signs in as that user.',
  references: [pathfinding('iam-004'), RHINO],
  requiredActions: ['iam:CreateLoginProfile'],
  find(ctx) {
    const { writes, shared } = principalWrites(ctx, 'iam:CreateLoginProfile', 'user', {
      filter: 'no console password',
      words: 'without a console password',
      keeps: (arn) => {
        const user = ctx.run.user(arn);
        return user !== undefined && user.hasConsolePassword !== true;
      },
    });
    // One decision for every user its patterns name: a product (principal-write-class.ts).
    const product =
      shared &&
      writeProduct(
        shared.class,
        'iam-004',
        `can create a console password for any user of account ${ctx.account.accountId} matching ${shared.class.patterns.join(' or ')} without one`,
      );
    return writes.map(({ arn, decision }) => {
      const user = ctx.run.user(arn) as NonNullable<ReturnType<typeof ctx.run.user>>;
      return {
        target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
        self: false,
        reason: `can create a console password for user ${user.name}`,
        decisions: [shared?.decision ?? { label: `iam:CreateLoginProfile on ${user.name}`, decision }],
        // Without the credential report, whether the user already has a password is unknown.
        ...(user.hasConsolePassword === undefined
          ? { requires: [`user ${user.name} has no console password (not collected)`] }
          : {}),
        ...(product ? { product } : {}),
      };
    });
  },
};
