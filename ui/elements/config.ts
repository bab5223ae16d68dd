import { GraphQLClient } from '../graphql.js';

/**
 * Where the portal elements get their API and token (docs/portals.md): the element's own `api` and
 * `token` attributes first, else what the page configured once for all of them with
 * `configureReachgraph({ api, token })` (exported by elements.js, also `window.reachgraph.configure`).
 * `api` is the reachgraph server's base URL (`https://reachgraph.internal`, or a portal proxy path
 * such as `/api/proxy/reachgraph`); its `/graphql` must allow the portal's origin (`api.corsOrigins`)
 * unless it is the portal's own. `token` may be a function, so a portal can hand out a fresh one.
 */
export interface ElementsConfig {
  api?: string;
  token?: string | (() => string | null) | null;
}

let configured: ElementsConfig = {};

export function configureReachgraph(config: ElementsConfig): void {
  configured = { ...configured, ...config };
  window.dispatchEvent(new CustomEvent(CONFIGURED_EVENT));
}

/** Fired when the page configures the elements: those already drawn load again. */
export const CONFIGURED_EVENT = 'reachgraph-configured';

/** The API base URL, without a trailing slash ('' when neither attribute nor configuration gives one). */
export function apiBase(attribute: string | null | undefined): string {
  return (attribute || configured.api || '').replace(/\/+$/, '');
}

export function clientFor(element: { api?: string | null; token?: string | null }): GraphQLClient {
  return new GraphQLClient({
    endpoint: `${apiBase(element.api)}/graphql`,
    token: () => {
      if (element.token) return element.token;
      const token = configured.token;
      return typeof token === 'function' ? token() : (token ?? null);
    },
  });
}

/** A link into the explorer on the reachgraph server (opens in a new tab from a portal). */
export function explorerLink(api: string | null | undefined, path: string): string {
  return `${apiBase(api)}/ui${path}`;
}
