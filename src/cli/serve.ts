import type { Command } from 'commander';
import { activityDatabasePath } from '../activity/store.js';
import { checkAccessMode } from '../api/auth.js';
import { startApiServer } from '../api/server.js';
import { openGraph } from '../graph/connection.js';
import type { CliContext } from './context.js';

/** How long `serve` retries a read: a caller waits on it, and a server whose Neo4j died must stop promptly. */
export const API_MAX_RETRY_TIME_MS = 2_000;

export function registerServe(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description('Serve the GraphQL API (GraphiQL at /graphql, /healthz, /metrics) until interrupted')
    .option('--port <port>', 'port to listen on (0: any free port); default api.port')
    .option('--host <host>', 'address to bind; default api.host (127.0.0.1)')
    .option('--demo', 'local demo mode: no token needed, loopback addresses only')
    .action(async (options: { port?: string; host?: string; demo?: boolean }) => {
      const { config, output, logger } = context();
      const port = options.port === undefined ? config.api.port : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`--port: expected 0-65535, got "${options.port}"`);
      const host = options.host ?? config.api.host;
      const demo = options.demo ?? config.api.demo;
      // Refuse a demo off loopback (or a server nobody can call) before touching the graph.
      checkAccessMode({ host, demo, tokens: config.api.tokens });
      // A caller waits on each read: retrying one for a load's retry time helps nobody, and would
      // keep a server whose Neo4j died from stopping promptly.
      const graph = await openGraph(config, {
        onProgress: (m) => output.err(m),
        maxRetryTimeMs: API_MAX_RETRY_TIME_MS,
      });
      try {
        const api = await startApiServer({
          executor: graph.executor,
          config: config.api,
          host,
          port,
          demo,
          logger,
          activityDatabase: activityDatabasePath(config),
        });
        output.out(`reachgraph API listening on ${api.url}${demo ? ' (demo mode: no token needed)' : ''}`);
        output.out(`Explorer: ${api.explorerUrl}`);
        output.err('GraphiQL: open the URL in a browser. Health: /healthz, metrics: /metrics. Ctrl-C stops.');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        output.err('Stopping…');
        await api.close();
      } finally {
        await graph.close();
      }
    });
}
