import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';

/**
 * A loopback stand-in for the Google Cloud APIs the live GCP collector reads, replaying a snapshot
 * fixture (`<root>/gcp/…`) as the REST APIs answer: Resource Manager v3 organizations and folders
 * (`state`, `directoryCustomerId`), v1 projects listed by a `parent.type:… parent.id:…` filter, IAM v1
 * lists under their own keys (`accounts`, `roles`, `workloadIdentityPools`…), IAM v2 deny policies
 * listed as metadata then read one by one, Cloud Storage `items`, and an empty policy (`{etag}` only)
 * where the fixture has none, as the APIs answer for a resource without bindings. Lists are paged by
 * the request's `pageSize`/`maxResults` with `nextPageToken`; `faults` answers a path with an error
 * (a 429 once, a 403, a disabled API) before the real answer.
 */

type Json = Record<string, unknown>;

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  auth: string | undefined;
}

export interface StandInFault {
  status: number;
  /** `google.rpc.ErrorInfo` reason (`SERVICE_DISABLED`). */
  reason?: string;
  /** Answer only this many times, then the real answer (default: always). */
  times?: number;
  headers?: Record<string, string>;
}

export interface GcpStandIn {
  /** `http://127.0.0.1:<port>/`: the collector's `endpoint`. */
  url: string;
  requests: StandInRequest[];
  /** Paths asked for that the stand-in does not serve. */
  unknown: string[];
  /** Errors to answer by path (as requested, with `%2F` kept). */
  faults: Map<string, StandInFault>;
  /** Extra answers by path (`POST <path>` for a POST, `list <path>` for a list as `[key, items]`), for data the fixture does not have. */
  extra: Map<string, unknown>;
  close(): Promise<void>;
}

/** An OAuth client with a fixed token: the stand-in needs no credentials, the collector sends it. */
export function fakeAuthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return client;
}

const read = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const readList = (path: string): Json[] =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Json[]) : [];
const EMPTY_POLICY = { version: 1, etag: 'ACAB' };

