import type { AwsResourceData, AwsResourceType } from '../../../model/aws/environment.js';
import type { EscalationTechnique } from './types.js';

/**
 * Prerequisites a technique names in `requires` that the collector now gathers: whether the
 * account has one is decided from the collected list instead of being left open. Present: the
 * requirement goes and the evidence names one such resource. Absent from a collected list: the
 * requirement says the account has none. Not collected: it says so.
 */
export interface CollectedPrerequisite {
  /** The requirement as the technique's rows write it: `an ECS cluster`. */
  label: string;
  type: AwsResourceType;
  /** The document whose presence says the list was collected. */
  collectedKey: string;
  /** Which of the resources meet it (default: any). */
  meets?: (resource: AwsResourceData) => boolean;
}

export const ECS_CLUSTER: CollectedPrerequisite = {
  label: 'an ECS cluster',
  type: 'ecs-cluster',
  collectedKey: 'ecs-list-clusters',
};

/** Container instances register with a cluster; they are listed per collected cluster. */
export const ECS_CONTAINER_INSTANCE: CollectedPrerequisite = {
  label: 'an ECS cluster with an EC2 container instance',
  type: 'ecs-cluster',
  collectedKey: 'ecs-list-clusters',
  meets: (cluster) => Number(cluster.attributes?.containerInstances ?? 0) > 0,
};

export const ECS_TASK_DEFINITION: CollectedPrerequisite = {
  label: 'a task definition to override',
  type: 'ecs-task-definition',
  collectedKey: 'ecs-list-task-definitions',
};

/** The technique, with each of the given prerequisites decided from the collected resources. */
export function decidingPrerequisites(
  technique: EscalationTechnique,
  prerequisites: readonly CollectedPrerequisite[],
): EscalationTechnique {
  return {
    ...technique,
    find(ctx) {
      return technique.find(ctx).map((finding) => {
        let requires = finding.requires ?? [];
        const evidence = [...(finding.evidence ?? [])];
        for (const p of prerequisites) {
          if (!requires.includes(p.label)) continue;
          const found = ctx.collectedResources(p.type, p.collectedKey)?.filter((r) => p.meets?.(r) ?? true);
          const [one] = found ?? [];
          requires = requires.flatMap((r) => {
            if (r !== p.label) return [r];
            if (!found) return [`${p.label} (not collected)`];
            return one ? [] : [`${p.label} (the account has none)`];
          });
          if (one)
            evidence.push({
              source: 'workload-spec',
              ref: one.arn,
              reason: `${p.label} exists: ${one.name}`,
            });
        }
        const { requires: _, evidence: __, ...rest } = finding;
        return {
          ...rest,
          ...(requires.length ? { requires } : {}),
          ...(evidence.length ? { evidence } : {}),
        };
      });
    },
  };
}
