import { MAX_ACCESS_KEYS, pathfinding, RHINO } from '../builders.js';
import { principalWrites, writeProduct } from '../principal-write-class.js';
import type { EscalationTechnique } from '../types.js';

export const iam002CreateAccessKey: EscalationTechnique = {
  id: 'iam-002',
  slug: 'iam-createaccesskey',
  name: 'iam:CreateAccessKey',
  category: 'principal-access',
  attack: 'T1098.001',
  description:
    'Creates an access key for another IAM user (one with fewer than two keys) and acts as that user.',
  references: [pathfinding('iam-002'), RHINO],
  requiredActions: ['iam:CreateAccessKey'],
  find(ctx) {
    const { writes, shared } = principalWrites(ctx, 'iam:CreateAccessKey', 'user', {
      filter: 'fewer than two keys',
      words: 'with fewer than two access keys',
      keeps: (arn) => {
        const user = ctx.run.user(arn);
        return user !== undefined && user.accessKeys.length < MAX_ACCESS_KEYS;
      },
    });
    // One decision for every user its patterns name: a product (principal-write-class.ts).
    const product =
      shared &&
      writeProduct(
        shared.class,
        'iam-002',
        `can create an access key for any user of account ${ctx.account.accountId} matching ${shared.class.patterns.join(' or ')} with fewer than two access keys`,
      );
    return writes.map(({ arn, decision }) => {
      const name = ctx.run.user(arn)?.name ?? arn;
      return {
        target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
        self: false,
        reason: `can create an access key for user ${name}`,
        decisions: [shared?.decision ?? { label: `iam:CreateAccessKey on ${name}`, decision }],
        ...(product ? { product } : {}),
      };
    });
  },
};
