import { pathfinding, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iam025DetachUserPolicy: EscalationTechnique = {
  id: 'iam-025',
  slug: 'iam-detachuserpolicy',
  name: 'iam:DetachUserPolicy',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Detaches managed policies with Deny statements from the user itself; an escalation when the user is administrator without them. (A Deny that only blocks another escalation action is not followed further.)',
  references: [
    pathfinding('iam-025'),
    {
      title: 'AWS: policy evaluation logic',
      url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    },
  ],
  requiredActions: ['iam:DetachUserPolicy'],
  find(ctx) {
    const user = ctx.run.user(ctx.principal.id);
    if (!user) return [];
    const denying = user.attachedPolicyArns.filter((arn) =>
      ctx.run.managedPolicy(arn)?.policy.document.Statement.some((s) => s.Effect === 'Deny'),
    );
    if (denying.length === 0) return [];
    const decisions = [];
    for (const arn of denying) {
      const decision = ctx.allowed('iam:DetachUserPolicy', user.arn, { 'iam:PolicyARN': [arn] });
      if (!decision) return [];
      decisions.push({ label: `iam:DetachUserPolicy of ${arn} from itself`, decision });
    }
    return [
      selfAdmin(ctx, decisions, 'can detach the managed policies that deny it', { dropPolicies: denying }),
    ];
  },
};
