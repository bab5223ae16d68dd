// API benchmark: the GraphQL API over real HTTP on loopback, answering from the reachability
// summary of a synthetic estate (default 100,000 identities and 1,000,000 hop and CAN_ACCESS edges,
// the estate of bench/reachability.ts). Measures, each over sequential requests: the first page of
// "which bots reach production data" (paths from non-human identities to production resources of
// high sensitivity), the following pages through cursors, the first page of whoCanReach and of
// reachableFrom for a sample of resources and identities; then requests/s of the first query under
// concurrent load (bounded by time and by count). The baseline is the same question as plain Cypher
// without the summary: the API's own on-demand page query (bounded by a timeout), and bounded
// SHORTEST 1 searches from a sample of non-human identities, scaled to all of them.
//
//   npx tsx bench/api.ts [--identities 100000] [--edges 1000000] [--requests 200] [--page 50]
//                        [--resources 50] [--clients 16] [--duration 10] [--max-requests 20000]
//                        [--sample 100] [--baseline-timeout 60] [--seed 7] [--json] [--wipe-existing]
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_REQUESTS,
// BENCH_PAGE, BENCH_RESOURCES, BENCH_CLIENTS, BENCH_DURATION, BENCH_MAX_REQUESTS, BENCH_SAMPLE,
// BENCH_BASELINE_TIMEOUT, BENCH_SEED. With NEO4J_URI that server is used and wiped (it must be empty,
// or --wipe-existing must say its data may go); otherwise a local Neo4j is started on a temporary
// store and removed. Exit code 2 when a goal is missed.
import { availableParallelism } from 'node:os';
import { hashToken, newToken } from '../src/api/auth.js';
import { type RunningApi, startApiServer } from '../src/api/server.js';
import { ApiConfigSchema } from '../src/config/api.js';
import { ensureSchema } from '../src/graph/schema.js';
import { HOP_TYPES } from '../src/model/relationship-kinds.js';
import { computeReachability, type ReachabilityStats } from '../src/reachability/compute.js';
import {
  type BenchGraph,
  benchArgs,
  cpuSeconds,
  type LatencyStats,
  latencyStats,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  runBench,
  seconds,
} from './lib.js';
import { generateEstate, sampleIds, syntheticEstate } from './synthetic-reach.js';

const GOAL_P95_MS = 100;
const GOAL_SUMMARY_SECONDS = 60;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
/** The API's default bound for `paths`; whoCanReach and reachableFrom default to the server's. */
const PATHS_MAX_HOPS = 4;

const args = await benchArgs(import.meta.url, {
  identities: { type: 'string' },
  edges: { type: 'string' },
  requests: { type: 'string' },
  page: { type: 'string' },
  resources: { type: 'string' },
  clients: { type: 'string' },
  duration: { type: 'string' },
  'max-requests': { type: 'string' },
  sample: { type: 'string' },
  'baseline-timeout': { type: 'string' },
});
const options = {
  identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 100_000),
  edges: positive('edges', args.edges, 'BENCH_EDGES', 1_000_000),
  requests: positive('requests', args.requests, 'BENCH_REQUESTS', 200),
  page: positive('page', args.page, 'BENCH_PAGE', 50),
  resources: positive('resources', args.resources, 'BENCH_RESOURCES', 50),
  clients: positive('clients', args.clients, 'BENCH_CLIENTS', 16),
  durationS: positive('duration', args.duration, 'BENCH_DURATION', 10),
  maxRequests: positive('max-requests', args['max-requests'], 'BENCH_MAX_REQUESTS', 20_000),
  sample: positive('sample', args.sample, 'BENCH_SAMPLE', 100),
  baselineTimeoutS: positive('baseline-timeout', args['baseline-timeout'], 'BENCH_BASELINE_TIMEOUT', 60),
  seed: positive('seed', args.seed, 'BENCH_SEED', 7),
};

