import { pathfinding, RHINO } from '../builders.js';
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
    return ctx.iamTargets('iam:UpdateLoginProfile', 'user').flatMap(({ arn, decision }) => {
      const user = ctx.run.user(arn);
      if (!user || user.hasConsolePassword === false) return [];
      return [
        {
          target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
          self: false,
          reason: `can change the console password of user ${user.name}`,
          decisions: [{ label: `iam:UpdateLoginProfile on ${user.name}`, decision }],
          ...(user.hasConsolePassword === undefined
            ? { requires: [`user ${user.name} has a console password (not collected)`] }
            : {}),
        },
      ];
    });
  },
};
