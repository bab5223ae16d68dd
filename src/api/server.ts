import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindAddress, checkAccessMode } from './auth.js';
import { ApiMetrics } from './metrics.js';
import { UI_PATH } from './ui.js';
import { type Api, type ApiOptions, createApi, GRAPHQL_PATH } from './yoga.js';

export interface RunningApi extends Api {
  server: Server;
  host: string;
  port: number;
  /** The GraphQL endpoint (GraphiQL in a browser). */
  url: string;
  /** The explorer (docs/explorer.md). */
  explorerUrl: string;
  close(): Promise<void>;
}

/**
 * Listen on host:port (port 0: the OS picks one). Refuses demo mode off loopback and a server
 * without tokens outside demo mode, before binding anything.
 */
export async function startApiServer(
  options: ApiOptions & { host?: string; port?: number },
): Promise<RunningApi> {
  const configured = options.host ?? options.config.host;
  const port = options.port ?? options.config.port;
  const demo = options.demo ?? options.config.demo;
  checkAccessMode({ host: configured, demo, tokens: options.config.tokens });
  const host = bindAddress(configured);
  const api = createApi({
    ...options,
    demo,
    metrics: options.metrics ?? new ApiMetrics({ processMetrics: true }),
  });
  const server = createServer(api.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    ...api,
    server,
    host,
    port: bound,
    url: `http://${shown}:${bound}${GRAPHQL_PATH}`,
    explorerUrl: `http://${shown}:${bound}${UI_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