// ── The questions ─────────────────────────────────────────────────────────────────────────────
const ROW = 'from { id name } to { id name } length levels conditional via';
const PATHS = `query BotsToProductionData($first: Int!, $after: String) {
  paths(from: {nonHuman: true}, to: {environment: PRODUCTION, sensitivity: [HIGH]}, first: $first, after: $after) {
    edges { node { ${ROW} } } pageInfo { hasNextPage endCursor }
  }
}`;
const WHO_CAN_REACH = `query ResourcePage($id: ID!, $first: Int!) {
  whoCanReach(resource: $id, first: $first) { edges { node { ${ROW} } } pageInfo { hasNextPage endCursor } }
}`;
const REACHABLE_FROM = `query BlastRadius($id: ID!, $first: Int!) {
  reachableFrom(identity: $id, first: $first) { edges { node { ${ROW} } } pageInfo { hasNextPage endCursor } }
}`;

interface Page {
  rows: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** One GraphQL request over HTTP: its page, or an error naming what went wrong. */
async function ask(api: RunningApi, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>;
    errors?: { message: string }[];
  };
  if (!response.ok || body.errors?.length)
    throw new Error(`HTTP ${response.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no body'}`);
  const connection = Object.values(body.data ?? {})[0];
  if (!connection) throw new Error('answer without data');
  return {
    rows: connection.edges.length,
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  } satisfies Page;
}

interface Sequential {
  latency: LatencyStats;
  /** Rows per answer, over every request. */
  rows: { min: number; max: number };
}

/** `count` requests one after the other; `next(i, previous)` gives each one's query and variables. */
async function sequential(
  count: number,
  next: (i: number, previous: Page | undefined) => { query: string; variables: Record<string, unknown> },
  api: RunningApi,
  token: string,
): Promise<Sequential> {
  const durations: number[] = [];
  let previous: Page | undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < count; i++) {
    const { query, variables } = next(i, previous);
    const started = now();
    previous = await ask(api, token, query, variables);
    durations.push(now() - started);
    min = Math.min(min, previous.rows);
    max = Math.max(max, previous.rows);
  }
  return { latency: latencyStats(durations), rows: { min, max } };
}

