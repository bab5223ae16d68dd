// Shared by the benchmarks that ask the GraphQL API over real HTTP (bench/api.ts, bench/explorer.ts):
// their common options, the synthetic estate (bench/synthetic-reach.ts) with its reachability summary
// on a bench graph, the API server on loopback with a token, one request, requests timed in sequence,
// and the run that closes what it opened and exits 2 when a target is missed.
import { hashToken, newToken } from '../src/api/auth.js';
import { type RunningApi, startApiServer } from '../src/api/server.js';
import { ApiConfigSchema } from '../src/config/api.js';
import { computeReachability, type ReachabilityStats } from '../src/reachability/compute.js';
import {
  type BenchGraph,
  type LatencyStats,
  latencyStats,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  runMeasured,
  seconds,
  type Timed,
  timed,
} from './lib.js';
import { type SyntheticEstate, seedEstate } from './synthetic-reach.js';

const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

/** The flags both take, beside the common ones (bench/lib.ts). */
export const ESTATE_FLAGS = {
  identities: { type: 'string' },
  edges: { type: 'string' },
  requests: { type: 'string' },
} as const;

/** The estate's size and seed and the requests per measurement, from flags or the environment. */
export function estateOptions(args: {
  identities?: string;
  edges?: string;
  requests?: string;
  seed?: string;
}) {
  return {
    identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 100_000),
    edges: positive('edges', args.edges, 'BENCH_EDGES', 1_000_000),
    requests: positive('requests', args.requests, 'BENCH_REQUESTS', 200),
    seed: positive('seed', args.seed, 'BENCH_SEED', 7),
  };
}

/** The API on loopback with one token, and one GraphQL request to it. */
export interface BenchApi {
  api: RunningApi;
  /** The answer's data; an HTTP error, GraphQL errors or an answer without data throw. */
  ask(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A bench graph holding the synthetic estate and its reachability summary, and the API over it. */
export interface ServedEstate {
  graph: BenchGraph;
  estate: SyntheticEstate;
  generateMs: number;
  summary: ReachabilityStats;
  /** CPU of the summary: this process, and the local Neo4j JVM. */
  summaryCpu: Timed;
  /** Starts the API (one at a time; `close` stops it). */
  startApi(): Promise<BenchApi>;
}

/** What `serveEstate` opened, for `runServedBench` to close however the run ends. */
const opened: { graph?: BenchGraph; api?: BenchApi } = {};

/**
 * The synthetic estate on a bench graph (NEO4J_URI, or a local Neo4j on a temporary store), `after`
 * writing what the benchmark adds to it, then its reachability summary, timed.
 */
export async function serveEstate(
  options: { identities: number; edges: number; seed: number; wipeExisting: boolean },
  after?: (graph: BenchGraph, estate: SyntheticEstate) => Promise<void>,
): Promise<ServedEstate> {
  const graph = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: options.wipeExisting,
  });
  opened.graph = graph;
  const { estate, generateMs } = await seedEstate(
    graph.executor,
    options,
    after ? { after: (e) => after(graph, e) } : {},
  );
  log('Computing the reachability summary…');
  const [summary, summaryCpu] = await timed(() => computeReachability(graph.executor, {}), graph.server?.pid);
  log(`  ${summary.rows} rows in ${seconds(summary.durationMs).toFixed(1)} s`);
  return {
    graph,
    estate,
    generateMs,
    summary,
    summaryCpu,
    startApi: async () => {
      opened.api = await startBenchApi(graph);
      return opened.api;
    },
  };
}

/** The API on loopback over `graph`, with one token (what `serveEstate` starts; other benchmarks start it on their own graph). */
export async function startBenchApi(graph: BenchGraph): Promise<BenchApi> {
  const token = newToken();
  const config = ApiConfigSchema.parse({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'bench', sha256: hashToken(token) }],
  });
  const api = await startApiServer({ executor: graph.executor, config });
  log(`API on ${api.url}`);
  let closing: Promise<void> | undefined;
  return {
    api,
    ask: async (query, variables = {}) => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string }[];
      };
      if (!response.ok || body.errors?.length || !body.data)
        throw new Error(
          `HTTP ${response.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`,
        );
      return body.data;
    },
    close: () => {
      closing ??= api.close();
      return closing;
    },
  };
}

/** Latency of requests in sequence, and the CPU each cost (ms): this process (client and server) and the JVM. */
export interface RequestFigures extends LatencyStats {
  nodeCpuMs: number;
  neo4jCpuMs: number | undefined;
}

/**
 * `count` requests one after the other, the i-th made by `request(i)`: latency, and the CPU they
 * cost, which a machine shared with other work inflates far less than wall time.
 */
export async function timeRequests(
  count: number,
  request: (i: number) => Promise<unknown>,
  neo4jPid: number | undefined,
): Promise<RequestFigures> {
  const durations: number[] = [];
  const [, cpu] = await timed(async () => {
    for (let i = 0; i < count; i++) {
      const started = now();
      await request(i);
      durations.push(now() - started);
    }
  }, neo4jPid);
  return {
    ...latencyStats(durations),
    nodeCpuMs: cpu.cpuMs / count,
    neo4jCpuMs: cpu.jvmCpuMs === undefined ? undefined : cpu.jvmCpuMs / count,
  };
}

/** Peak resident memory so far (KB): this process, and the local Neo4j when there is one. */
export async function peakRss(graph: BenchGraph) {
  return {
    nodeKb: await peakRssKb(process.pid),
    neo4jKb: graph.server ? await peakRssKb(graph.server.pid) : undefined,
  };
}

/**
 * Runs the benchmark under `runMeasured`: `measure`, then its report (text, and with `json` the
 * figures), exit code 2 when a target is missed; however the run ends, the API and the graph
 * `serveEstate` opened are closed.
 */
export function runServedBench<R extends { targets: { pass: boolean }[] }>(
  measure: () => Promise<R>,
  report: (result: R) => string,
  json: boolean,
): Promise<void> {
  return runMeasured(measure, report, json, () => ({
    graph: opened.graph,
    snapshotDir: undefined,
    onGraph: opened.api,
  }));
}
