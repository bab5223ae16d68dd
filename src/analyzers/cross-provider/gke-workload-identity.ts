import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpEnvironment } from '../../model/gcp/environment.js';
import type { InventoryRelationship } from '../../model/inventory.js';
import type { KubernetesClusterData, KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import type {
  CrossProviderRule,
  CrossProviderUnion,
  RelationshipKey,
} from '../../pipeline/cross-provider.js';
import type { Provider, ProviderSummary } from '../../providers/contract.js';
import { gcpProvider } from '../../providers/gcp/index.js';
import { GKE_WORKLOAD_MEMBER } from '../gcp-iam/principals.js';
import type { KubernetesAnalysis } from '../kubernetes/analyze.js';
import {
  type Admission,
  FEDERATED_GRANT_TYPES,
  federatedGrants,
  principalGrants,
} from './gcp-federated-grants.js';
import { GKE_ANNOTATION, gkeWorkloadIdentityEdges } from './gke-workload-identity-annotation.js';

const DOCS = 'https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity';
const HOW_TO = 'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity';

/** What a GKE workload pool identifier names (DOCS, "principal identifiers"). */
type GkeIdentity = { pool: string; projectNumber?: string } & (
  | { kind: 'subject'; namespace: string; name: string }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'pool' }
  | { kind: 'uid'; uid: string }
  | { kind: 'cluster'; url: string }
  | { kind: 'attribute'; attribute: string }
);

const POOL_URI =
  /^principal(Set)?:\/\/iam\.googleapis\.com\/projects\/(\d+)\/locations\/global\/workloadIdentityPools\/([^/\s]+\.svc\.id\.goog)\/(.+)$/;

/** The GKE identity a GcpPrincipalSet uri names, or undefined when it is not of a GKE pool. */
export function gkeIdentityOf(uri: string): GkeIdentity | undefined {
  const legacy = /^serviceAccount:(.+)$/.exec(uri)?.[1];
  if (legacy) {
    const m = GKE_WORKLOAD_MEMBER.exec(legacy);
    return m
      ? { pool: m[1] as string, kind: 'subject', namespace: m[2] as string, name: m[3] as string }
      : undefined;
  }
  const m = POOL_URI.exec(uri);
  if (!m) return undefined;
  const [, set, projectNumber, pool, rest] = m as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
  ];
  const base = { pool, projectNumber };
  if (!set) {
    const s = /^subject\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(rest);
    return s
      ? { ...base, kind: 'subject', namespace: s[1] as string, name: s[2] as string }
      : { ...base, kind: 'attribute', attribute: rest };
  }
  if (rest === '*') return { ...base, kind: 'pool' };
  const ns = /^namespace\/([^/]+)$/.exec(rest)?.[1];
  if (ns) return { ...base, kind: 'namespace', namespace: ns };
  const uid = /^kubernetes\.serviceaccount\.uid\/([^/]+)$/.exec(rest)?.[1];
  if (uid) return { ...base, kind: 'uid', uid };
  const url = /^kubernetes\.cluster\/(https:\/\/.+)$/.exec(rest)?.[1];
  if (url) return { ...base, kind: 'cluster', url: url.replace(/\/zones\//, '/locations/') };
  return { ...base, kind: 'attribute', attribute: rest };
}

/** Whether a service account of a cluster is the identity: decided, or undecided (what is not known). */
function covers(
  identity: GkeIdentity,
  cluster: KubernetesClusterData,
  sa: { namespace: string; name: string; uid?: string },
): true | false | string {
  switch (identity.kind) {
    case 'subject':
      return identity.namespace === sa.namespace && identity.name === sa.name;
    case 'namespace':
      return identity.namespace === sa.namespace;
    case 'pool':
      return true;
    case 'uid':
      return sa.uid
        ? sa.uid === identity.uid
        : `the service account's uid is ${identity.uid} (not collected)`;
    case 'cluster':
      return cluster.gkeCluster
        ? cluster.gkeCluster === identity.url
        : `the cluster is ${identity.url} (its selfLink is not in cluster.json)`;
    case 'attribute':
      return `the workload's ${identity.attribute.split('/')[0]} matches ${identity.attribute}`;
  }
}

/**
 * GKE Workload Identity, decided from the GCP side (DOCS, HOW_TO). A cluster with Workload Identity
 * Federation for GKE belongs to its project's Google-managed pool `PROJECT_ID.svc.id.goog` (its
 * `workloadIdentityConfig.workloadPool`, from the cluster's `cluster.json`), and each of its
 * Kubernetes service accounts is the pool's subject `ns/NS/sa/KSA`, named in bindings as
 * `serviceAccount:PROJECT_ID.svc.id.goog[NS/KSA]` or
 * `principal://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/PROJECT_ID.svc.id.goog/subject/ns/NS/sa/KSA`,
 * and in the sets `principalSet://…/namespace/NS`, `…/kubernetes.cluster/URL`,
 * `…/kubernetes.serviceaccount.uid/UID` and `…/*`. The GCP analysis gives those principals their
 * grants; this rule gives each matching service account the same: `K8sServiceAccount -[FEDERATES_TO]->
 * GcpServiceAccount` where a binding grants roles/iam.workloadIdentityUser (getAccessToken), and
 * CAN_ACCESS etc. for direct resource access. Identity sameness: every cluster of the pool's project
 * gives a service account of the same namespace and name the same identity, so the evidence says so.
 * The `iam.gke.io/gcp-service-account` annotation only says which account the metadata server asks
 * for: where the GCP side is collected (the account and its IAM policy) it replaces the annotation's
 * conditional edge, and an annotation naming an account that does not admit the service account is
 * reported.
 */
export function gkeWorkloadIdentity(
  kubernetes: Provider<unknown, KubernetesEnvironment, KubernetesAnalysis, ProviderSummary>,
): CrossProviderRule {
  return {
    name: 'gke-workload-identity',
    description:
      'Kubernetes service accounts of a GKE cluster (workload pool PROJECT.svc.id.goog, from its cluster.json) → what the GCP bindings grant their pool identity (serviceAccount:PROJECT.svc.id.goog[NS/KSA], principal://…/subject/ns/NS/sa/KSA, principalSet://…/namespace/NS …): FEDERATES_TO a GcpServiceAccount that grants roles/iam.workloadIdentityUser, CAN_ACCESS for direct resource access. The iam.gke.io/gcp-service-account annotation alone gives a conditional FEDERATES_TO (run by the Kubernetes provider) until the GCP side is collected.',
    requires: ['kubernetes', 'gcp'],
    emits: [...FEDERATED_GRANT_TYPES],
    references: [DOCS, HOW_TO, 'https://cloud.google.com/iam/docs/principal-identifiers'],
    derive(union: CrossProviderUnion) {
      const k8s = union.dataOf(kubernetes);
      const gcp = union.dataOf(gcpProvider)?.environment;
      if (!k8s || !gcp) return { edges: [] };
      const numbers = projectNumbers(gcp);
      const identities = union.nodes
        .filter((n) => n.kind === 'GcpPrincipalSet')
        .map((n) => ({ id: n.id, identity: gkeIdentityOf(n.id.slice('gcp:principalset:'.length)) }))
        .filter((x): x is { id: string; identity: GkeIdentity } => x.identity !== undefined);
      const admissions: Admission[] = [];
      for (const cluster of k8s.environment.clusters) {
        const pool = cluster.workloadPool;
        if (!pool) continue;
        const project = pool.slice(0, -'.svc.id.goog'.length);
        for (const { id, identity } of identities) {
          if (identity.pool !== pool) continue;
          const number = numbers.get(project);
          if (identity.projectNumber && number && identity.projectNumber !== number) continue;
          for (const sa of cluster.serviceAccounts) {
            const namespace = sa.metadata.namespace;
            if (!namespace) continue;
            const match = covers(identity, cluster, {
              namespace,
              name: sa.metadata.name,
              ...(sa.metadata.uid ? { uid: sa.metadata.uid } : {}),
            });
            if (match === false) continue;
            const uri = id.slice('gcp:principalset:'.length);
            admissions.push({
              principal: id,
              holder: {
                id: k8sIds.serviceAccount(cluster.name, namespace, sa.metadata.name),
                kind: 'K8sServiceAccount',
              },
              conditions: match === true ? [] : [match],
              evidence: {
                source: 'declared',
                ref: `k8s:${cluster.name}`,
                statement: `workloadPool ${pool}`,
                reason: `cluster ${cluster.name} is in GKE workload pool ${pool}, where service account ${namespace}/${sa.metadata.name} is ${uri}${match === true ? '' : ` when ${match}`}; identity sameness: every cluster of project ${project} with Workload Identity gives ${namespace}/${sa.metadata.name} this same identity`,
                ...(match === true ? {} : { conditions: [match] }),
              },
            });
          }
        }
      }
      const edges = federatedGrants(admissions, principalGrants(union));
      const { supersedes, issues } = annotations(k8s.environment, gcp, edges);
      return { edges, issues, supersedes };
    },
  };
}

function projectNumbers(gcp: GcpEnvironment): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of gcp.containers.values())
    if (c.kind === 'project' && c.projectNumber) out.set(c.name.slice('projects/'.length), c.projectNumber);
  return out;
}

