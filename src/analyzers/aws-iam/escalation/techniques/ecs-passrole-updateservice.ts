import type { AwsResourceData } from '../../../../model/aws/environment.js';
import type { Decision } from '../../engine/types.js';
import { hackTricks, PASSROLE_DOC, roleTarget } from '../builders.js';
import type { EscalationContext } from '../context.js';
import type { EscalationTechnique, RequiredDecision } from '../types.js';

const SERVICE = 'ecs-tasks.amazonaws.com';
/** The document whose presence says the account's ECS clusters (and their services) were collected. */
const CLUSTERS = 'ecs-list-clusters';

/**
 * Registers a new revision of a task definition with another role as its task role and points an
 * existing ECS service at it: the service replaces its tasks, and the new tasks run the caller's
 * container with the passed role's credentials. No cluster or service is created, so policies that
 * deny ecs:CreateService and ecs:RunTask do not close this path.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 */
export const ecsPassRoleUpdateService: EscalationTechnique = {
  id: 'ecs-passrole-updateservice',
  slug: 'ecs-passrole-updateservice',
  name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:UpdateService',
  category: 'existing-passrole',
  attack: 'T1610',
  description:
    "Registers a task definition whose task role is a role that trusts ecs-tasks.amazonaws.com, updates an existing ECS service to run it, and runs its own code with the role's credentials.",
  references: [PASSROLE_DOC, hackTricks('aws-ecs-privesc/index.html', 'ecs')],
  requiredActions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService'],
  find(ctx) {
    const roles = ctx.rolesPassableTo(SERVICE);
    if (roles.length === 0) return [];
    const register = ctx.somewhereAll(['ecs:RegisterTaskDefinition']);
    if (!register) return [];
    const update = serviceToUpdate(ctx);
    if (!update) return [];
    return roles.map(({ role, pass, trust }) => ({
      target: roleTarget(role),
      self: false,
      reason: update.service
        ? `can register a task definition running as role ${role.name} and update ECS service ${update.service.name} to run it`
        : `can register a task definition running as role ${role.name} and update an ECS service to run it, if one exists`,
      decisions: [
        { label: `iam:PassRole on ${role.name} to ${SERVICE}`, decision: pass },
        ...register,
        update.decision,
        { label: `trust policy of ${role.name} admits ${SERVICE}`, decision: trust },
      ],
      ...(update.service
        ? {
            evidence: [
              {
                source: 'workload-spec' as const,
                ref: update.service.arn,
                reason: `ECS service ${update.service.name} exists (it runs ${String(update.service.attributes?.taskDefinition ?? 'a task definition')})`,
              },
            ],
          }
        : { requires: ['an existing ECS service (clusters and services were not collected)'] }),
    }));
  },
};

/**
 * A collected service the principal may update (an unconditional decision first), or, when the
 * account's services were not collected, permission to update some service.
 */
function serviceToUpdate(
  ctx: EscalationContext,
): { decision: RequiredDecision; service?: AwsResourceData } | undefined {
  const services = ctx.collectedResources('ecs-service', CLUSTERS);
  if (!services) {
    const decision = ctx.somewhere('ecs:UpdateService');
    return (
      decision && { decision: { label: `ecs:UpdateService in account ${ctx.principal.accountId}`, decision } }
    );
  }
  let best: { decision: Decision; service: AwsResourceData } | undefined;
  for (const service of services) {
    const decision = ctx.allowed('ecs:UpdateService', service.arn);
    if (!decision) continue;
    if (!best || (best.decision.outcome === 'conditional' && decision.outcome === 'allow'))
      best = { decision, service };
    if (best.decision.outcome === 'allow') break;
  }
  return (
    best && {
      decision: { label: `ecs:UpdateService on ${best.service.name}`, decision: best.decision },
      service: best.service,
    }
  );
}
