import { hashToken } from '../../src/api/auth.js';
import { type Api, type ApiOptions, createApi } from '../../src/api/yoga.js';
import { type ApiConfig, ApiConfigSchema } from '../../src/config/api.js';
import type { GraphExecutor } from '../../src/graph/executor.js';

/** Anything that answers HTTP like the API server, without listening on a port: the API's Yoga, or another. */
export interface GraphqlApi {
  yoga: { fetch(url: string, init: RequestInit): Response | Promise<Response> };
}

/** An in-process API on the graph that accepts one bearer token (configuration otherwise default). */
export function tokenApi(
  executor: GraphExecutor,
  token: string,
  options: Omit<ApiOptions, 'executor' | 'config'> & { config?: Partial<ApiConfig> } = {},
): Api {
  const { config, ...rest } = options;
  return createApi({
    executor,
    config: ApiConfigSchema.parse({ tokens: [{ name: 'test', sha256: hashToken(token) }], ...config }),
    ...rest,
  });
}

/** A GraphQL answer as JSON: answers are untyped in tests, which read them by path. */
export type GraphqlBody = {
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON.
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

export interface GraphqlRequest {
  /** The bearer token to present; null sends no Authorization header. */
  token: string | null;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** POST one GraphQL request to /graphql in process, as a client would. */
export async function postGraphql(
  api: GraphqlApi,
  query: string,
  request: GraphqlRequest,
): Promise<Response> {
  return await api.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(request.token === null ? {} : { authorization: `Bearer ${request.token}` }),
      ...request.headers,
    },
    body: JSON.stringify({ query, variables: request.variables ?? {} }),
  });
}

/** The answer's JSON body, errors included. */
export async function graphqlBody(
  api: GraphqlApi,
  query: string,
  request: GraphqlRequest,
): Promise<GraphqlBody> {
  return (await postGraphql(api, query, request)).json() as Promise<GraphqlBody>;
}

/** The answer's data; a request that answered errors fails the test with their messages. */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON.
export async function graphqlData(api: GraphqlApi, query: string, request: GraphqlRequest): Promise<any> {
  const body = await graphqlBody(api, query, request);
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

/** The messages of the errors a request answered (none: []). */
export async function graphqlErrors(
  api: GraphqlApi,
  query: string,
  request: GraphqlRequest,
): Promise<string[]> {
  return ((await graphqlBody(api, query, request)).errors ?? []).map((e) => e.message);
}
