import { gkeWorkloadIdentityEdges } from '../../analyzers/cross-provider/gke-workload-identity.js';
import { analyzeKubernetes, type KubernetesAnalysis } from '../../analyzers/kubernetes/analyze.js';
import { collectKubernetes, type KubernetesSource } from '../../collectors/kubernetes/collect.js';
import { KUBERNETES_FOLDER } from '../../collectors/kubernetes/snapshot.js';
import { GRANT_KIND } from '../../model/grants.js';
import type { KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { NODE_KINDS } from '../../model/node-kinds.js';
import type { Environment } from '../../model/properties.js';
import type { Provider, ProviderSummary, SourceOption, SourceOptionValues } from '../contract.js';
import { scopeStates, summarizeRun } from '../summary.js';
import { buildKubernetesInventory } from './inventory.js';

/** One Kubernetes run: its source and how its namespaces are classified. */
export interface KubernetesRequest {
  source: KubernetesSource;
  clusterEnvironments: Readonly<Record<string, Environment>>;
}

export interface KubernetesSummary extends ProviderSummary {
  /** Every cluster of the run, and whether it was read without error. */
  clusters: { id: string; complete: boolean }[];
}

/** The options Kubernetes adds to `sync` and `analyze` for its live source. */
export const KUBERNETES_SOURCE_OPTIONS: readonly SourceOption[] = [
  {
    flags: '--context <name...>',
    description: 'live: kubeconfig context to collect (repeatable; default the current one)',
  },
  {
    flags: '--kubeconfig <file>',
    description: 'live: the kubeconfig file (default KUBECONFIG, else ~/.kube/config)',
  },
];

/** Kubernetes's flags among the parsed options of a command. */
export function kubernetesSourceFlags(options: SourceOptionValues): {
  context?: string[];
  kubeconfig?: string;
} {
  const { context, kubeconfig } = options;
  return {
    ...(Array.isArray(context) ? { context } : {}),
    ...(typeof kubeconfig === 'string' ? { kubeconfig } : {}),
  };
}

/**
 * Kubernetes: clusters read from kubeconfig contexts or `kubernetes/<cluster>/` of a snapshot root,
 * RBAC and pod specs analyzed under the API server's semantics, one scope per cluster.
 */
export const kubernetesProvider: Provider<
  KubernetesRequest,
  KubernetesEnvironment,
  KubernetesAnalysis,
  KubernetesSummary
> = {
  name: 'kubernetes',
  title: 'Kubernetes',
  graphProvider: 'kubernetes',
  scopePrefix: 'k8s',
  scopeNoun: { one: 'cluster', many: 'clusters' },
  snapshotLayout: {
    folder: KUBERNETES_FOLDER,
    description: 'kubernetes/<cluster>/<kind>.json: `kubectl get <kind> -A -o json` Lists',
    doc: 'docs/snapshots.md',
  },
  nodeKinds: [
    ...NODE_KINDS.filter((k) => k.provider === 'kubernetes').map((k) => k.label),
    // One right reaching every service account or pod of a namespace, every pod of a node (grant-hubs.ts).
    GRANT_KIND,
  ],
  relationshipKinds: [
    'CONTAINS',
    'MEMBER_OF',
    'BOUND_TO',
    'CHILD_OF',
    'RUNS_AS',
    'FEDERATES_TO',
    'CAN_ESCALATE',
    'CAN_IMPERSONATE',
    'CAN_ACCESS',
    'ADMINISTERS',
  ],
  docs: { guide: 'docs/kubernetes.md', generated: [] },
  sourceOptions: KUBERNETES_SOURCE_OPTIONS,

  requestOf(selection, config) {
    const flags = kubernetesSourceFlags(selection.options);
    const k8s = config.kubernetes;
    const clusterEnvironments = k8s.clusterEnvironments;
    if ('snapshotRoot' in selection) {
      const live = Object.keys(flags).map((k) => `--${k}`);
      if (live.length > 0)
        throw new Error(`--snapshot reads a directory: ${live.join(', ')} only apply to live collection`);
      return { source: { snapshotDir: selection.snapshotRoot }, clusterEnvironments };
    }
    const kubeconfig = flags.kubeconfig ?? k8s.kubeconfig;
    const contexts = flags.context ?? k8s.contexts;
    return {
      source: {
        live: {
          ...(kubeconfig ? { kubeconfig } : {}),
          ...(contexts.length ? { contexts } : {}),
          ...(Object.keys(k8s.userGroups).length ? { userGroups: k8s.userGroups } : {}),
          ...(selection.onProgress ? { onProgress: selection.onProgress } : {}),
        },
      },
      clusterEnvironments,
    };
  },
  describeSource: (request) =>
    'snapshotDir' in request.source ? `kubernetes snapshot ${request.source.snapshotDir}` : 'kubernetes live',
  async collect(request) {
    const environment = await collectKubernetes(request.source);
    return { environment, issues: environment.issues };
  },
  analyze: async (environment) => {
    const analysis = analyzeKubernetes(environment);
    // GKE Workload Identity waits for the GCP side: conditional edges until a GCP provider decides them.
    return { ...analysis, edges: [...analysis.edges, ...gkeWorkloadIdentityEdges(environment)] };
  },
  inventory: (request, environment, analysis, context) =>
    buildKubernetesInventory(environment, analysis, {
      sourceName: context.sourceName,
      clusterEnvironments: request.clusterEnvironments,
    }),
  summarize: (analysis, inventory, issues) => ({
    clusters: scopeStates(inventory),
    ...summarizeRun(analysis, inventory, issues),
  }),
};
