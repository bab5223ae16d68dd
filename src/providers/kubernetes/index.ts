import { gkeWorkloadIdentityEdges } from '../../analyzers/cross-provider/gke-workload-identity-annotation.js';
import { analyzeKubernetes, type KubernetesAnalysis } from '../../analyzers/kubernetes/analyze.js';
import { collectKubernetes, type KubernetesSource } from '../../collectors/kubernetes/collect.js';
import type { KubernetesLiveOptions } from '../../collectors/kubernetes/live.js';
import { KUBERNETES_FOLDER } from '../../collectors/kubernetes/snapshot.js';
import type { KubernetesConfig } from '../../config/kubernetes.js';
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
 * A run's request: a snapshot directory, or live collection with the given kubeconfig and contexts
 * over the config's (and the config's users' groups); namespaces classified by the config's cluster
 * environments unless others are given. `sync kubernetes` and scheduled jobs both state it so.
 */
export function kubernetesRequest(
  source:
    | { snapshotDir: string }
    | { live: Pick<KubernetesLiveOptions, 'kubeconfig' | 'contexts' | 'onProgress'> },
  config: KubernetesConfig,
  clusterEnvironments: Readonly<Record<string, Environment>> = config.clusterEnvironments,
): KubernetesRequest {
  if ('snapshotDir' in source) return { source, clusterEnvironments };
  const kubeconfig = source.live.kubeconfig ?? config.kubeconfig;
  const contexts = source.live.contexts ?? config.contexts;
  return {
    source: {
      live: {
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(contexts.length ? { contexts } : {}),
        ...(Object.keys(config.userGroups).length ? { userGroups: config.userGroups } : {}),
        ...(Object.keys(config.workloadPools).length ? { workloadPools: config.workloadPools } : {}),
        ...(source.live.onProgress ? { onProgress: source.live.onProgress } : {}),
      },
    },
    clusterEnvironments,
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
    if ('snapshotRoot' in selection) {
      const live = Object.keys(flags).map((k) => `--${k}`);
      if (live.length > 0)
        throw new Error(`--snapshot reads a directory: ${live.join(', ')} only apply to live collection`);
      return kubernetesRequest({ snapshotDir: selection.snapshotRoot }, config.kubernetes);
    }
    return kubernetesRequest(
      {
        live: {
          ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
          ...(flags.context ? { contexts: flags.context } : {}),
          ...(selection.onProgress ? { onProgress: selection.onProgress } : {}),
        },
      },
      config.kubernetes,
    );
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
