// Explorer benchmark: the data each page of the explorer (`/ui`) asks for, as GraphQL over real HTTP
// on loopback, on the API benchmark's synthetic estate (default 100,000 identities and 1,000,000 hop
// and CAN_ACCESS edges, bench/synthetic-reach.ts, with its reachability summary), with owners and
// tags on the identities and resources, and two recorded reports of synthetic findings (the second
// adding and removing some). Per page, p50/p95/p99 of sequential requests over a sample of ids and
// search texts; the baseline, measured in the same run, is the cheapest request the server answers
// (`{ __typename }`: HTTP, auth and GraphQL without Neo4j) and one `node(id:)` lookup; every page is
// also given as a ratio to the node lookup.
//
//   npx tsx bench/explorer.ts [--identities 100000] [--edges 1000000] [--requests 200]
//                             [--findings 20000] [--seed 7] [--json] [--wipe-existing]
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_REQUESTS,
// BENCH_FINDINGS, BENCH_SEED. With NEO4J_URI that server is used and wiped (it must be empty, or
// --wipe-existing must say its data may go); otherwise a local Neo4j is started on a temporary store
// and removed. Exit code 2 when a page misses the goal (p95 under 200 ms).
import { availableParallelism } from 'node:os';
import { hashToken, newToken } from '../src/api/auth.js';
import { type RunningApi, startApiServer } from '../src/api/server.js';
import { ApiConfigSchema } from '../src/config/api.js';
import type { GraphExecutor } from '../src/graph/executor.js';
import { ensureSchema } from '../src/graph/schema.js';
import { computeReachability } from '../src/reachability/compute.js';
import { recordReport } from '../src/records/report-runs.js';
import { diffFindings } from '../src/reports/diff.js';
import { summarize } from '../src/reports/summary.js';
import {
  type Finding,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleDeclaration,
} from '../src/reports/types.js';
import {
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
import { generateEstate, type SyntheticEstate, sampleIds, syntheticEstate } from './synthetic-reach.js';

const GOAL_P95_MS = 200;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const TEAMS = 40;

const args = await benchArgs(import.meta.url, {
  identities: { type: 'string' },
  edges: { type: 'string' },
  requests: { type: 'string' },
  findings: { type: 'string' },
});
const options = {
  identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 100_000),
  edges: positive('edges', args.edges, 'BENCH_EDGES', 1_000_000),
  requests: positive('requests', args.requests, 'BENCH_REQUESTS', 200),
  findings: positive('findings', args.findings, 'BENCH_FINDINGS', 20_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 7),
};

// ── The pages' queries, as the explorer sends them ────────────────────────────────────────────
const NODE = 'id name kind provider scope account tags';
const IDENTITY_FIELDS = `${NODE} ... on Identity { nonHuman nhiType environment owner
  ownership { owner source confidence conflict } credentials { kind name status ageDays lastUsedAt } }`;
const RESOURCE_FIELDS = `${NODE} ... on Resource { environment sensitivity }`;
const PATH_ROW = 'length levels conditional via';
const FINDING_ROW = `fingerprint severity status title message owner firstSeen
  rule { id title } subject { id kind name } target { id kind name }`;
const COUNTS = 'key count';

