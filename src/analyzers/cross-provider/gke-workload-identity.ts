import type { InventoryRelationship } from '../../model/inventory.js';
import type { KubernetesEnvironment } from '../../model/kubernetes/environment.js';
import { k8sIds } from '../../model/kubernetes/ids.js';
import { PREREQUISITE_CONDITION_KEY } from '../aws-iam/escalation/prerequisites.js';

const ANNOTATION = 'iam.gke.io/gcp-service-account';
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** The rule as docs/edges.md lists it beside the cross-provider rules (the Kubernetes provider runs it). */
export const GKE_WORKLOAD_IDENTITY = {
  name: 'gke-workload-identity',
  description:
    'Kubernetes service accounts annotated iam.gke.io/gcp-service-account → that GcpServiceAccount, conditional until the GCP side (its roles/iam.workloadIdentityUser binding for PROJECT.svc.id.goog[NS/KSA]) is collected.',
  requires: ['kubernetes'],
  emits: ['FEDERATES_TO'],
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity'],
} as const;

/**
 * GKE Workload Identity
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity): a Kubernetes service
 * account annotated `iam.gke.io/gcp-service-account: <email>` acts as that Google service account
 * when the service account grants `roles/iam.workloadIdentityUser` to
 * `serviceAccount:<PROJECT>.svc.id.goog[<ns>/<ksa>]`. The annotation only says what the workload asks
 * for; the grant is on the GCP side, which is not collected yet, so each annotation gives a
 * FEDERATES_TO edge to the GcpServiceAccount that is conditional on that binding
 * (`reachgraph:PrerequisiteExists`, the annotation as evidence). A rule joining `kubernetes` and
 * `gcp` decides it once the GCP provider collects service accounts' IAM policies.
 */
export function gkeWorkloadIdentityEdges(environment: KubernetesEnvironment): InventoryRelationship[] {
  const edges: InventoryRelationship[] = [];
  for (const cluster of environment.clusters)
    for (const sa of cluster.serviceAccounts) {
      const email = sa.metadata.annotations?.[ANNOTATION]?.trim();
      const ns = sa.metadata.namespace;
      if (!email || !ns || !EMAIL.test(email)) continue;
      const from = k8sIds.serviceAccount(cluster.name, ns, sa.metadata.name);
      const conditions = [PREREQUISITE_CONDITION_KEY];
      edges.push({
        type: 'FEDERATES_TO',
        from,
        to: `gcp:sa:${email}`,
        toKind: 'GcpServiceAccount',
        properties: { conditional: true, conditions },
        evidence: [
          {
            source: 'annotation',
            ref: from,
            statement: `metadata.annotations[${ANNOTATION}]`,
            reason: `service account ${ns}/${sa.metadata.name} of cluster ${cluster.name} is annotated to act as ${email}; it does when ${email} grants roles/iam.workloadIdentityUser to serviceAccount:PROJECT.svc.id.goog[${ns}/${sa.metadata.name}] (not collected)`,
            conditions,
          },
        ],
      });
    }
  return edges;
}
