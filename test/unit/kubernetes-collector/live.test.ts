import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectKubernetes } from '../../../src/collectors/kubernetes/collect.js';
import { COLLECTED_KINDS } from '../../../src/collectors/kubernetes/kinds.js';
import { getKubernetesLive } from '../../../src/collectors/kubernetes/live.js';
import { writeKubernetesSnapshot } from '../../../src/collectors/kubernetes/snapshot.js';
import { transformKubernetes } from '../../../src/collectors/kubernetes/transform.js';
import type { KubernetesEnvironment } from '../../../src/model/kubernetes/environment.js';
import { K8S_FIXTURE_ROOT } from './expected.js';

// A loopback API server, started here, replays the fixture cluster as the Kubernetes API serves it:
// List items without kind/apiVersion, pages of `limit` items with a `continue` token, one 429 before
// the first page of pods, secrets as a Table of metadata, aws-auth by name, the issuer discovery
// document. The live collector must give the environment the snapshot reader gives.

const FIXTURE = join(K8S_FIXTURE_ROOT, 'kubernetes', 'prod-eks');
const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const requests: { method: string; url: string; accept: string; auth: string }[] = [];
let server: Server;
let dir: string;
let kubeconfig: string;
let throttled = false;

function fixtureItems(file: string): Record<string, unknown>[] {
  const list = JSON.parse(readFileSync(join(FIXTURE, `${file}.json`), 'utf8')) as {
    items: Record<string, unknown>[];
  };
  return list.items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
}

function answer(request: IncomingMessage): {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
} {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/.well-known/openid-configuration') return { status: 200, body: { issuer: ISSUER } };
  if (url.pathname === '/api/v1/namespaces/kube-system/configmaps/aws-auth')
    return {
      status: 200,
      body: fixtureItems('configmaps').find((c) => (c.metadata as { name: string }).name === 'aws-auth'),
    };
  const kind = COLLECTED_KINDS.find((k) => k.path === url.pathname);
  if (!kind)
    return {
      status: 404,
      body: { kind: 'Status', message: 'the server could not find the requested resource' },
    };
  if (kind.file === 'pods' && !throttled) {
    throttled = true;
    return {
      status: 429,
      body: { kind: 'Status', message: 'too many requests' },
      headers: { 'retry-after': '0' },
    };
  }
  const items = fixtureItems(kind.file);
  const limit = Number(url.searchParams.get('limit') ?? items.length);
  const start = Number(url.searchParams.get('continue') ?? 0);
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  const metadata = { resourceVersion: '42', ...(next ? { continue: next } : {}) };
  if (kind.file === 'secrets') {
    expect(request.headers.accept).toContain('as=Table');
    expect(url.searchParams.get('includeObject')).toBe('Metadata');
    return {
      status: 200,
      body: {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        columnDefinitions: [{ name: 'Name' }, { name: 'Type' }, { name: 'Data' }, { name: 'Age' }],
        rows: page.map((s) => ({
          cells: [(s.metadata as { name: string }).name, s.type, 1, '1d'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: s.metadata },
        })),
      },
    };
  }
  return {
    status: 200,
    body: { kind: `${kind.kind}List`, apiVersion: kind.apiVersion, metadata, items: page },
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      accept: String(request.headers.accept),
      auth: String(request.headers.authorization),
    });
    const { status, body, headers } = answer(request);
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'k8s-live-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: loopback
  cluster:
    server: http://127.0.0.1:${port}
    insecure-skip-tls-verify: true
users:
- name: reader
  user:
    token: test-token
contexts:
- name: prod-eks
  context: {cluster: loopback, user: reader}
- name: bad:name
  context: {cluster: loopback, user: reader}
current-context: prod-eks
`,
  );
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const withoutServer = (env: KubernetesEnvironment) => env.clusters.map(({ server: _server, ...c }) => c);

describe('the live Kubernetes collector', () => {
  it('gives the environment the snapshot gives, paging, retrying a 429, with GET only', async () => {
    const raw = await getKubernetesLive({
      kubeconfig,
      pageSize: 1,
      backoffMs: 1,
      userGroups: { alice: ['payments-auditors'] },
    });
    const live = transformKubernetes(raw);
    const snapshot = await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT });
    expect(live.issues).toEqual([]);
    expect(live.clusters[0]?.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(withoutServer(live)).toEqual(withoutServer(snapshot));

    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(new Set(requests.map((r) => r.auth))).toEqual(new Set(['Bearer test-token']));
    const pods = requests.filter((r) => r.url.startsWith('/api/v1/pods'));
    // The 429, then three pages of one pod each.
    expect(pods.map((r) => r.url)).toEqual([
      '/api/v1/pods?limit=1',
      '/api/v1/pods?limit=1',
      '/api/v1/pods?limit=1&continue=1',
      '/api/v1/pods?limit=1&continue=2',
    ]);
    // No secret value was asked for or kept, not even in the last-applied annotation.
    expect(JSON.stringify(raw)).not.toContain('c2VjcmV0');
  });

  it('writes a snapshot that reads back to the same environment', async () => {
    const raw = await getKubernetesLive({ kubeconfig, contexts: ['prod-eks'], backoffMs: 1 });
    const out = join(dir, 'snap');
    await writeKubernetesSnapshot(raw, out);
    const read = await collectKubernetes({ snapshotDir: out });
    expect(withoutServer(read)).toEqual(withoutServer(transformKubernetes(raw)));
    expect(readFileSync(join(out, 'kubernetes', 'prod-eks', 'secrets.json'), 'utf8')).not.toContain(
      'c2VjcmV0',
    );
  });

  it('refuses a context that is unknown or cannot name a cluster', async () => {
    await expect(getKubernetesLive({ kubeconfig, contexts: ['nope'] })).rejects.toThrow(
      'kubeconfig: no context "nope" (contexts: prod-eks, bad:name)',
    );
    await expect(getKubernetesLive({ kubeconfig, contexts: ['bad:name'] })).rejects.toThrow(/rename-context/);
  });
});