/**
 * The annotation's conditional edge is replaced where the GCP side decides it: the cluster's pool is
 * known and the annotated account and its IAM policy were collected (or the decided edge exists).
 * Where it is decided and no decided edge joins them, the annotation disagrees with the GCP side.
 */
function annotations(
  environment: KubernetesEnvironment,
  gcp: GcpEnvironment,
  edges: readonly InventoryRelationship[],
): { supersedes: RelationshipKey[]; issues: CollectionIssue[] } {
  const decided = new Set(
    edges.filter((e) => e.type === 'FEDERATES_TO').map((e) => `${e.from}\u0000${e.to}`),
  );
  const collected = new Set(
    gcp.serviceAccounts.filter((a) => a.policy).map((a) => `gcp:sa:${a.email.toLowerCase()}`),
  );
  const supersedes: RelationshipKey[] = [];
  const issues: CollectionIssue[] = [];
  for (const edge of gkeWorkloadIdentityEdges(environment)) {
    const key = `${edge.from}\u0000${edge.to}`;
    const cluster = environment.clusters.find((c) => edge.from.startsWith(`k8s:${c.name}:`));
    const known = cluster?.workloadPool !== undefined && collected.has(edge.to);
    if (!decided.has(key) && !known) continue;
    supersedes.push({ type: edge.type, from: edge.from, to: edge.to });
    if (!decided.has(key))
      issues.push({
        severity: 'warning',
        source: 'cross-provider:gke-workload-identity',
        object: edge.from,
        message: `service account ${edge.from} is annotated ${GKE_ANNOTATION}=${edge.to.slice('gcp:sa:'.length)}, but that account's IAM policy does not grant roles/iam.workloadIdentityUser (getAccessToken) to serviceAccount:${cluster?.workloadPool}[${edge.from.split(':')[2]}/${edge.from.split(':sa:')[1]}] or a set holding it: pods get no token for it from the annotation alone`,
      });
  }
  return { supersedes, issues };
}