/** `clients` loops asking the same query until the time or the request budget is spent. */
async function underLoad(api: RunningApi, token: string, query: string, variables: Record<string, unknown>) {
  const deadline = now() + options.durationS * 1000;
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const durations: number[] = [];
  const started = now();
  const client = async () => {
    while (now() < deadline && issued < options.maxRequests) {
      issued++;
      const t = now();
      try {
        await ask(api, token, query, variables);
        durations.push(now() - t);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const elapsedMs = now() - started;
  return {
    clients: options.clients,
    requests: durations.length,
    errors,
    firstError,
    elapsedMs,
    perSecond: durations.length / seconds(elapsedMs),
    latency: latencyStats(durations),
  };
}

// ── The baseline: the same question without the summary ──────────────────────────────────────
const who = {
  providers: null,
  nonHuman: true,
  nhiTypes: null,
  environments: null,
  nameContains: null,
  kinds: null,
  scopes: null,
};
const what = {
  providers: null,
  environments: ['production'],
  sensitivities: ['high'],
  nameContains: null,
  kinds: null,
  scopes: null,
};

/**
 * The baseline: the first page as plain Cypher without a summary — bounded ALL SHORTEST paths from
 * every matching identity, summarised per pair — what a graph store alone would answer with.
 */
const PLAIN_CYPHER_PAGE = `MATCH p = ALL SHORTEST (s:Principal)
  (()-[h:CAN_ASSUME|CAN_IMPERSONATE|FEDERATES_TO|RUNS_AS|CAN_ESCALATE WHERE type(h) IN $via]->()){0,10}
  (:Principal)-[a:CAN_ACCESS WHERE $levels IS NULL OR any(level IN a.levels WHERE level IN $levels)]->(r:Resource)
WHERE length(p) <= $maxHops + 1
  AND ($fromId IS NULL OR s.id = $fromId)
  AND ($toId IS NULL OR r.id = $toId)
  AND ($afterFrom IS NULL OR s.id > $afterFrom OR (s.id = $afterFrom AND r.id > $afterTo))
  AND ($who.providers IS NULL OR s.provider IN $who.providers)
  AND ($who.nonHuman IS NULL OR s.nonHuman = $who.nonHuman)
  AND ($who.nhiTypes IS NULL OR s.nhiType IN $who.nhiTypes)
  AND ($who.environments IS NULL OR coalesce(s.environment, 'unknown') IN $who.environments)
  AND ($who.nameContains IS NULL OR toLower(s.name) CONTAINS $who.nameContains)
  AND ($who.kinds IS NULL OR any(label IN labels(s) WHERE label IN $who.kinds))
  AND ($who.scopes IS NULL OR s.scope IN $who.scopes)
  AND ($what.providers IS NULL OR r.provider IN $what.providers)
  AND ($what.environments IS NULL OR coalesce(r.environment, 'unknown') IN $what.environments)
  AND ($what.sensitivities IS NULL OR coalesce(r.sensitivity, 'unknown') IN $what.sensitivities)
  AND ($what.nameContains IS NULL OR toLower(r.name) CONTAINS $what.nameContains)
  AND ($what.kinds IS NULL OR any(label IN labels(r) WHERE label IN $what.kinds))
  AND ($what.scopes IS NULL OR r.scope IN $what.scopes)
WITH s, r, length(p) - 1 AS hops, a.levels AS levels, [rel IN relationships(p) | type(rel)][..-1] AS via,
     any(rel IN relationships(p) WHERE rel.conditional) AS conditionalRoute
WITH s, r, hops, collect(levels) AS levelSets, collect(via) AS vias, collect(conditionalRoute) AS conditionalRoutes
ORDER BY s.id, r.id
LIMIT $limit
RETURN {props: properties(s), labels: labels(s), elementId: elementId(s)} AS fromNode,
       {props: properties(r), labels: labels(r), elementId: elementId(r)} AS toNode, hops,
       reduce(granted = [], set IN levelSets | granted + [level IN set WHERE NOT level IN granted]) AS levels,
       head(vias) AS viaTypes, all(c IN conditionalRoutes WHERE c) AS conditional`;

/** The plain Cypher baseline for the first page. */
async function onDemandFirstPage(bench: BenchGraph) {
  const timeoutMs = options.baselineTimeoutS * 1000;
  const started = now();
  try {
    const rows = await bench.executor.read(
      PLAIN_CYPHER_PAGE,
      {
        who,
        what,
        fromId: null,
        toId: null,
        via: HOP_TYPES,
        levels: null,
        maxHops: PATHS_MAX_HOPS,
        afterFrom: null,
        afterTo: null,
        limit: options.page + 1,
      },
      { timeoutMs, action: 'benchmark baseline: first page without the summary' },
    );
    return { ms: now() - started, rows: rows.length, timedOut: false };
  } catch (error) {
    // A timeout is the expected outcome on a large estate; any other failure is reported as such.
    const message = (error as Error).message;
    const timedOut = /time ?out|timed ?out|terminated/i.test(message);
    return { ms: now() - started, rows: 0, timedOut, ...(timedOut ? {} : { error: message }) };
  }
}

/** Bounded SHORTEST 1 from a sample of non-human identities to production data, scaled to all. */
async function shortestFromSample(bench: BenchGraph) {
  const principals = await bench.executor.read<{ id: string }>(
    'MATCH (s:Principal {nonHuman: true}) RETURN s.id AS id ORDER BY id',
  );
  const step = Math.max(1, Math.floor(principals.length / options.sample));
  const ids = principals
    .filter((_, i) => i % step === 0)
    .slice(0, options.sample)
    .map((p) => p.id);
  const started = now();
  const [row] = await bench.executor.read<{ pairs: number }>(
    `UNWIND $ids AS sid
     MATCH (s:Principal {id: sid})
     CALL (s) {
       MATCH p = SHORTEST 1 (s) (()-[:${HOP_TYPES.join('|')}]->()){0,${PATHS_MAX_HOPS}} (:Principal)-[:CAN_ACCESS]->(r:Resource)
       WHERE r.environment = 'production' AND r.sensitivity = 'high'
       RETURN r
     }
     RETURN count(*) AS pairs`,
    { ids },
  );
  const ms = now() - started;
  return {
    sample: ids.length,
    principals: principals.length,
    pairs: row?.pairs ?? 0,
    ms,
    scaledMs: (ms * principals.length) / Math.max(1, ids.length),
  };
}

// ── Run ───────────────────────────────────────────────────────────────────────────────────────
let cleanupHook: () => Promise<void> = async () => {};

async function measure() {
  const bench = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'] ?? false,
  });
  let api: RunningApi | undefined;
  cleanupHook = async () => {
    await api?.close();
    await bench.close();
  };
  await ensureSchema(bench.executor);
  log(`Generating ${options.identities} identities and ${options.edges} edges (seed ${options.seed})…`);
  const t = now();
  const estate = syntheticEstate(options.identities, options.edges, options.seed);
  await generateEstate(bench.executor, estate);
  const generateMs = now() - t;
  log(`  generated in ${seconds(generateMs).toFixed(1)} s (${estate.accounts} accounts)`);

  log('Computing the reachability summary…');
  const neo4jCpu = bench.server ? cpuSeconds(bench.server.pid) : undefined;
  const nodeCpu = process.cpuUsage();
  const summary: ReachabilityStats = await computeReachability(bench.executor, {});
  const used = process.cpuUsage(nodeCpu);
  const summaryCpu = {
    nodeS: (used.user + used.system) / 1e6,
    neo4jS:
      bench.server && neo4jCpu !== undefined
        ? (cpuSeconds(bench.server.pid) ?? neo4jCpu) - neo4jCpu
        : undefined,
  };
  log(`  ${summary.rows} rows in ${seconds(summary.durationMs).toFixed(1)} s`);

  const token = newToken();
  const config = ApiConfigSchema.parse({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'bench', sha256: hashToken(token) }],
  });
  api = await startApiServer({ executor: bench.executor, config });
  log(`API on ${api.url}`);

  const resources = sampleIds(estate, 'AwsS3Bucket', options.resources);
  const identities = sampleIds(estate, 'AwsRole', options.resources);
  const first = options.page;
  // Warm-up: plans compiled, pages of the summary in the page cache.
  for (let i = 0; i < 5; i++) {
    await ask(api, token, PATHS, { first });
    await ask(api, token, WHO_CAN_REACH, { id: resources[i % resources.length], first });
    await ask(api, token, REACHABLE_FROM, { id: identities[i % identities.length], first });
  }

  log(`Sequential requests (${options.requests} each)…`);
  const paths = await sequential(
    options.requests,
    () => ({ query: PATHS, variables: { first } }),
    api,
    token,
  );
  const pages = await sequential(
    options.requests,
    (_, previous) => ({
      query: PATHS,
      variables: { first, after: previous?.hasNextPage ? previous.endCursor : null },
    }),
    api,
    token,
  );
  const whoCanReach = await sequential(
    options.requests,
    (i) => ({ query: WHO_CAN_REACH, variables: { id: resources[i % resources.length], first } }),
    api,
    token,
  );
  const reachableFrom = await sequential(
    options.requests,
    (i) => ({ query: REACHABLE_FROM, variables: { id: identities[i % identities.length], first } }),
    api,
    token,
  );
  log(`Concurrent load: ${options.clients} clients, ${options.durationS} s, at most ${options.maxRequests}…`);
  const load = await underLoad(api, token, PATHS, { first });
  await api.close();
  api = undefined;

  log(`Baseline: the first page without the summary (timeout ${options.baselineTimeoutS} s)…`);
  const onDemand = await onDemandFirstPage(bench);
  log(`Baseline: SHORTEST 1 from ${options.sample} non-human identities…`);
  const shortest = await shortestFromSample(bench);
  const rss = {
    nodeKb: await peakRssKb(process.pid),
    neo4jKb: bench.server ? await peakRssKb(bench.server.pid) : undefined,
  };
  await cleanupHook();
  cleanupHook = async () => {};
  return {
    options,
    machine: { cpus: availableParallelism() },
    generateMs,
    summary,
    summaryCpu,
    sequential: { paths, pages, whoCanReach, reachableFrom },
    load,
    baseline: { onDemand, shortest },
    rss,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

function goals(result: Result) {
  return {
    pathsP95: result.sequential.paths.latency.p95 < GOAL_P95_MS,
    whoCanReachP95: result.sequential.whoCanReach.latency.p95 < GOAL_P95_MS,
    summary: result.summary.durationMs < GOAL_SUMMARY_SECONDS * 1000,
  };
}

function report(result: Result): string {
  const { summary: s, sequential: q, load, baseline } = result;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const line = (label: string, r: Sequential) =>
    `| ${label} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${r.latency.count} | ${r.rows.min}–${r.rows.max} |`;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const g = goals(result);
  const onDemand =
    'error' in baseline.onDemand
      ? `failed: ${baseline.onDemand.error}`
      : baseline.onDemand.timedOut
        ? `over ${options.baselineTimeoutS} s (timed out)`
        : `${seconds(baseline.onDemand.ms).toFixed(1)} s for ${baseline.onDemand.rows} rows`;
  const fastest = q.paths.latency.p50;
  return [
    `API benchmark: ${s.principals} identities, ${s.resources} resources, ${s.hopEdges} hop edges, ${s.accessEdges} CAN_ACCESS edges; ${result.machine.cpus} CPUs`,
    `Summary: ${s.rows} rows in ${seconds(s.durationMs).toFixed(1)} s (read ${seconds(s.timings.readMs).toFixed(1)} s, search + write ${seconds(s.timings.searchAndWriteMs).toFixed(1)} s; CPU: Node ${result.summaryCpu.nodeS.toFixed(1)} s, Neo4j ${result.summaryCpu.neo4jS?.toFixed(1) ?? 'n/a'} s)`,
    '',
    `| request (HTTP on loopback, page of ${options.page}) | p50 | p95 | p99 | max | requests | rows |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    line('paths: bots → production data (high), first page', q.paths),
    line('paths: the same, following pages by cursor', q.pages),
    line(`whoCanReach, first page (${options.resources} buckets)`, q.whoCanReach),
    line(`reachableFrom, first page (${options.resources} roles)`, q.reachableFrom),
    '',
    `Under load (${load.clients} concurrent clients, same query): ${load.perSecond.toFixed(0)} requests/s over ${seconds(load.elapsedMs).toFixed(1)} s, ${load.requests} answered, ${load.errors} errors${load.firstError ? ` (${load.firstError})` : ''}; p50 ${ms(load.latency.p50)}, p95 ${ms(load.latency.p95)}`,
    '',
    `Baseline, the same question as plain Cypher without the summary (maxHops ${PATHS_MAX_HOPS}):`,
    `  first page (plain Cypher, ALL SHORTEST): ${onDemand} — ${baseline.onDemand.timedOut ? 'over' : ''} ${(baseline.onDemand.ms / fastest).toFixed(0)}x the summary's p50`,
    `  SHORTEST 1 from ${baseline.shortest.sample} of ${baseline.shortest.principals} non-human identities: ${seconds(baseline.shortest.ms).toFixed(1)} s (${baseline.shortest.pairs} pairs); scaled to all: ${seconds(baseline.shortest.scaledMs).toFixed(0)} s`,
    '',
    `Goal: paths first page p95 < ${GOAL_P95_MS} ms: ${met(g.pathsP95)}; whoCanReach first page p95 < ${GOAL_P95_MS} ms: ${met(g.whoCanReachP95)}; summary < ${GOAL_SUMMARY_SECONDS} s: ${met(g.summary)}`,
    `Peak RSS: Node ${fmtMb(result.rss.nodeKb)}, Neo4j ${fmtMb(result.rss.neo4jKb)}`,
  ].join('\n');
}

const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

await runBench(
  async () => {
    const result = await measure();
    const table = report(result);
    if (args.json) {
      log(table);
      process.stdout.write(`${JSON.stringify({ ...result, goals: goals(result) }, null, 2)}\n`);
    } else process.stdout.write(`${table}\n`);
    if (!Object.values(goals(result)).every(Boolean)) process.exitCode = 2;
  },
  () => cleanupHook(),
);
