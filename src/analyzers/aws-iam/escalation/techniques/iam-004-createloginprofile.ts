import { pathfinding, RHINO } from '../builders.js';
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
    return ctx.iamTargets('iam:CreateLoginProfile', 'user').flatMap(({ arn, decision }) => {
      const user = ctx.run.user(arn);
      if (!user || user.hasConsolePassword === true) return [];
      return [
        {
          target: { kind: 'principal', id: arn, nodeKind: 'AwsUser' },
          self: false,
          reason: `can create a console password for user ${user.name}`,
          decisions: [{ label: `iam:CreateLoginProfile on ${user.name}`, decision }],
          // Without the credential report, whether the user already has a password is unknown.
          ...(user.hasConsolePassword === undefined
            ? { requires: [`user ${user.name} has no console password (not collected)`] }
            : {}),
        },
      ];
    });
  },
};