const QUERIES = {
  trivial: '{ __typename }',
  node: `query Node($id: ID!) { node(id: $id) { ${IDENTITY_FIELDS} } }`,
  search: `query Search($text: String!) {
    search(text: $text, first: 20) {
      edges { node { score node { __typename ${NODE} ... on Identity { nonHuman owner } ... on Resource { environment } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  /** The search page's own requests (ui/pages/search-page.ts): names by substring, and the exact id. */
  searchByName: `query SearchByName($text: String!, $id: ID!) {
    identities(filter: {nameContains: $text}, first: 25) {
      edges { node { id name kind provider environment nhiType nonHuman owner scope } } pageInfo { hasNextPage endCursor }
    }
    resources(filter: {nameContains: $text}, first: 25) {
      edges { node { id name kind provider environment sensitivity scope } } pageInfo { hasNextPage endCursor }
    }
    node(id: $id) { __typename id name kind }
  }`,
  identity: `query IdentityPage($id: ID!) {
    node(id: $id) { __typename ${IDENTITY_FIELDS} }
    reachableFromSummary(identity: $id) {
      total byEnvironment { ${COUNTS} } bySensitivity { ${COUNTS} } byProvider { ${COUNTS} }
      byKind { ${COUNTS} } byLevel { ${COUNTS} } byHops { ${COUNTS} }
    }
    reachableFrom(identity: $id, first: 50) {
      edges { node { to { ${RESOURCE_FIELDS} } ${PATH_ROW} } } pageInfo { hasNextPage endCursor }
    }
    findings(filter: {subject: $id, status: [OPEN]}, first: 20) { edges { node { ${FINDING_ROW} } } }
  }`,
  drillDown: `query BlastRadiusDrillDown($id: ID!) {
    reachableFrom(identity: $id, to: {environment: [PRODUCTION]}, levels: [WRITE], first: 50) {
      edges { node { to { ${RESOURCE_FIELDS} } ${PATH_ROW} } } pageInfo { hasNextPage endCursor }
    }
  }`,
  resource: `query ResourcePage($id: ID!) {
    node(id: $id) { __typename ${RESOURCE_FIELDS} }
    whoCanReachSummary(resource: $id) {
      total nonHuman human byNhiType { ${COUNTS} } byLevel { ${COUNTS} } byHops { ${COUNTS} }
      byProvider { ${COUNTS} } byKind { ${COUNTS} }
    }
    nonHuman: whoCanReach(resource: $id, from: {nonHuman: true}, first: 50) {
      edges { node { from { ${NODE} ... on Identity { nonHuman nhiType owner } } ${PATH_ROW} } }
      pageInfo { hasNextPage endCursor }
    }
    human: whoCanReach(resource: $id, from: {nonHuman: false}, first: 50) {
      edges { node { from { ${NODE} ... on Identity { nonHuman nhiType owner } } ${PATH_ROW} } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  path: `query PathPage($from: ID!, $to: ID!) {
    reachableFrom(identity: $from, to: {id: [$to]}, first: 1) {
      edges { node {
        from { ${NODE} } to { ${RESOURCE_FIELDS} } ${PATH_ROW}
        hops {
          from { id name kind } to { id name kind }
          edge { id type reason conditional conditions levels technique
            evidence { source ref statement reason conditions }
            kind { meaning attack { id name url } help { general abuse remediation references { title url } } } }
        }
      } }
    }
  }`,
  findings: `query FindingsPage($severity: [Severity!], $ruleId: [String!], $owner: String, $newSince: ID) {
    findings(filter: {status: [OPEN], severity: $severity, ruleId: $ruleId, owner: $owner, newSince: $newSince}, first: 50) {
      edges { node { ${FINDING_ROW} conditional } } pageInfo { hasNextPage endCursor }
    }
    reportRuns(last: 10) { id generatedAt total newCount resolvedCount }
  }`,
  changes: `query ChangesPage {
    reportChanges {
      report { id generatedAt total newCount resolvedCount bySeverity { severity count } }
      previous { id generatedAt }
      added(first: 50) { edges { node { ${FINDING_ROW} } } pageInfo { hasNextPage endCursor } }
      removed(first: 50) { edges { node { ${FINDING_ROW} } } pageInfo { hasNextPage endCursor } }
    }
  }`,
};

/** One GraphQL request over HTTP; throws on an error or an answer without data. */
async function ask(api: RunningApi, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || !body.data)
    throw new Error(`HTTP ${response.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  return body.data;
}

interface PageFigures extends LatencyStats {
  /** CPU per request (ms): this process (client and API server) and the Neo4j JVM, when local. */
  nodeCpuMs: number;
  neo4jCpuMs: number | undefined;
}

/**
 * `count` requests one after the other, each with the variables `vary(i)` gives: latency, and the
 * CPU they cost, which a machine shared with other work inflates far less than wall time.
 */
async function sequential(
  api: RunningApi,
  token: string,
  query: string,
  count: number,
  vary: (i: number) => Record<string, unknown>,
  neo4jPid: number | undefined,
): Promise<PageFigures> {
  const durations: number[] = [];
  const jvmBefore = neo4jPid === undefined ? undefined : cpuSeconds(neo4jPid);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const started = now();
    await ask(api, token, query, vary(i));
    durations.push(now() - started);
  }
  const used = process.cpuUsage(before);
  const jvmAfter = neo4jPid === undefined ? undefined : cpuSeconds(neo4jPid);
  return {
    ...latencyStats(durations),
    nodeCpuMs: (used.user + used.system) / 1000 / count,
    neo4jCpuMs:
      jvmBefore === undefined || jvmAfter === undefined ? undefined : ((jvmAfter - jvmBefore) * 1000) / count,
  };
}

// ── Owners, tags and findings on the synthetic estate ────────────────────────────────────────
/** Every identity and resource gets an owner team and tags, as owner resolution and collectors would write them. */
async function ownersAndTags(executor: GraphExecutor, estate: SyntheticEstate) {
  for (const kind of estate.nodes) {
    for (let i = 0; i < kind.ids.length; i += 20_000) {
      const rows = kind.ids.slice(i, i + 20_000).map((id, j) => {
        const h = i + j;
        const team = `team-${h % TEAMS}`;
        const props = kind.props[h] as Record<string, unknown>;
        const owned = props.nonHuman === true || kind.extra.includes('Resource');
        return {
          id,
          owner: owned ? team : null,
          tags: [`team=${team}`, `env=${String(props.environment ?? 'unknown')}`, `cost-center=cc${h % 7}`],
        };
      });
      await executor.write(
        `UNWIND $rows AS row MATCH (n:${kind.label} {id: row.id}) SET n.owner = row.owner, n.tags = row.tags`,
        { rows },
      );
    }
  }
}

const REACH_RULE: RuleDeclaration = {
  id: 'nhi-reaches-production-data',
  title: 'Non-human identity can reach production data',
  category: 'reach',
  severity: 'high',
  description: 'A non-human identity can act on production data.',
  recommendation: 'Narrow the route.',
  compliance: { soc2: ['CC6.1'] },
  query: 'nhi-reaches-production',
  parameters: {},
  references: [],
};
const UNOWNED_RULE: RuleDeclaration = {
  ...REACH_RULE,
  id: 'nhi-without-owner',
  title: 'Non-human identity without an owner',
  category: 'hygiene',
  severity: 'medium',
};

/** Findings about sampled identities and buckets: a reach finding with a two-hop path, or an ownership one. */
function syntheticFindings(estate: SyntheticEstate, count: number, salt: number): Finding[] {
  const roles = estate.nodes.find((n) => n.label === 'AwsRole')?.ids ?? [];
  const buckets = estate.nodes.find((n) => n.label === 'AwsS3Bucket')?.ids ?? [];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const k = i + salt;
    const role = roles[(k * 7919) % roles.length] as string;
    const bucket = buckets[(k * 104729) % buckets.length] as string;
    const subject = { id: role, kind: 'AwsRole', name: role.split('/').at(-1) as string, scope: null };
    const target = {
      id: bucket,
      kind: 'AwsS3Bucket',
      name: bucket.slice('arn:aws:s3:::'.length),
      scope: null,
    };
    const reach = k % 4 !== 0;
    const rule = reach ? REACH_RULE : UNOWNED_RULE;
    findings.push({
      fingerprint: `${rule.id}:${role}:${reach ? bucket : ''}:${k}`,
      ruleId: rule.id,
      title: rule.title,
      category: rule.category,
      severity: (['critical', 'high', 'medium', 'low'] as const)[k % 4] ?? 'high',
      subject,
      target: reach ? target : null,
      message: `${subject.name}: ${rule.title}`,
      path: reach
        ? [
            {
              from: subject,
              to: target,
              type: 'CAN_ACCESS',
              technique: null,
              levels: ['read', 'write'],
              reason: 'identity policy grants s3:PutObject',
              evidence: [{ source: 'identity-policy', ref: `${role}-policy`, reason: 'PutObject' }],
              conditional: false,
            },
          ]
        : [],
      conditional: false,
      facts: {},
      owner: `team-${k % TEAMS}`,
    });
  }
  return findings;
}

function report(id: string, generatedAt: string, findings: Finding[], previous: Report | null): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id,
    generatedAt,
    job: 'nightly',
    graphRun: null,
    rules: [REACH_RULE, UNOWNED_RULE],
    summary: summarize(findings, []),
    diff: diffFindings(
      previous?.findings ?? null,
      findings,
      previous ? { id: previous.id, generatedAt: previous.generatedAt } : null,
      generatedAt,
    ),
    findings,
    suppressed: [],
    expiredSuppressions: [],
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
  let t = now();
  const estate = syntheticEstate(options.identities, options.edges, options.seed);
  await generateEstate(bench.executor, estate);
  await ownersAndTags(bench.executor, estate);
  const generateMs = now() - t;
  log(`  generated, owners and tags set, in ${seconds(generateMs).toFixed(1)} s`);

  log('Computing the reachability summary…');
  const summary = await computeReachability(bench.executor, {});
  log(`  ${summary.rows} rows in ${seconds(summary.durationMs).toFixed(1)} s`);

  log(`Recording two reports of ${options.findings} findings…`);
  t = now();
  const first = syntheticFindings(estate, options.findings, 0);
  const reportA = report('bench-report-a', '2026-12-01T06:00:00.000Z', first, null);
  await recordReport(bench.executor, reportA);
  // The second keeps 90 %, drops 10 % and adds 5 % new.
  const kept = first.filter((_, i) => i % 10 !== 0);
  const added = syntheticFindings(estate, Math.round(options.findings / 20), options.findings);
  const reportB = report('bench-report-b', '2026-12-02T06:00:00.000Z', [...kept, ...added], reportA);
  await recordReport(bench.executor, reportB);
  const recordMs = now() - t;
  log(`  recorded in ${seconds(recordMs).toFixed(1)} s`);

  const token = newToken();
  const config = ApiConfigSchema.parse({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'bench', sha256: hashToken(token) }],
  });
  api = await startApiServer({ executor: bench.executor, config });
  log(`API on ${api.url}`);

  const sample = Math.max(1, Math.min(50, options.requests));
  const roles = sampleIds(estate, 'AwsRole', sample);
  const buckets = sampleIds(estate, 'AwsS3Bucket', sample);
  const functions = sampleIds(estate, 'AwsLambdaFunction', sample);
  // Search as people type it: a name, a name's start, a whole ARN, an owner, a tag, a bucket's words.
  const texts = roles.flatMap((role, i) => {
    const name = role.split('/').at(-1) as string;
    const bucket = buckets[i % buckets.length] as string;
    return [
      name,
      name.slice(0, 2),
      role,
      `team-${i % TEAMS}`,
      `cost-center=cc${i % 7}`,
      bucket.slice(13, 27),
    ];
  });
  // Rows for the path page: a resource each sampled role reaches.
  const pairs: { from: string; to: string }[] = [];
  for (const role of roles) {
    const rows = await bench.executor.read<{ to: string }>(
      'MATCH (:AwsRole {id: $id})-[:REACHES]->(r:Resource) RETURN r.id AS to ORDER BY to LIMIT 1',
      { id: role },
    );
    if (rows[0]) pairs.push({ from: role, to: rows[0].to });
  }
  const identities = [...roles, ...functions];
  const filters = [
    { severity: ['CRITICAL', 'HIGH'] },
    { ruleId: ['nhi-without-owner'] },
    { owner: 'team-3' },
    { newSince: reportA.id },
    {},
  ];
  const pages: Record<string, { query: string; vary: (i: number) => Record<string, unknown> }> = {
    search: { query: QUERIES.search, vary: (i) => ({ text: texts[i % texts.length] }) },
    'search: by name substring and exact id': {
      query: QUERIES.searchByName,
      vary: (i) => ({ text: texts[i % texts.length], id: texts[i % texts.length] }),
    },
    identity: { query: QUERIES.identity, vary: (i) => ({ id: identities[i % identities.length] }) },
    'identity: drill-down (production, write)': {
      query: QUERIES.drillDown,
      vary: (i) => ({ id: identities[i % identities.length] }),
    },
    resource: { query: QUERIES.resource, vary: (i) => ({ id: buckets[i % buckets.length] }) },
    path: { query: QUERIES.path, vary: (i) => pairs[i % pairs.length] as Record<string, unknown> },
    findings: {
      query: QUERIES.findings,
      vary: (i) => filters[i % filters.length] as Record<string, unknown>,
    },
    changes: { query: QUERIES.changes, vary: () => ({}) },
  };

  // Warm-up: plans compiled, pages of the summary and the index in the page cache.
  for (let i = 0; i < 5; i++) {
    await ask(api, token, QUERIES.trivial, {});
    await ask(api, token, QUERIES.node, { id: identities[i] });
    for (const page of Object.values(pages)) await ask(api, token, page.query, page.vary(i));
  }

  log(`Sequential requests (${options.requests} per page)…`);
  const pid = bench.server?.pid;
  const neo4jCpu = bench.server ? cpuSeconds(bench.server.pid) : undefined;
  const nodeCpu = process.cpuUsage();
  const baseline = {
    trivial: await sequential(api, token, QUERIES.trivial, options.requests, () => ({}), pid),
    node: await sequential(
      api,
      token,
      QUERIES.node,
      options.requests,
      (i) => ({ id: identities[i % identities.length] }),
      pid,
    ),
  };
  const results: Record<string, PageFigures> = {};
  for (const [name, page] of Object.entries(pages)) {
    results[name] = await sequential(api, token, page.query, options.requests, page.vary, pid);
    log(`  ${name}: p95 ${results[name].p95.toFixed(1)} ms`);
  }
  const used = process.cpuUsage(nodeCpu);
  const cpu = {
    nodeS: (used.user + used.system) / 1e6,
    neo4jS:
      bench.server && neo4jCpu !== undefined
        ? (cpuSeconds(bench.server.pid) ?? neo4jCpu) - neo4jCpu
        : undefined,
  };
  await api.close();
  api = undefined;
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
    recordMs,
    summary,
    findings: { reportA: reportA.findings.length, reportB: reportB.findings.length },
    baseline,
    pages: results,
    cpu,
    rss,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

const goals = (result: Result) =>
  Object.fromEntries(Object.entries(result.pages).map(([name, l]) => [name, l.p95 < GOAL_P95_MS]));

function table(result: Result): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const base = result.baseline.node.p50;
  const cpu = (l: PageFigures) =>
    `${ms(l.nodeCpuMs + (l.neo4jCpuMs ?? 0))} (${ms(l.nodeCpuMs)} + ${l.neo4jCpuMs === undefined ? 'n/a' : ms(l.neo4jCpuMs)})`;
  const line = (label: string, l: PageFigures) =>
    `| ${label} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${(l.p50 / base).toFixed(1)}x | ${cpu(l)} |`;
  const s = result.summary;
  const met = Object.entries(goals(result))
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  return [
    `Explorer benchmark: ${s.principals} identities, ${s.resources} resources, ${s.hopEdges} hop edges, ${s.accessEdges} CAN_ACCESS edges, ${s.rows} summary rows; reports of ${result.findings.reportA} and ${result.findings.reportB} findings; ${result.machine.cpus} CPUs`,
    '',
    `| page data (HTTP on loopback, ${result.options.requests} sequential requests each) | p50 | p95 | p99 | max | p50 / node p50 | CPU per request (Node + Neo4j) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    line('baseline: `{ __typename }` (no Neo4j)', result.baseline.trivial),
    line('baseline: `node(id:)`, one lookup', result.baseline.node),
    ...Object.entries(result.pages).map(([name, l]) => line(name, l)),
    '',
    `CPU during the requests: Node ${result.cpu.nodeS.toFixed(1)} s, Neo4j ${result.cpu.neo4jS?.toFixed(1) ?? 'n/a'} s; peak RSS: Node ${fmtMb(result.rss.nodeKb)}, Neo4j ${fmtMb(result.rss.neo4jKb)}`,
    `Goal: every page's p95 < ${GOAL_P95_MS} ms: ${met.length === 0 ? 'met' : `NOT met (${met.join(', ')})`}`,
  ].join('\n');
}

const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

await runBench(
  async () => {
    const result = await measure();
    const text = table(result);
    if (args.json) {
      log(text);
      process.stdout.write(`${JSON.stringify({ ...result, goals: goals(result) }, null, 2)}\n`);
    } else process.stdout.write(`${text}\n`);
    if (!Object.values(goals(result)).every(Boolean)) process.exitCode = 2;
  },
  () => cleanupHook(),
);
