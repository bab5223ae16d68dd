import type { InventoryRelationship } from '../../model/inventory.js';
import type { KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import { PREREQUISITE_CONDITION_KEY } from '../aws-iam/escalation/prerequisites.js';

export const GKE_ANNOTATION = 'iam.gke.io/gcp-service-account';
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * GKE Workload Identity, annotation side: what a Kubernetes provider alone can say. A Kubernetes
 * service account annotated `iam.gke.io/gcp-service-account: <email>` asks GKE's metadata server for
 * that Google service account's tokens; it gets them when the account grants
 * `roles/iam.workloadIdentityUser` to `serviceAccount:<PROJECT>.svc.id.goog[<ns>/<ksa>]` (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity). The
 * grant is on the GCP side, so each annotation gives a FEDERATES_TO edge conditional on it
 * (`reachgraph:PrerequisiteExists`, the annotation as evidence). When the run also holds the GCP
 * side, gke-workload-identity.ts decides it and this edge is left out.
 */
export function gkeWorkloadIdentityEdges(environment: KubernetesEnvironment): InventoryRelationship[] {
  const edges: InventoryRelationship[] = [];
  for (const cluster of environment.clusters)
    for (const sa of cluster.serviceAccounts) {
      const email = sa.metadata.annotations?.[GKE_ANNOTATION]?.trim();
      const ns = sa.metadata.namespace;
      if (!email || !ns || !EMAIL.test(email)) continue;
      const from = k8sIds.serviceAccount(cluster.name, ns, sa.metadata.name);
      const conditions = [PREREQUISITE_CONDITION_KEY];
      edges.push({
        type: 'FEDERATES_TO',
        from,
        to: `gcp:sa:${email.toLowerCase()}`,
        toKind: 'GcpServiceAccount',
        properties: { conditional: true, conditions },
        evidence: [
          {
            source: 'annotation',
            ref: from,
            statement: `metadata.annotations[${GKE_ANNOTATION}]`,
            reason: `service account ${ns}/${sa.metadata.name} of cluster ${cluster.name} is annotated to act as ${email}; it does when ${email} grants roles/iam.workloadIdentityUser to serviceAccount:PROJECT.svc.id.goog[${ns}/${sa.metadata.name}] (not collected)`,
            conditions,
          },
        ],
      });
    }
  return edges;
}
