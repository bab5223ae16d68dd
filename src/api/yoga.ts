import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { ApiConfig } from '../config/api.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { Logger } from '../logging.js';
import { readJobRunStats } from '../records/job-runs.js';
import { configuredToken } from './auth.js';
import type { ApiContext } from './context.js';
import { ApiGraph } from './graph.js';
import { useQueryLimits } from './limits.js';
import { ApiMetrics } from './metrics.js';
import { useReadOnly } from './read-only.js';
import { apiSchema } from './schema.js';
import { type Access, accessOf, FULL_ACCESS } from './token-scope.js';
import { createUiHandler } from './ui.js';

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';
export const METRICS_PATH = '/metrics';
const JOB_METRICS_TIMEOUT_MS = 2_000;

export interface ApiOptions {
  executor: GraphExecutor;
  config: ApiConfig;
  /** Overrides config.demo (the `--demo` flag). */
  demo?: boolean;
  metrics?: ApiMetrics;
  logger?: Logger;
  /** The activity store's DuckDB file the `activity` query reads (config `activity.database`). */
  activityDatabase?: string;
  /** The built explorer served under /ui; default dist/ui of the package. */
  uiDirectory?: string;
}

export interface Api {
  yoga: YogaServerInstance<Record<string, unknown>, ApiContext>;
  metrics: ApiMetrics;
  graph: ApiGraph;
}

/**
 * The API as a fetch handler, without listening: tests call `yoga.fetch`, server.ts hands it to
 * node:http. Every request needs a bearer token (except the health check, the explorer's static
 * files under /ui and, in demo mode, everything); depth and cost limits reject expensive queries before they run.
 */
export function createApi(options: ApiOptions): Api {
  const { config } = options;
  const demo = options.demo ?? config.demo;
  const metrics = options.metrics ?? new ApiMetrics();
  // A scrape must answer fast even when Neo4j does not: the job figures get a short timeout.
  metrics.trackJobRuns(
    () =>
      readJobRunStats(options.executor, {
        timeoutMs: Math.min(config.queryTimeoutMs, JOB_METRICS_TIMEOUT_MS),
      }),
    (error) =>
      options.logger?.debug(
        { error: error instanceof Error ? error.message : String(error) },
        'job metrics unavailable',
      ),
  );
  const graph = new ApiGraph(options.executor, {
    timeoutMs: config.queryTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    metrics,
  });
  const limits = { maxHops: config.maxHops, maxPageSize: config.maxPageSize };

  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema: apiSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => {
      const access = accessByRequest.get(request) ?? FULL_ACCESS;
      return {
        graph: graph.forRequest(Date.now(), access.scope),
        access,
        limits,
        ...(options.activityDatabase ? { activityDatabase: options.activityDatabase } : {}),
      };
    },
    graphiql: {
      title: 'reachgraph',
      defaultQuery: DEFAULT_QUERY,
      ...(demo ? {} : { headers: JSON.stringify({ Authorization: 'Bearer <your token>' }) }),
    },
    cors:
      config.corsOrigins.length > 0
        ? {
            origin: config.corsOrigins,
            methods: ['GET', 'POST'],
            allowedHeaders: ['Authorization', 'Content-Type'],
            credentials: false,
          }
        : false,
    // GraphiQL from the bundled @graphql-yoga/render-graphiql (scripts, styles, fonts and editor workers
    // inline in the page) instead of yoga's default page, which loads them from unpkg.com and stays blank
    // offline. Imported on the first page request: its 9 MB would otherwise load with every CLI command.
    renderGraphiQL: async (graphiql) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiql),
    landingPage: false,
    // Complexity depends on the variables (page sizes), so validation results are not reusable.
    parserAndValidationCache: false,
    logging: options.logger
      ? {
          debug: (...args) => options.logger?.debug(args.join(' ')),
          info: (...args) => options.logger?.info(args.join(' ')),
          warn: (...args) => options.logger?.warn(args.join(' ')),
          error: (...args) => options.logger?.error(args.join(' ')),
        }
      : false,
    plugins: [
      useAccessAndRoutes({
        demo,
        tokens: config.tokens,
        metrics,
        graph,
        ui: createUiHandler(options.uiDirectory, {
          frameAncestors: config.frameAncestors,
          corsOrigins: config.corsOrigins,
        }),
      }),
      useReadOnly((request) => accessByRequest.get(request) ?? FULL_ACCESS),
      useQueryLimits({
        maxDepth: config.maxDepth,
        maxComplexity: config.maxComplexity,
        maxRootFields: config.maxRootFields,
        introspection: config.introspection,
      }),
    ],
  });
  return { yoga, metrics, graph };
}

const started = new WeakMap<Request, bigint>();
/** The rights of each authenticated request's token (none recorded: demo mode, full access). */
const accessByRequest = new WeakMap<Request, Access>();

function useAccessAndRoutes(options: {
  demo: boolean;
  tokens: ApiConfig['tokens'];
  metrics: ApiMetrics;
  graph: ApiGraph;
  ui: (request: Request) => Response | null;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      started.set(request, process.hrtime.bigint());
      if (url.pathname === HEALTH_PATH) {
        // Open to probes: it says whether Neo4j answers and nothing else.
        const ok = await options.graph.healthy().catch(() => false);
        endResponse(
          Response.json(
            { status: ok ? 'ok' : 'unavailable', neo4j: ok ? 'up' : 'down' },
            { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
          ),
        );
        return;
      }
      // The explorer's page and assets hold no data: open like the health check. Its data comes from
      // /graphql, with the token.
      const ui = options.ui(request);
      if (ui) {
        endResponse(ui);
        return;
      }
      const token = options.demo
        ? null
        : configuredToken(request.headers.get('authorization'), options.tokens);
      if (token) accessByRequest.set(request, accessOf(token));
      if (!options.demo && token === null) {
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [
                {
                  message: request.headers.get('authorization')
                    ? 'invalid token'
                    : 'missing bearer token: send "Authorization: Bearer <token>"',
                  extensions: { code: 'UNAUTHENTICATED' },
                },
              ],
            }),
            {
              status: 401,
              headers: {
                'content-type': 'application/json',
                'www-authenticate': 'Bearer realm="reachgraph"',
              },
            },
          ),
        );
        return;
      }
      if (url.pathname === METRICS_PATH) {
        endResponse(
          new fetchAPI.Response(await options.metrics.registry.metrics(), {
            headers: { 'content-type': options.metrics.registry.contentType },
          }),
        );
      }
    },
    onResponse({ request, response }) {
      const path = ApiMetrics.pathLabel(new URL(request.url).pathname);
      options.metrics.requests.inc({ path, status: String(response.status) });
      const start = started.get(request);
      if (start !== undefined)
        options.metrics.requestSeconds.observe({ path }, Number(process.hrtime.bigint() - start) / 1e9);
    },
  };
}

const DEFAULT_QUERY = `# Which non-human identities can reach production data, and how?
query BotsToProductionData {
  paths(from: { nonHuman: true }, to: { environment: PRODUCTION }, first: 20) {
    edges {
      node {
        from { id name nhiType }
        to { id name kind sensitivity }
        length
        levels
        conditional
        hops { from { name } edge { type reason evidence { ref statement } } to { name } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
