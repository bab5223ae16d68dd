import { pathfinding, RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique, RequiredDecision } from '../types.js';

/** A managed policy holds at most five versions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const MAX_VERSIONS = 5;

export const iam001CreatePolicyVersion: EscalationTechnique = {
  id: 'iam-001',
  slug: 'iam-createpolicyversion',
  name: 'iam:CreatePolicyVersion',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Creates a new default version, with any content, of a customer-managed policy that applies to the principal (attached to it or to one of its groups).',
  references: [pathfinding('iam-001'), RHINO],
  requiredActions: ['iam:CreatePolicyVersion'],
  find(ctx) {
    return ctx.policiesApplyingTo(ctx.principal.id).flatMap((policy) => {
      const create = ctx.allowed('iam:CreatePolicyVersion', policy.arn);
      if (!create) return [];
      const decisions: RequiredDecision[] = [
        { label: `iam:CreatePolicyVersion on ${policy.arn}`, decision: create },
      ];
      if (policy.otherVersions.length + 1 >= MAX_VERSIONS) {
        const remove = ctx.allowed('iam:DeletePolicyVersion', policy.arn);
        if (!remove) return [];
        decisions.push({
          label: `iam:DeletePolicyVersion on ${policy.arn} (it has ${MAX_VERSIONS} versions)`,
          decision: remove,
        });
      }
      return [
        selfAdmin(
          ctx,
          decisions,
          `can write a new default version of policy ${policy.policy.name}, which applies to it`,
          {
            grantAll: true,
          },
        ),
      ];
    });
  },
};
