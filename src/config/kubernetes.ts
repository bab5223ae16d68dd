import { z } from 'zod';
import { ENVIRONMENTS } from '../model/properties.js';

/** Settings of `reachgraph sync kubernetes` / `analyze` (live collection and classification). */
export const KubernetesConfigSchema = z
  .object({
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe('The kubeconfig file for live collection (default: KUBECONFIG, else ~/.kube/config).'),
    contexts: z
      .array(z.string().min(1))
      .default([])
      .describe('Kubeconfig contexts to collect, one cluster each; none means the current context.'),
    userGroups: z
      .record(z.string(), z.array(z.string()))
      .default({})
      .describe(
        'Live collection: user name → the groups its credentials carry (client certificate O=, OIDC groups claim), as the snapshot’s user-groups.json says.',
      ),
    workloadPools: z
      .record(
        z.string().min(1),
        z.string().regex(/^[^\s[\]/]+\.svc\.id\.goog$/, 'expected the workload pool PROJECT_ID.svc.id.goog'),
      )
      .default({})
      .describe(
        'Live collection of GKE clusters: kubeconfig context → the cluster’s workload pool (PROJECT_ID.svc.id.goog, as `gcloud container clusters describe` prints `workloadIdentityConfig.workloadPool`), which the Kubernetes API does not serve; with it, the cluster’s service accounts join the GCP service accounts that admit them (GKE Workload Identity).',
      ),
    clusterEnvironments: z
      .record(z.string(), z.enum(ENVIRONMENTS))
      .default({})
      .describe(
        'Environment of each cluster’s namespaces when their labels do not say (cluster name → environment).',
      ),
  })
  .strict()
  .prefault({});

export type KubernetesConfig = z.infer<typeof KubernetesConfigSchema>;

/** Environment variables of the Kubernetes settings and the key each one sets. */
export const KUBERNETES_ENV_KEYS: Record<string, string> = {
  REACHGRAPH_KUBECONFIG: 'kubernetes.kubeconfig',
};
