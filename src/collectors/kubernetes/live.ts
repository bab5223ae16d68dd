import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { k8sScope } from '../../model/kubernetes/ids.js';
import { COLLECTED_KINDS, type CollectedKind, clusterNameProblem } from './kinds.js';
import type { KubernetesRaw, KubernetesRawCluster } from './raw.js';

/**
 * The live Kubernetes collector: for each kubeconfig context, every kind of kinds.ts listed with
 * `GET` only, page by page (`limit`/`continue`,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks),
 * retrying 429 and 5xx answers with backoff (honouring `Retry-After`). Authentication and TLS are the
 * kubeconfig's, applied by @kubernetes/client-node. Secrets are asked for as a Table of metadata
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, `includeObject=Metadata`): the API server
 * sends no `data`, and whatever it sends, only the metadata (without the last-applied annotation) and
 * the type are kept. A kind the API refuses is not collected (an error for that cluster); the rest
 * is read.
 */
export interface KubernetesLiveOptions {
  /** The kubeconfig file (default: KUBECONFIG, else ~/.kube/config). */
  kubeconfig?: string;
  /** Contexts to collect, one cluster each (default: the current context). */
  contexts?: string[];
  /** Items per page (default 500). */
  pageSize?: number;
  /** Retries of a 429 or 5xx answer (default 5). */
  retries?: number;
  /** First backoff in ms, doubled per retry (default 500). */
  backoffMs?: number;
  /** Users → groups their credentials carry (the config's `kubernetes.userGroups`). */
  userGroups?: Readonly<Record<string, readonly string[]>>;
  /** Context → its GKE workload pool (`PROJECT_ID.svc.id.goog`, the config's `kubernetes.workloadPools`). */
  workloadPools?: Readonly<Record<string, string>>;
  onProgress?: (message: string) => void;
}

function hasDefaultKubeconfig(): boolean {
  return Boolean(
    process.env.KUBECONFIG ||
      existsSync(join(homedir(), '.kube', 'config')) ||
      (process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT),
  );
}