/** The answers for GET/POST paths, built from the fixture's files. */
function routes(root: string): { lists: Map<string, [string, Json[]]>; documents: Map<string, unknown> } {
  const lists = new Map<string, [string, Json[]]>();
  const documents = new Map<string, unknown>();
  const gcp = join(root, 'gcp');
  const policyOr = (path: string) => (existsSync(path) ? read(path) : EMPTY_POLICY);
  const deny = (attachment: string, folder: string) => {
    const parent = `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/${attachment}`)}/denypolicies`;
    const policies = readList(join(folder, 'deny-policies.json')).map(
      (p): Json => ({
        ...p,
        kind: 'DenyPolicy',
        uid: `uid-${String(p.name).split('/').pop()}`,
        etag: 'W/"1"',
      }),
    );
    // listPolicies omits the rules: https://cloud.google.com/iam/docs/reference/rest/v2/policies/listPolicies
    lists.set(`/v2/${parent}`, ['policies', policies.map(({ rules: _rules, ...metadata }) => metadata)]);
    for (const policy of policies) documents.set(`/v2/${String(policy.name)}`, policy);
  };

  const org = join(gcp, 'organization');
  const projectsByParent = new Map<string, Json[]>();
  const foldersByParent = new Map<string, Json[]>();
  if (existsSync(org)) {
    const describe = read(join(org, 'describe.json'));
    const name = String(describe.name);
    documents.set(`/v3/${name}`, {
      name,
      displayName: describe.displayName,
      directoryCustomerId: (describe.owner as Json | undefined)?.directoryCustomerId,
      state: describe.lifecycleState,
      createTime: describe.creationTime,
      etag: 'BwOrg=',
    });
    documents.set(`POST /v3/${name}:getIamPolicy`, policyOr(join(org, 'iam-policy.json')));
    deny(name, org);
    lists.set(`/v1/${name}/roles`, ['roles', readList(join(org, 'custom-roles.json'))]);
  }
  const folders = join(gcp, 'folders');
  for (const id of existsSync(folders) ? readdirSync(folders).sort() : []) {
    const dir = join(folders, id);
    const describe = read(join(dir, 'describe.json'));
    const folder = {
      name: describe.name,
      parent: describe.parent,
      displayName: describe.displayName,
      state: describe.lifecycleState,
      etag: 'BwFolder=',
    };
    documents.set(`/v3/folders/${id}`, folder);
    foldersByParent.set(String(describe.parent), [
      ...(foldersByParent.get(String(describe.parent)) ?? []),
      folder,
    ]);
    documents.set(`POST /v3/folders/${id}:getIamPolicy`, policyOr(join(dir, 'iam-policy.json')));
    deny(`folders/${id}`, dir);
  }
  const projects = join(gcp, 'projects');
  for (const id of existsSync(projects) ? readdirSync(projects).sort() : []) {
    const dir = join(projects, id);
    const describe = read(join(dir, 'describe.json'));
    const parent = describe.parent as { type: string; id: string };
    const key = `parent.type:${parent.type} parent.id:${parent.id}`;
    projectsByParent.set(key, [...(projectsByParent.get(key) ?? []), describe]);
    documents.set(`/v1/projects/${id}`, describe);
    documents.set(`POST /v3/projects/${id}:getIamPolicy`, policyOr(join(dir, 'iam-policy.json')));
    deny(`projects/${id}`, dir);
    lists.set(`/v1/projects/${id}/roles`, ['roles', readList(join(dir, 'custom-roles.json'))]);
    const accounts = readList(join(dir, 'service-accounts.json'));
    lists.set(`/v1/projects/${id}/serviceAccounts`, ['accounts', accounts]);
    for (const account of accounts) {
      const name = `/v1/projects/${id}/serviceAccounts/${String(account.email)}`;
      documents.set(`${name}/keys`, {
        keys: readList(join(dir, 'service-account-keys', `${String(account.email)}.json`)),
      });
      documents.set(
        `POST ${name}:getIamPolicy`,
        policyOr(join(dir, 'service-account-iam-policies', `${String(account.email)}.json`)),
      );
    }
    const pools = readList(join(dir, 'workload-identity-pools.json'));
    lists.set(`/v1/projects/${id}/locations/global/workloadIdentityPools`, ['workloadIdentityPools', pools]);
    for (const pool of pools) {
      const poolId = String(pool.name).split('/').pop() as string;
      lists.set(`/v1/${String(pool.name)}/providers`, [
        'workloadIdentityPoolProviders',
        readList(join(dir, 'workload-identity-providers', `${poolId}.json`)),
      ]);
    }
    // Cloud Storage's own bucket resource, not gcloud storage's rendering of it.
    const buckets = readList(join(dir, 'buckets.json')).map((b) => ({
      kind: 'storage#bucket',
      id: b.name,
      name: b.name,
      projectNumber: describe.projectNumber,
      location: b.location ?? 'US',
      storageClass: 'STANDARD',
      ...(b.labels ? { labels: b.labels } : {}),
    }));
    lists.set(`/storage/v1/b?project=${id}`, ['items', buckets]);
    for (const bucket of buckets)
      documents.set(
        `/storage/v1/b/${String(bucket.name)}/iam`,
        existsSync(join(dir, 'bucket-iam-policies', `${String(bucket.name)}.json`))
          ? {
              kind: 'storage#policy',
              resourceId: `projects/_/buckets/${String(bucket.name)}`,
              ...read(join(dir, 'bucket-iam-policies', `${String(bucket.name)}.json`)),
            }
          : {
              kind: 'storage#policy',
              resourceId: `projects/_/buckets/${String(bucket.name)}`,
              ...EMPTY_POLICY,
            },
      );
    // Secrets and topics: listed by name, each with its policy file by id.
    for (const [file, key, folder] of [
      ['secrets.json', 'secrets', 'secret-iam-policies'],
      ['pubsub-topics.json', 'topics', 'pubsub-topic-iam-policies'],
    ] as const) {
      const items = readList(join(dir, file));
      lists.set(`/v1/projects/${id}/${key}`, [key, items]);
      for (const item of items)
        documents.set(
          `/v1/${String(item.name)}:getIamPolicy`,
          policyOr(join(dir, folder, `${String(item.name).split('/').pop()}.json`)),
        );
    }
    lists.set(`/v1/projects/${id}/locations`, [
      'locations',
      ['global', 'europe-west1'].map((l) => ({ name: `projects/${id}/locations/${l}`, locationId: l })),
    ]);
    for (const l of ['global', 'europe-west1'])
      lists.set(`/v1/projects/${id}/locations/${l}/keyRings`, ['keyRings', []]);
    lists.set(`/bigquery/v2/projects/${id}/datasets`, ['datasets', []]);
    lists.set(`/v1/projects/${id}/instances`, ['items', readList(join(dir, 'sql-instances.json'))]);
  }
  // Cloud Identity: each group of organization/groups/ found by email (groups.lookup), its listing as
  // groups.memberships.list answers it; a group marked unreadable, or not there, is refused (403), as
  // Cloud Identity answers for a group the caller may not see.
  const groups = join(org, 'groups');
  for (const [index, file] of (existsSync(groups) ? readdirSync(groups).sort() : []).entries()) {
    const listing = JSON.parse(readFileSync(join(groups, file), 'utf8')) as unknown;
    if (!Array.isArray(listing)) continue;
    const email = file.slice(0, -'.json'.length);
    documents.set(`/v1/groups:lookup?groupKey.id=${email}`, { name: `groups/g${index}` });
    lists.set(`/v1/groups/g${index}/memberships`, ['memberships', listing as Json[]]);
  }
  for (const [parent, children] of foldersByParent)
    lists.set(`/v3/folders?parent=${parent}`, ['folders', children]);
  for (const [filter, found] of projectsByParent)
    lists.set(`/v1/projects?filter=${filter}`, ['projects', found]);
  // No parent in the filter: every project the caller may list.
  lists.set('/v1/projects?filter=', ['projects', [...projectsByParent.values()].flat()]);
  return { lists, documents };
}

export async function startGcpStandIn(root: string): Promise<GcpStandIn> {
  const { lists, documents } = routes(root);
  const requests: StandInRequest[] = [];
  const unknown: string[] = [];
  const faults = new Map<string, StandInFault>();
  const extra = new Map<string, unknown>();

  const answer = (
    request: StandInRequest,
  ): { status: number; body: unknown; headers?: Record<string, string> } => {
    const { path, query, method } = request;
    const fault = faults.get(path);
    if (fault && (fault.times === undefined || fault.times > 0)) {
      if (fault.times !== undefined) fault.times--;
      return {
        status: fault.status,
        ...(fault.headers ? { headers: fault.headers } : {}),
        body: {
          error: {
            code: fault.status,
            message:
              fault.reason === 'SERVICE_DISABLED'
                ? 'API has not been used in project before or it is disabled.'
                : `fault ${fault.status}`,
            status: fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'PERMISSION_DENIED',
            ...(fault.reason
              ? {
                  details: [
                    {
                      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                      reason: fault.reason,
                      domain: 'googleapis.com',
                    },
                  ],
                }
              : {}),
          },
        },
      };
    }
    if (path === '/v1/groups:lookup') {
      const found = documents.get(`${path}?groupKey.id=${query.get('groupKey.id')}`);
      if (found) return { status: 200, body: found };
      return {
        status: 403,
        body: {
          error: {
            code: 403,
            message: 'Error(2028): Permission denied for resource',
            status: 'PERMISSION_DENIED',
          },
        },
      };
    }
    const key = method === 'POST' ? `POST ${path}` : path;
    if (extra.has(key)) return { status: 200, body: extra.get(key) };
    if (documents.has(key)) return { status: 200, body: documents.get(key) };
    // A list: by path, or by path and its one selecting parameter (parent, filter, project).
    const selector = ['parent', 'filter', 'project']
      .map((p) =>
        query.has(p)
          ? `${path}?${p}=${(query.get(p) as string).replace(/^lifecycleState:ACTIVE ?/, '')}`
          : undefined,
      )
      .find((k) => k !== undefined && lists.has(k));
    const list = (extra.get(`list ${path}`) as [string, Json[]] | undefined) ?? lists.get(selector ?? path);
    if (method === 'GET' && (list || query.has('parent') || query.has('filter'))) {
      const [itemsKey, items] = list ?? ['items', []];
      const size = Number(query.get('pageSize') ?? query.get('maxResults') ?? items.length) || items.length;
      const start = Number(query.get('pageToken') ?? 0);
      const page = items.slice(start, start + size);
      const next = start + size < items.length ? String(start + size) : undefined;
      // Google's lists leave out an empty list's key.
      return {
        status: 200,
        body: { ...(page.length ? { [itemsKey]: page } : {}), ...(next ? { nextPageToken: next } : {}) },
      };
    }
    unknown.push(`${method} ${path}`);
    return { status: 404, body: { error: { code: 404, message: `${path} not found`, status: 'NOT_FOUND' } } };
  };

  const server: Server = createServer((incoming: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      // The raw path, `%2F` kept: a deny policy's attachment point is one encoded path segment.
      const path = (incoming.url ?? '/').split('?')[0] as string;
      const request: StandInRequest = {
        method: incoming.method ?? '',
        path,
        query: url.searchParams,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        auth: incoming.headers.authorization,
      };
      requests.push(request);
      const { status, body, headers } = answer(request);
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    unknown,
    faults,
    extra,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
