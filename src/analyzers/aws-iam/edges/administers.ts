import type { StatementMatch } from '../engine/types.js';
import type { DerivedEdge, EdgeFamily } from '../types.js';
import { conditionalProperties, evidenceFrom, isGranted } from './evidence.js';
import { edge, scopeOf } from './nodes.js';

/**
 * ADMINISTERS: the principal's effective permissions amount to full control of its account. The
 * definition is the authorizer's `isAdmin` (see authorizer/admin.ts): an identity statement
 * grants every action on every resource and the engine allows each probe action (IAM policy and
 * credential writes, PassRole, AssumeRole, reading S3/KMS/Secrets Manager, running EC2/Lambda) on
 * `*` through every deny, boundary and SCP. An administrator only under undecided conditions
 * (MFA, source IP…) gets a conditional edge.
 */
export const administers: EdgeFamily = {
  name: 'administers',
  emits: ['ADMINISTERS'],
  description:
    'A principal administers its account: an identity policy grants every action on every resource, and no explicit deny, permissions boundary or SCP takes back any of the probe actions (IAM policy and credential writes, iam:PassRole, sts:AssumeRole, s3:GetObject, kms:Decrypt, secretsmanager:GetSecretValue, ec2:RunInstances, lambda:CreateFunction on *). Escalation paths end at these.',
  derive(authorizer) {
    const edges: DerivedEdge[] = [];
    for (const principal of authorizer.principals()) {
      const decision = authorizer.isAdmin(principal.id);
      if (!isGranted(decision)) continue;
      const describe = (m: StatementMatch) =>
        `${m.policyName} (statement ${m.statement}) grants ${principal.id.slice(principal.id.lastIndexOf('/') + 1)} full control of account ${principal.accountId}`;
      edges.push(
        edge({
          type: 'ADMINISTERS',
          from: principal.id,
          fromKind: principal.kind,
          to: `aws:account:${principal.accountId}`,
          toKind: 'AwsAccount',
          scope: scopeOf(principal.accountId),
          properties: conditionalProperties([decision]),
          evidence: evidenceFrom(decision, describe),
        }),
      );
    }
    return { edges };
  },
};