/** Secrets as a Table of metadata: https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables */
const TABLE_OF_METADATA = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export async function getKubernetesLive(options: KubernetesLiveOptions): Promise<KubernetesRaw> {
  const config = new KubeConfig();
  if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
  else if (hasDefaultKubeconfig()) config.loadFromDefault();
  // The client would otherwise fall back to http://localhost:8080 and collect a cluster that is not there.
  else
    throw new Error(
      'no kubeconfig (KUBECONFIG, ~/.kube/config, or in a pod): give --kubeconfig, or name the providers to run (reachgraph sync aws)',
    );
  const contexts = options.contexts?.length ? options.contexts : [config.getCurrentContext()];
  const clusters: KubernetesRawCluster[] = [];
  for (const context of contexts) {
    if (!config.getContextObject(context))
      throw new Error(
        `kubeconfig: no context "${context}" (contexts: ${config
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
      );
    const problem = clusterNameProblem(context);
    if (problem)
      throw new Error(
        `kubeconfig context "${context}" ${problem}: rename it (kubectl config rename-context) to name the cluster`,
      );
    config.setCurrentContext(context);
    options.onProgress?.(`kubernetes: collecting context ${context}`);
    clusters.push(await collectCluster(context, new Client(config, options), options));
  }
  return { clusters };
}

async function collectCluster(
  name: string,
  client: Client,
  options: KubernetesLiveOptions,
): Promise<KubernetesRawCluster> {
  const cluster: KubernetesRawCluster = { name, server: client.server, lists: {}, issues: [] };
  for (const kind of COLLECTED_KINDS) {
    try {
      const items = await listKind(client, kind, options.pageSize ?? 500);
      if (items) cluster.lists[kind.file] = { source: `GET ${kind.path}`, items };
      else
        cluster.issues.push({
          severity: 'warning',
          source: `GET ${kind.path}`,
          object: k8sScope(name),
          message: `the API server does not serve ${kind.file}: not collected`,
        });
    } catch (error) {
      cluster.issues.push({
        severity: 'error',
        source: `GET ${kind.path}`,
        object: k8sScope(name),
        message: `${kind.file} not collected: ${(error as Error).message}`,
      });
    }
  }
  if (options.userGroups)
    cluster.userGroups = { source: 'config kubernetes.userGroups', value: options.userGroups };
  // The service-account issuer discovery document: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#service-account-issuer-discovery
  const discovery = await client.get('/.well-known/openid-configuration').catch(() => undefined);
  const issuer = (discovery?.body as { issuer?: unknown } | undefined)?.issuer;
  const found = discovery?.status === 200 && typeof issuer === 'string' && issuer.startsWith('https://');
  // GKE: the Kubernetes API does not say which workload pool the cluster's service accounts are
  // subjects of (https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity); the
  // config names it per context, as a snapshot's cluster.json does.
  const pool = options.workloadPools?.[name];
  const sources = [
    ...(found ? ['GET /.well-known/openid-configuration'] : []),
    ...(pool ? [`config kubernetes.workloadPools.${name}`] : []),
  ];
  if (sources.length > 0)
    cluster.cluster = {
      source: sources.join(' + '),
      value: { ...(found ? { oidcIssuer: issuer } : {}), ...(pool ? { workloadPool: pool } : {}) },
    };
  return cluster;
}

/** Every item of one kind (undefined when the API server does not serve it). */
async function listKind(
  client: Client,
  kind: CollectedKind,
  pageSize: number,
): Promise<unknown[] | undefined> {
  if (kind.file === 'configmaps') {
    // Only kube-system/aws-auth, read by name (`get` narrowed to that name in the ClusterRole).
    const { status, body } = await client.get(kind.path);
    if (status === 404) return [];
    if (status !== 200) throw new Error(answerError(status, body));
    return [body];
  }
  const secrets = kind.file === 'secrets';
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (token) query.set('continue', token);
    if (secrets) query.set('includeObject', 'Metadata');
    const { status, body } = await client.get(
      `${kind.path}?${query}`,
      secrets ? TABLE_OF_METADATA : undefined,
    );
    if (status === 404 && !token) return undefined;
    if (status !== 200) throw new Error(answerError(status, body));
    const page = body as { items?: unknown[]; rows?: unknown[]; metadata?: { continue?: string } };
    items.push(...(secrets ? secretMetadata(page) : (page.items ?? [])));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** A secret's metadata and type from a Table row (or a plain item, should the server not make a Table). */
function secretMetadata(page: {
  items?: unknown[];
  rows?: unknown[];
  columnDefinitions?: { name: string }[];
}): unknown[] {
  const typeColumn = (page.columnDefinitions ?? []).findIndex((c) => c.name === 'Type');
  const rows = page.rows
    ? page.rows.map((row) => {
        const r = row as { cells?: unknown[]; object?: { metadata?: Record<string, unknown> } };
        return { metadata: r.object?.metadata, type: typeColumn >= 0 ? r.cells?.[typeColumn] : undefined };
      })
    : (page.items ?? []).map((item) => {
        const i = item as { metadata?: Record<string, unknown>; type?: unknown };
        return { metadata: i.metadata, type: i.type };
      });
  return rows.map(({ metadata, type }) => {
    const annotations = { ...((metadata?.annotations as Record<string, string> | undefined) ?? {}) };
    delete annotations[LAST_APPLIED];
    const { managedFields: _managed, ...meta } = metadata ?? {};
    return {
      metadata: {
        ...meta,
        ...(Object.keys(annotations).length ? { annotations } : { annotations: undefined }),
      },
      ...(typeof type === 'string' ? { type } : {}),
    };
  });
}

function answerError(status: number, body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return `HTTP ${status}${typeof message === 'string' ? `: ${message}` : ''}`;
}

/** GET requests to one cluster's API server with the kubeconfig's credentials, retried on 429 and 5xx. */
class Client {
  readonly server: string;
  constructor(
    private readonly config: KubeConfig,
    private readonly options: KubernetesLiveOptions,
  ) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig context "${config.getCurrentContext()}" has no cluster`);
    this.server = cluster.server.replace(/\/+$/, '');
  }

  async get(path: string, accept = 'application/json'): Promise<{ status: number; body: unknown }> {
    const retries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(path, accept);
      const retry = answer.status === 429 || answer.status >= 500;
      if (!retry || attempt >= retries) return answer;
      const after = Number(answer.retryAfter);
      const wait =
        Number.isFinite(after) && after > 0 ? after * 1000 : (this.options.backoffMs ?? 500) * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 30_000)));
    }
  }

  private async once(
    path: string,
    accept: string,
  ): Promise<{ status: number; body: unknown; retryAfter?: string | undefined }> {
    const options: https.RequestOptions = { method: 'GET', headers: {} };
    await this.config.applyToHTTPSOptions(options);
    options.headers = { ...(options.headers as Record<string, string>), Accept: accept };
    const url = new URL(`${this.server}${path}`);
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise((resolve, reject) => {
      const request = send(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = { message: text.slice(0, 200) };
          }
          resolve({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] });
        });
      });
      request.on('error', reject);
      request.end();
    });
  }
}
