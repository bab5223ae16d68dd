import { RHINO, selfAdmin } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

export const iamSetDefaultPolicyVersion: EscalationTechnique = {
  id: 'iam-setdefaultpolicyversion',
  slug: 'iam-setdefaultpolicyversion',
  name: 'iam:SetDefaultPolicyVersion',
  category: 'self-escalation',
  attack: 'T1098.003',
  description:
    'Makes a stored non-default version of a customer-managed policy that applies to the principal the default. An escalation only when that version makes the principal administrator.',
  references: [
    RHINO,
    {
      title: 'AWS: versioning IAM policies',
      url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html',
    },
  ],
  requiredActions: ['iam:SetDefaultPolicyVersion'],
  find(ctx) {
    return ctx.policiesApplyingTo(ctx.principal.id).flatMap((policy) => {
      if (policy.otherVersions.length === 0) return [];
      const set = ctx.allowed('iam:SetDefaultPolicyVersion', policy.arn);
      if (!set) return [];
      return policy.otherVersions.map((version) =>
        selfAdmin(
          ctx,
          [{ label: `iam:SetDefaultPolicyVersion on ${policy.arn}`, decision: set }],
          `can make version ${version.versionId} of policy ${policy.policy.name}, which applies to it, the default`,
          { replacePolicy: { policyId: policy.arn, document: version.document } },
        ),
      );
    });
  },
};
