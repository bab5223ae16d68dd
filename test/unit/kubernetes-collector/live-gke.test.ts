import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectKubernetes } from '../../../src/collectors/kubernetes/collect.js';
import { COLLECTED_KINDS } from '../../../src/collectors/kubernetes/kinds.js';
import { getKubernetesLive } from '../../../src/collectors/kubernetes/live.js';
import { writeKubernetesSnapshot } from '../../../src/collectors/kubernetes/snapshot.js';
import { transformKubernetes } from '../../../src/collectors/kubernetes/transform.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { analyzeProviders, providerJob } from '../../../src/pipeline/sync.js';
import { gcpProvider, gcpRequest } from '../../../src/providers/gcp/index.js';
import { kubernetesProvider, kubernetesRequest } from '../../../src/providers/kubernetes/index.js';
import { CROSS_CLOUD_ROOT } from '../cross-provider/cross-cloud.js';

// A GKE cluster collected live: a loopback API server serves test/fixtures/cross-cloud's shop-gke
// (its service accounts, pods and namespaces; the Kubernetes API says nothing of the workload pool).
// With `kubernetes.workloadPools` naming the context's pool, one run with the GCP organization of the
// same fixture joins the cluster's service account to the GCP service account that admits it, as the
// snapshot's cluster.json does.

const CLUSTER = join(CROSS_CLOUD_ROOT, 'kubernetes', 'shop-gke');
const POOL = 'shop-prod-778899.svc.id.goog';
const KSA = 'k8s:shop-gke:shop:sa:api';
const READER = 'gcp:sa:reader@shop-prod-778899.iam.gserviceaccount.com';
let server: Server;
let dir: string;
let kubeconfig: string;

function items(file: string): unknown[] {
  try {
    return (JSON.parse(readFileSync(join(CLUSTER, `${file}.json`), 'utf8')) as { items: unknown[] }).items;
  } catch {
    return [];
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const kind = COLLECTED_KINDS.find((k) => k.path === path);
    const [status, body] =
      kind && kind.file !== 'configmaps'
        ? [
            200,
            { kind: `${kind.kind}List`, apiVersion: kind.apiVersion, metadata: {}, items: items(kind.file) },
          ]
        : [404, { kind: 'Status', message: 'not found' }];
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'k8s-live-gke-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: gke
  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}
users:
- name: reader
  user: {token: test-token}
contexts:
- name: shop-gke
  context: {cluster: gke, user: reader}
current-context: shop-gke
`,
  );
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** One run: the cluster live (with the given config), the GCP organization from the fixture. */
async function federation(kubernetes: Record<string, unknown>) {
  const config = ConfigSchema.parse({ kubernetes: { kubeconfig, ...kubernetes } });
  const run = await analyzeProviders(
    [
      providerJob(kubernetesProvider, kubernetesRequest({ live: {} }, config.kubernetes)),
      providerJob(gcpProvider, gcpRequest({ snapshotDir: CROSS_CLOUD_ROOT }, config.gcp)),
    ],
    { asOf: new Date('2026-12-01T00:00:00Z') },
  );
  return run.valid.relationships.filter(
    (r) => r.type === 'FEDERATES_TO' && r.from === KSA && r.to === READER,
  );
}

describe('live Kubernetes collection of a GKE cluster', () => {
  it('takes the workload pool of a context from kubernetes.workloadPools', async () => {
    const raw = await getKubernetesLive({
      kubeconfig,
      workloadPools: { 'shop-gke': POOL, other: 'x.svc.id.goog' },
    });
    expect(raw.clusters[0]?.cluster).toEqual({
      source: 'config kubernetes.workloadPools.shop-gke',
      value: { workloadPool: POOL },
    });
    const environment = transformKubernetes(raw);
    expect(environment.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(environment.clusters[0]?.workloadPool).toBe(POOL);
    // A snapshot written from it keeps the pool in cluster.json.
    const out = join(dir, 'snap');
    await writeKubernetesSnapshot(raw, out);
    expect(JSON.parse(readFileSync(join(out, 'kubernetes', 'shop-gke', 'cluster.json'), 'utf8'))).toEqual({
      workloadPool: POOL,
    });
    expect((await collectKubernetes({ snapshotDir: out })).clusters[0]?.workloadPool).toBe(POOL);
    // Without it, the pool is not known.
    expect(
      transformKubernetes(await getKubernetesLive({ kubeconfig })).clusters[0]?.workloadPool,
    ).toBeUndefined();
  });

  it('joins the cluster’s service account to the GCP service account that admits it, in one run with GCP', async () => {
    const joined = await federation({ workloadPools: { 'shop-gke': POOL } });
    expect(joined).toHaveLength(1);
    expect(joined[0]?.properties.conditional).not.toBe(true);
    expect(JSON.stringify(joined[0]?.evidence)).toContain(`workloadPool ${POOL}`);
    // Without the pool, only the annotation speaks, conditional on a binding it cannot check.
    const annotated = await federation({});
    expect(annotated.map((r) => r.properties.conditional)).toEqual([true]);
  });

  it('refuses a workload pool that is not PROJECT_ID.svc.id.goog when the config is read', () => {
    expect(() =>
      ConfigSchema.parse({ kubernetes: { workloadPools: { 'shop-gke': 'shop-prod-778899' } } }),
    ).toThrow('expected the workload pool PROJECT_ID.svc.id.goog');
  });
});
