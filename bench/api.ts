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
import { HOP_TYPES } from '../src/model/relationship-kinds.js';
import {
  type BenchApi,
  ESTATE_FLAGS,
  estateOptions,
  peakRss,
  type RequestFigures,
  runServedBench,
  serveEstate,
  timeRequests,
} from './api-server.js';
import {
  type BenchGraph,
  benchArgs,
  cpuFigures,
  latencyStats,
  log,
  mb,
  now,
  positive,
  seconds,
} from './lib.js';
import { sampleIds, shortestFromSample } from './synthetic-reach.js';

const GOAL_P95_MS = 100;
const GOAL_SUMMARY_SECONDS = 60;
/** The API's default bound for `paths`; whoCanReach and reachableFrom default to the server's. */
const PATHS_MAX_HOPS = 4;

const args = await benchArgs(import.meta.url, {
  ...ESTATE_FLAGS,
  page: { type: 'string' },
  resources: { type: 'string' },
  clients: { type: 'string' },
  duration: { type: 'string' },
  'max-requests': { type: 'string' },
  sample: { type: 'string' },
  'baseline-timeout': { type: 'string' },
});
const options = {
  ...estateOptions(args),
  page: positive('page', args.page, 'BENCH_PAGE', 50),
  resources: positive('resources', args.resources, 'BENCH_RESOURCES', 50),
  clients: positive('clients', args.clients, 'BENCH_CLIENTS', 16),
  durationS: positive('duration', args.duration, 'BENCH_DURATION', 10),
  maxRequests: positive('max-requests', args['max-requests'], 'BENCH_MAX_REQUESTS', 20_000),
  sample: positive('sample', args.sample, 'BENCH_SAMPLE', 100),
  baselineTimeoutS: positive('baseline-timeout', args['baseline-timeout'], 'BENCH_BASELINE_TIMEOUT', 60),
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

/** One question's answer: its page of the first connection it asks for. */
async function askPage(api: BenchApi, query: string, variables: Record<string, unknown>): Promise<Page> {
  const data = (await api.ask(query, variables)) as Record<
    string,
    { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
  >;
  const connection = Object.values(data)[0];
  if (!connection) throw new Error('answer without data');
  return {
    rows: connection.edges.length,
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

interface Sequential {
  latency: RequestFigures;
  /** Rows per answer, over every request. */
  rows: { min: number; max: number };
}

/** `count` requests one after the other; `next(i, previous)` gives each one's query and variables. */
async function sequential(
  count: number,
  next: (i: number, previous: Page | undefined) => { query: string; variables: Record<string, unknown> },
  api: BenchApi,
  neo4jPid: number | undefined,
): Promise<Sequential> {
  let previous: Page | undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  const latency = await timeRequests(
    count,
    async (i) => {
      const { query, variables } = next(i, previous);
      previous = await askPage(api, query, variables);
      min = Math.min(min, previous.rows);
      max = Math.max(max, previous.rows);
    },
    neo4jPid,
  );
  return { latency, rows: { min, max } };
}

/** `clients` loops asking the same query until the time or the request budget is spent. */
async function underLoad(api: BenchApi, query: string, variables: Record<string, unknown>) {
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
        await askPage(api, query, variables);
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

// ── Run ───────────────────────────────────────────────────────────────────────────────────────
async function measure() {
  const served = await serveEstate({ ...options, wipeExisting: args['wipe-existing'] ?? false });
  const { graph, estate, summary } = served;
  const api = await served.startApi();
  const pid = graph.server?.pid;

  const resources = sampleIds(estate, 'AwsS3Bucket', options.resources);
  const identities = sampleIds(estate, 'AwsRole', options.resources);
  const first = options.page;
  // Warm-up: plans compiled, pages of the summary in the page cache.
  for (let i = 0; i < 5; i++) {
    await askPage(api, PATHS, { first });
    await askPage(api, WHO_CAN_REACH, { id: resources[i % resources.length], first });
    await askPage(api, REACHABLE_FROM, { id: identities[i % identities.length], first });
  }

  log(`Sequential requests (${options.requests} each)…`);
  const paths = await sequential(options.requests, () => ({ query: PATHS, variables: { first } }), api, pid);
  const pages = await sequential(
    options.requests,
    (_, previous) => ({
      query: PATHS,
      variables: { first, after: previous?.hasNextPage ? previous.endCursor : null },
    }),
    api,
    pid,
  );
  const whoCanReach = await sequential(
    options.requests,
    (i) => ({ query: WHO_CAN_REACH, variables: { id: resources[i % resources.length], first } }),
    api,
    pid,
  );
  const reachableFrom = await sequential(
    options.requests,
    (i) => ({ query: REACHABLE_FROM, variables: { id: identities[i % identities.length], first } }),
    api,
    pid,
  );
  log(`Concurrent load: ${options.clients} clients, ${options.durationS} s, at most ${options.maxRequests}…`);
  const load = await underLoad(api, PATHS, { first });
  await api.close();

  log(`Baseline: the first page without the summary (timeout ${options.baselineTimeoutS} s)…`);
  const onDemand = await onDemandFirstPage(graph);
  log(`Baseline: SHORTEST 1 from ${options.sample} non-human identities…`);
  const shortest = await shortestFromSample(graph.executor, {
    sample: options.sample,
    maxHops: PATHS_MAX_HOPS,
    nonHumanOnly: true,
    productionData: true,
  });
  const rss = await peakRss(graph);
  const target = (name: string, value: number, goal: number) => ({
    name,
    value,
    goal,
    unit: 'ms',
    pass: value < goal,
  });
  return {
    options,
    machine: { cpus: availableParallelism() },
    generateMs: served.generateMs,
    summary,
    summaryCpu: served.summaryCpu,
    sequential: { paths, pages, whoCanReach, reachableFrom },
    load,
    baseline: { onDemand, shortest },
    rss,
    targets: [
      target('paths first page p95', paths.latency.p95, GOAL_P95_MS),
      target('whoCanReach first page p95', whoCanReach.latency.p95, GOAL_P95_MS),
      target('summary', summary.durationMs, GOAL_SUMMARY_SECONDS * 1000),
    ],
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(result: Result): string {
  const { summary: s, sequential: q, load, baseline } = result;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const line = (label: string, r: Sequential) =>
    `| ${label} | ${ms(r.latency.p50)} | ${ms(r.latency.p95)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${r.latency.count} | ${r.rows.min}–${r.rows.max} |`;
  const onDemand =
    'error' in baseline.onDemand
      ? `failed: ${baseline.onDemand.error}`
      : baseline.onDemand.timedOut
        ? `over ${options.baselineTimeoutS} s (timed out)`
        : `${seconds(baseline.onDemand.ms).toFixed(1)} s for ${baseline.onDemand.rows} rows`;
  const fastest = q.paths.latency.p50;
  return [
    `API benchmark: ${s.principals} identities, ${s.resources} resources, ${s.hopEdges} hop edges, ${s.accessEdges} CAN_ACCESS edges; ${result.machine.cpus} CPUs`,
    `Summary: ${s.rows} rows in ${seconds(s.durationMs).toFixed(1)} s (read ${seconds(s.timings.readMs).toFixed(1)} s, search + write ${seconds(s.timings.searchAndWriteMs).toFixed(1)} s; CPU: Node + Neo4j ${cpuFigures(result.summaryCpu)} s)`,
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
    `Goal: ${result.targets.map((t) => `${t.name} < ${t.unit === 'ms' && t.goal >= 1000 ? `${seconds(t.goal)} s` : `${t.goal} ms`}: ${t.pass ? 'met' : 'NOT met'}`).join('; ')}`,
    `Peak RSS: Node ${mb(result.rss.nodeKb)}, Neo4j ${mb(result.rss.neo4jKb)}`,
  ].join('\n');
}

await runServedBench(measure, report, args.json ?? false);
