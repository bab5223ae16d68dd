// Explorer benchmark: the data each page of the explorer (`/ui`) asks for, as GraphQL over real HTTP
// on loopback, on the API benchmark's synthetic estate (default 100,000 identities and 1,000,000 hop
// and CAN_ACCESS edges, bench/synthetic-reach.ts, with its reachability summary), with owners and
// tags on the identities and resources, and two recorded reports of synthetic findings (the second
// adding and removing some). Per page, p50/p95/p99 of sequential requests over a sample of ids and
// search texts. The baselines, measured in the same run: the cheapest request the server answers
// (`{ __typename }`: HTTP, auth and GraphQL without Neo4j) and one `node(id:)` lookup, to which every
// page's p50 is given as a ratio; and the name-substring scan (`identities`/`resources` with
// `nameContains`, and the exact id) the search page sent before the full-text `search`, with the
// same texts, to which `search` is given as a ratio.
//
//   npx tsx bench/explorer.ts [--identities 100000] [--edges 1000000] [--requests 200]
//                             [--findings 20000] [--seed 7] [--json] [--wipe-existing]
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_REQUESTS,
// BENCH_FINDINGS, BENCH_SEED. With NEO4J_URI that server is used and wiped (it must be empty, or
// --wipe-existing must say its data may go); otherwise a local Neo4j is started on a temporary store
// and removed. Exit code 2 when a page misses the goal (p95 under 200 ms); the baselines have none.
import { availableParallelism } from 'node:os';
import type { GraphExecutor } from '../src/graph/executor.js';
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
  ESTATE_FLAGS,
  estateOptions,
  peakRss,
  type RequestFigures,
  runServedBench,
  serveEstate,
  timeRequests,
} from './api-server.js';
import { benchArgs, cpuFigures, log, mb, now, positive, seconds, timed } from './lib.js';
import { type SyntheticEstate, sampleIds } from './synthetic-reach.js';

const GOAL_P95_MS = 200;
const TEAMS = 40;

