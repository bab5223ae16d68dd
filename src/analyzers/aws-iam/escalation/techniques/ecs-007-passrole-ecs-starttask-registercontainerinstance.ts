import { PASSROLE_DOC, passRoleTechnique, pathfinding } from '../builders.js';
import { decidingPrerequisites, ECS_CLUSTER, ECS_TASK_DEFINITION } from '../collected-prerequisites.js';
import type { EscalationTechnique } from '../types.js';

const base = decidingPrerequisites(
  passRoleTechnique({
    id: 'ecs-007',
    slug: 'iam-passrole-ecs-starttask-registercontainerinstance',
    name: 'iam:PassRole + ecs:StartTask + ecs:RegisterContainerInstance',
    attack: 'T1610',
    description:
      "From code running on an EC2 instance whose role holds these permissions: registers the instance to an ECS cluster, starts an existing task definition on it with a role that trusts ecs-tasks.amazonaws.com as task role override, and runs its own code with that role's credentials.",
    references: [
      pathfinding('ecs-007'),
      PASSROLE_DOC,
      {
        title: 'Reversec: another ECS privilege escalation path',
        url: 'https://labs.reversec.com/posts/2025/08/another-ecs-privilege-escalation-path',
      },
    ],
    service: 'ecs-tasks.amazonaws.com',
    actions: ['ecs:StartTask', 'ecs:RegisterContainerInstance'],
    runs: 'an existing ECS task definition started on an instance it registers',
    requires: [ECS_CLUSTER.label, ECS_TASK_DEFINITION.label],
  }),
  [ECS_CLUSTER, ECS_TASK_DEFINITION],
);

/**
 * Registering a container instance takes the instance identity document of the EC2 instance the
 * caller runs on: only a role an instance profile holds can use this path, from code on such an
 * instance (which the edge states as required).
 */
export const ecs007PassRole: EscalationTechnique = {
  ...base,
  find(ctx) {
    const self = ctx.run.role(ctx.principal.id);
    if (!self?.instanceProfileArns.length) return [];
    return base.find(ctx).map((f) => ({
      ...f,
      requires: [...(f.requires ?? []), `code execution on an EC2 instance running as ${self.name}`],
    }));
  },
};
