import { cloudresourcemanager } from '@googleapis/cloudresourcemanager';
import { iam } from '@googleapis/iam';
import { secretmanager } from '@googleapis/secretmanager';
import { storage } from '@googleapis/storage';
import { type AuthClient, GoogleAuth, Impersonated } from 'google-auth-library';
import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The Google Cloud APIs the live GCP collector reads, behind one authenticated client: the per-API
 * `@googleapis/*` clients (Resource Manager, IAM, Cloud Storage, Secret Manager) and, for the APIs
 * that have none (BigQuery, Cloud KMS, Pub/Sub), their documented REST paths through the same
 * google-auth-library client. Every call is a read (a `list`, `get` or `getIamPolicy`), goes through
 * one bounded pool, and is retried on 429 and 5xx with exponential backoff honouring `Retry-After`
 * (https://cloud.google.com/apis/design/errors#error_retries); the clients' own retries are off so
 * that POST reads (`getIamPolicy`) are retried the same way.
 */

/** Read-only connection settings, as gcloud users give them. */
export interface GcpConnectOptions {
  /** A service-account key or external-account (workload identity federation) file; default ADC. */
  credentials?: string;
  /** Act as this service account (its token minted by the caller's credentials, as `gcloud --impersonate-service-account`). */
  impersonateServiceAccount?: string;
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  /** Retries of a 429 or 5xx answer (default 5). */
  retries?: number;
  /** First backoff in ms, doubled per retry (default 500). */
  backoffMs?: number;
  /** One root URL for every API (a private endpoint or a stand-in); default each API's own host. */
  endpoint?: string;
  /** An authenticated client to use instead of resolving credentials (embedding, tests). */
  authClient?: AuthClient;
}

/** The one OAuth scope gcloud asks for; the roles granted (docs/permissions.md) keep the collection read-only. */
const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/** A failed call, with the HTTP status and the API's own reason (`SERVICE_DISABLED`…). */
export class GcpCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

type Data = Record<string, unknown>;

export async function connectGcp(options: GcpConnectOptions): Promise<GcpApi> {
  // One GoogleAuth over the resolved client: the form every `@googleapis/*` client takes.
  return new GcpApi(new GoogleAuth({ authClient: await authClientOf(options) }), options);
}

async function authClientOf(options: GcpConnectOptions): Promise<AuthClient> {
  if (options.authClient) return options.authClient;
  const auth = new GoogleAuth({
    scopes: SCOPES,
    ...(options.credentials ? { keyFilename: options.credentials } : {}),
  });
  let client: AuthClient;
  try {
    client = (await auth.getClient()) as AuthClient;
  } catch (error) {
    throw new Error(
      `no Google credentials: ${(error as Error).message} (run \`gcloud auth application-default login\`, set GOOGLE_APPLICATION_CREDENTIALS or gcp.credentials, or name the providers to run)`,
    );
  }
  if (!options.impersonateServiceAccount) return client;
  // https://cloud.google.com/docs/authentication/use-service-account-impersonation
  return new Impersonated({
    sourceClient: client,
    targetPrincipal: options.impersonateServiceAccount,
    targetScopes: SCOPES,
    lifetime: 3600,
    delegates: [],
  });
}

export class GcpApi {
  readonly crm1;
  readonly crm3;
  readonly iam1;
  readonly iam2;
  readonly storage;
  readonly secrets;
  private readonly limit: LimitFunction;

  constructor(
    private readonly auth: GoogleAuth,
    private readonly options: GcpConnectOptions,
  ) {
    const common = { auth, retry: false, ...(options.endpoint ? { rootUrl: options.endpoint } : {}) };
    this.crm1 = cloudresourcemanager({ version: 'v1', ...common });
    this.crm3 = cloudresourcemanager({ version: 'v3', ...common });
    this.iam1 = iam({ version: 'v1', ...common });
    this.iam2 = iam({ version: 'v2', ...common });
    this.storage = storage({ version: 'v1', ...common });
    this.secrets = secretmanager({ version: 'v1', ...common });
    this.limit = pLimit(Math.max(1, options.concurrency ?? 8));
  }

  /** One call's answer body, in the pool, retried. */
  async call(run: () => Promise<{ data: unknown }>): Promise<Data> {
    const retries = this.options.retries ?? 5;
    return this.limit(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const { data } = await run();
          return (data ?? {}) as Data;
        } catch (error) {
          const failure = callError(error);
          const retry = failure.status === 429 || (failure.status ?? 0) >= 500;
          if (!retry || attempt >= retries) throw failure;
          const after = Number(retryAfter(error));
          const wait =
            Number.isFinite(after) && after > 0
              ? after * 1000
              : (this.options.backoffMs ?? 500) * 2 ** attempt;
          await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 30_000)));
        }
      }
    });
  }

  /** Every item of a paged list (`pageToken` / `nextPageToken`), under the answer's `key`. */
  async list(
    key: string,
    page: (pageToken: string | undefined) => Promise<{ data: unknown }>,
  ): Promise<Data[]> {
    const items: Data[] = [];
    let token: string | undefined;
    do {
      const data = await this.call(() => page(token));
      const found = data[key];
      if (found !== undefined && !Array.isArray(found))
        throw new GcpCallError(`the answer's "${key}" is not a list`, undefined, undefined);
      items.push(...((found as Data[] | undefined) ?? []));
      token = typeof data.nextPageToken === 'string' && data.nextPageToken ? data.nextPageToken : undefined;
    } while (token);
    return items;
  }

  /** A REST read on an API without a `@googleapis/*` client: `host` is its default host, `path` its REST path. */
  rest(
    host: string,
    path: string,
    request: { params?: Record<string, string | number>; body?: unknown } = {},
  ): Promise<{ data: unknown }> {
    const root = this.options.endpoint ?? `https://${host}/`;
    return this.auth.request({
      url: new URL(path, root).href,
      method: request.body === undefined ? 'GET' : 'POST',
      retry: false,
      ...(request.params ? { params: request.params } : {}),
      ...(request.body === undefined ? {} : { data: request.body }),
    });
  }
}

/** The status, reason and message of a client error (a GaxiosError with Google's error body). */
function callError(error: unknown): GcpCallError {
  if (error instanceof GcpCallError) return error;
  const e = error as {
    status?: number;
    code?: number | string;
    message?: string;
    response?: { status?: number; data?: unknown };
  };
  const status = e.response?.status ?? e.status ?? (typeof e.code === 'number' ? e.code : undefined);
  const body = (e.response?.data as { error?: { message?: unknown; details?: unknown; errors?: unknown } })
    ?.error;
  const details = Array.isArray(body?.details) ? (body.details as { reason?: unknown }[]) : [];
  const reason = details.map((d) => d.reason).find((r): r is string => typeof r === 'string');
  const message = typeof body?.message === 'string' ? body.message : (e.message ?? String(error));
  return new GcpCallError(`${status ? `HTTP ${status}: ` : ''}${message}`, status, reason);
}

function retryAfter(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: unknown } }).response?.headers;
  if (headers && typeof (headers as Headers).get === 'function')
    return (headers as Headers).get('retry-after') ?? undefined;
  const value = (headers as Record<string, unknown> | undefined)?.['retry-after'];
  return typeof value === 'string' ? value : undefined;
}