const args = await benchArgs(import.meta.url, { ...ESTATE_FLAGS, findings: { type: 'string' } });
const options = {
  ...estateOptions(args),
  findings: positive('findings', args.findings, 'BENCH_FINDINGS', 20_000),
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
  /**
   * What the search page sent before it asked `search`: names by substring (the API's `nameContains`
   * filter, a scan) and the exact id; the baseline `search` is compared with.
   */
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
async function measure() {
  const served = await serveEstate(
    { ...options, wipeExisting: args['wipe-existing'] ?? false },
    async (graph, estate) => {
      await ownersAndTags(graph.executor, estate);
      log('  owners and tags set');
    },
  );
  const { graph, estate, summary } = served;

  log(`Recording two reports of ${options.findings} findings…`);
  const t = now();
  const first = syntheticFindings(estate, options.findings, 0);
  const reportA = report('bench-report-a', '2026-12-01T06:00:00.000Z', first, null);
  await recordReport(graph.executor, reportA);
  // The second keeps 90 %, drops 10 % and adds 5 % new.
  const kept = first.filter((_, i) => i % 10 !== 0);
  const added = syntheticFindings(estate, Math.round(options.findings / 20), options.findings);
  const reportB = report('bench-report-b', '2026-12-02T06:00:00.000Z', [...kept, ...added], reportA);
  await recordReport(graph.executor, reportB);
  const recordMs = now() - t;
  log(`  recorded in ${seconds(recordMs).toFixed(1)} s`);

  const { ask, close } = await served.startApi();
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
    const rows = await graph.executor.read<{ to: string }>(
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
  type Request = { query: string; vary: (i: number) => Record<string, unknown> };
  const baselines: Record<'trivial' | 'node' | 'substringScan', Request> = {
    trivial: { query: QUERIES.trivial, vary: () => ({}) },
    node: { query: QUERIES.node, vary: (i) => ({ id: identities[i % identities.length] }) },
    substringScan: {
      query: QUERIES.searchByName,
      vary: (i) => ({ text: texts[i % texts.length], id: texts[i % texts.length] }),
    },
  };
  const pages: Record<string, Request> = {
    search: { query: QUERIES.search, vary: (i) => ({ text: texts[i % texts.length] }) },
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
  for (let i = 0; i < 5; i++)
    for (const request of [...Object.values(baselines), ...Object.values(pages)])
      await ask(request.query, request.vary(i));

  log(`Sequential requests (${options.requests} per page)…`);
  const pid = graph.server?.pid;
  const time = ({ query, vary }: Request) => timeRequests(options.requests, (i) => ask(query, vary(i)), pid);
  const [{ baseline, results }, cpu] = await timed(async () => {
    const baseline = {
      trivial: await time(baselines.trivial),
      node: await time(baselines.node),
      substringScan: await time(baselines.substringScan),
    };
    const results: Record<string, RequestFigures> = {};
    for (const [name, page] of Object.entries(pages)) {
      const figures = await time(page);
      results[name] = figures;
      log(`  ${name}: p95 ${figures.p95.toFixed(1)} ms`);
    }
    return { baseline, results };
  }, pid);
  await close();
  const rss = await peakRss(graph);
  const targets = Object.entries(results).map(([name, l]) => ({
    name: `${name}: p95`,
    value: l.p95,
    goal: GOAL_P95_MS,
    unit: 'ms',
    pass: l.p95 < GOAL_P95_MS,
  }));
  return {
    options,
    machine: { cpus: availableParallelism() },
    generateMs: served.generateMs,
    recordMs,
    summary,
    findings: { reportA: reportA.findings.length, reportB: reportB.findings.length },
    baseline,
    pages: results,
    /** The full-text `search` against its baseline, the name-substring scan: p50 and CPU, search ÷ scan. */
    searchVsScan: {
      p50: (results.search as RequestFigures).p50 / baseline.substringScan.p50,
      cpu: cpuPerRequest(results.search as RequestFigures) / cpuPerRequest(baseline.substringScan),
    },
    cpu,
    rss,
    targets,
  };
}

type Result = Awaited<ReturnType<typeof measure>>;

const cpuPerRequest = (l: RequestFigures) => l.nodeCpuMs + (l.neo4jCpuMs ?? 0);

function table(result: Result): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const base = result.baseline.node.p50;
  const cpu = (l: RequestFigures) =>
    `${ms(cpuPerRequest(l))} (${ms(l.nodeCpuMs)} + ${l.neo4jCpuMs === undefined ? 'n/a' : ms(l.neo4jCpuMs)})`;
  const line = (label: string, l: RequestFigures) =>
    `| ${label} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${(l.p50 / base).toFixed(1)}x | ${cpu(l)} |`;
  const s = result.summary;
  const missed = result.targets.filter((t) => !t.pass).map((t) => t.name);
  return [
    `Explorer benchmark: ${s.principals} identities, ${s.resources} resources, ${s.hopEdges} hop edges, ${s.accessEdges} CAN_ACCESS edges, ${s.rows} summary rows; reports of ${result.findings.reportA} and ${result.findings.reportB} findings; ${result.machine.cpus} CPUs`,
    '',
    `| page data (HTTP on loopback, ${result.options.requests} sequential requests each) | p50 | p95 | p99 | max | p50 / node p50 | CPU per request (Node + Neo4j) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    line('baseline: `{ __typename }` (no Neo4j)', result.baseline.trivial),
    line('baseline: `node(id:)`, one lookup', result.baseline.node),
    line('baseline: name substring scan and exact id', result.baseline.substringScan),
    ...Object.entries(result.pages).map(([name, l]) => line(name, l)),
    '',
    `search ÷ its baseline, the name-substring scan over the same texts: p50 ${result.searchVsScan.p50.toFixed(2)}x, CPU per request ${result.searchVsScan.cpu.toFixed(2)}x (under 1: the full-text index is the faster)`,
    `CPU during the requests: Node + Neo4j ${cpuFigures(result.cpu)} s; peak RSS: Node ${mb(result.rss.nodeKb)}, Neo4j ${mb(result.rss.neo4jKb)}`,
    `Goal: every page's p95 < ${GOAL_P95_MS} ms: ${missed.length === 0 ? 'met' : `NOT met (${missed.join(', ')})`}`,
  ].join('\n');
}

await runServedBench(measure, table, args.json ?? false);
