/**
 * The explorer's only way to data: GraphQL POSTs to the API with the bearer token. A document is a
 * string typed with its result and variables (`gql<Data, Variables>(text)`), so a page's query, its
 * variables and its use of the answer are checked together. The schema itself is the server's
 * (schema.graphql); the types written next to each query are the part of it the page reads.
 */
export type Document<TData, TVariables> = string & { readonly __shape?: [TData, TVariables] };

// biome-ignore lint/suspicious/noExplicitAny: a document without variables accepts none.
type NoVariables = Record<string, any>;

export function gql<TData, TVariables = NoVariables>(text: string): Document<TData, TVariables> {
  return text as Document<TData, TVariables>;
}

/** A request that failed: HTTP status, and the GraphQL error code when the server gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server wants a (valid) token. */
export class UnauthenticatedError extends ApiError {
  constructor(message: string) {
    super(message, 401, 'UNAUTHENTICATED');
    this.name = 'UnauthenticatedError';
  }
}

export interface ClientOptions {
  /** The GraphQL endpoint, `/graphql` on the explorer's own origin unless embedded elsewhere. */
  endpoint: string;
  /** The bearer token to send, read before every request; null sends none (demo mode). */
  token: () => string | null;
  /** Told when the server refuses the token (or its absence), e.g. to ask the user for one. */
  onUnauthenticated?: (error: UnauthenticatedError) => void;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class GraphQLClient {
  constructor(readonly options: ClientOptions) {}

  async request<TData, TVariables>(
    document: Document<TData, TVariables>,
    variables: TVariables,
    init: { signal?: AbortSignal } = {},
  ): Promise<TData> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.options.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document, variables }),
      credentials: 'omit',
      ...(init.signal ? { signal: init.signal } : {}),
    });
    let body: GraphQLResponse<TData> | null = null;
    try {
      body = (await response.json()) as GraphQLResponse<TData>;
    } catch {
      body = null;
    }
    const first = body?.errors?.[0];
    if (response.status === 401 || first?.extensions?.code === 'UNAUTHENTICATED') {
      const error = new UnauthenticatedError(first?.message ?? 'the API wants a token');
      this.options.onUnauthenticated?.(error);
      throw error;
    }
    if (first) throw new ApiError(first.message, response.status, first.extensions?.code);
    if (!response.ok || !body?.data)
      throw new ApiError(`the API answered ${response.status} ${response.statusText}`, response.status);
    return body.data;
  }
}
