import { describe, expect, it } from 'vitest';
import { gkeWorkloadIdentityEdges } from '../../../src/analyzers/cross-provider/gke-workload-identity-annotation.js';
import type { KubernetesClusterData } from '../../../src/model/kubernetes/environment.js';

const sa = (name: string, annotations?: Record<string, string>) => ({
  metadata: { name, namespace: 'apps', ...(annotations ? { annotations } : {}) },
});

describe('GKE Workload Identity', () => {
  const cluster = {
    name: 'gke-prod',
    serviceAccounts: [
      sa('reporter', { 'iam.gke.io/gcp-service-account': 'reporter@acme-prod.iam.gserviceaccount.com' }),
      sa('plain'),
      sa('typo', { 'iam.gke.io/gcp-service-account': 'not an email' }),
    ],
  } as unknown as KubernetesClusterData;

  it('an annotated service account federates to its GCP service account, conditional on the GCP binding', () => {
    const edges = gkeWorkloadIdentityEdges({ clusters: [cluster], issues: [] });
    expect(edges.map((e) => [e.from, e.to, e.toKind])).toEqual([
      [
        'k8s:gke-prod:apps:sa:reporter',
        'gcp:sa:reporter@acme-prod.iam.gserviceaccount.com',
        'GcpServiceAccount',
      ],
    ]);
    expect(edges[0]?.properties).toEqual({
      conditional: true,
      conditions: ['reachgraph:PrerequisiteExists'],
    });
    expect(edges[0]?.evidence?.[0]?.reason).toContain(
      'roles/iam.workloadIdentityUser to serviceAccount:PROJECT.svc.id.goog[apps/reporter]',
    );
  });
});
