// The API's answers over a synced synthetic Kubernetes cluster (bench/synthetic-kubernetes.ts, default
// 10,000 pods, seed 42): the snapshot collected, analyzed with Grant hubs, validated and published as
// `sync kubernetes` does (src/pipeline/publish.ts: the load, then the reachability summary), then the
// GraphQL API over HTTP on loopback (bench/api-server.ts) asked, in sequence:
//
//   reachableFrom         a deployer account (svc4 of the first namespace enforcing no Pod Security
//                         level), the debugger account (svc5) of that namespace, the deployer's first
//                         pod, the first node
//   whoCanReach           that pod (exec into it), the namespace's app-secret-0 (RBAC roles such as
//                         cluster-admin are no resources; nodes are reached as principals, by hops)
//   reachableFromSummary  the counts of the deployer account; whoCanReachSummary of the secret
//   path(from, to)        the deployer account to the secret, with its hops (the route on demand)
//
// Each question is asked `--requests` times (first page of `--page` rows), p50/p95 reported; each
// answer is also read whole through its cursors once, and its rows (from, to, length, levels, via,
// conditional) are counted and hashed, so that two checkouts' answers can be compared row for row.
//
//   npx tsx bench/kubernetes-answers.ts [--pods 10000] [--seed 42] [--requests 30] [--page 100]
//                                       [--json] [--wipe-existing]
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { collectKubernetes } from '../src/collectors/kubernetes/collect.js';
import { writeKubernetesSnapshot } from '../src/collectors/kubernetes/snapshot.js';
import { ensureSchema } from '../src/graph/schema.js';
import { k8sIds } from '../src/model/kubernetes/ids.js';
import type { LoadNode } from '../src/model/validate.js';
import { validateInventory } from '../src/model/validate.js';
import { publishInventory } from '../src/pipeline/publish.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { type BenchApi, type RequestFigures, startBenchApi, timeRequests } from './api-server.js';
import {
  type BenchGraph,
  benchArgs,
  int,
  log,
  openBenchGraph,
  phase,
  positive,
  runMeasured,
  sec,
} from './lib.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

const args = await benchArgs(import.meta.url, {
  pods: { type: 'string' },
  requests: { type: 'string' },
  page: { type: 'string' },
});
const options = {
  pods: positive('pods', args.pods, 'BENCH_PODS', 10_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
  requests: positive('requests', args.requests, 'BENCH_REQUESTS', 30),
  page: positive('page', args.page, 'BENCH_PAGE', 100),
};

const ROW = 'from { id } to { id } length levels conditional via';
const PAGE = `edges { node { ${ROW} } } pageInfo { hasNextPage endCursor }`;
const REACHABLE_FROM = `query R($id: ID!, $first: Int!, $after: String) {
  reachableFrom(identity: $id, first: $first, after: $after) { ${PAGE} } }`;
const WHO_CAN_REACH = `query W($id: ID!, $first: Int!, $after: String) {
  whoCanReach(resource: $id, first: $first, after: $after) { ${PAGE} } }`;
const COUNTS = 'key count';
const REACHABLE_FROM_SUMMARY = `query RS($id: ID!) { reachableFromSummary(identity: $id) {
  total byEnvironment { ${COUNTS} } bySensitivity { ${COUNTS} } byProvider { ${COUNTS} } byKind { ${COUNTS} }
  byLevel { ${COUNTS} } byHops { ${COUNTS} } } }`;
const WHO_CAN_REACH_SUMMARY = `query WS($id: ID!) { whoCanReachSummary(resource: $id) {
  total nonHuman human byNhiType { ${COUNTS} } byEnvironment { ${COUNTS} } byProvider { ${COUNTS} }
  byKind { ${COUNTS} } byLevel { ${COUNTS} } byHops { ${COUNTS} } } }`;
const PATH = `query P($from: ID!, $to: ID!) { path(from: $from, to: $to) {
  ${ROW} hops { from { id } to { id } } } }`;

interface Question {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** A connection, read whole through its cursors for the rows; otherwise the answer is one row. */
  paged: boolean;
}

let graph: BenchGraph | undefined;
let api: BenchApi | undefined;
let snapshotDir: string | undefined;

await runMeasured(measure, report, args.json ?? false, () => ({ graph, snapshotDir, onGraph: api }));

/** The ids the questions name, from the loaded nodes: the same whatever the summary stores. */
function subjects(nodes: readonly LoadNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const sorted = (kind: string) =>
    nodes
      .filter((n) => n.kind === kind)
      .map((n) => n.id)
      .sort();
  const cluster = sorted('K8sCluster')[0]?.slice('k8s:'.length);
  if (!cluster) throw new Error('no cluster in the inventory');
  // A namespace enforcing no Pod Security level (its deployer creates privileged pods), else the first.
  const teams = nodes
    .filter((n) => n.kind === 'K8sNamespace' && String(n.properties.name).startsWith('team'))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const open = teams.find(
    (n) => !JSON.stringify(n.properties.labels ?? '').includes('pod-security.kubernetes.io/enforce'),
  );
  const namespace = String((open ?? teams[0])?.properties.name ?? '');
  if (!namespace) throw new Error('no application namespace');
  if (!open) log(`No namespace without a Pod Security level: ${namespace}`);
  // The deployer's first pod: it delegates its rows to its account (src/reachability/delegation.ts).
  const pod = nodes
    .filter(
      (n) =>
        n.kind === 'K8sPod' && n.properties.namespace === namespace && n.properties.serviceAccount === 'svc4',
    )
    .map((n) => n.id)
    .sort()[0];
  const node = sorted('K8sNode')[0];
  const chosen = {
    deployer: k8sIds.serviceAccount(cluster, namespace, 'svc4'),
    debugger: k8sIds.serviceAccount(cluster, namespace, 'svc5'),
    pod,
    node,
    secret: k8sIds.secret(cluster, namespace, 'app-secret-0'),
  };
  for (const [role, id] of Object.entries(chosen))
    if (!id || !byId.has(id)) throw new Error(`no ${role} node (${id})`);
  return chosen as Record<keyof typeof chosen, string>;
}

async function measure() {
  log(`Generating a cluster of ${options.pods} pods (seed ${options.seed})…`);
  const { raw } = syntheticKubernetesRaw({ pods: options.pods, seed: options.seed });
  snapshotDir = await mkdtemp(join(tmpdir(), 'reachgraph-bench-k8s-answers-'));
  await writeKubernetesSnapshot(raw, snapshotDir);
  const dir = snapshotDir;
  const environment = await collectKubernetes({ snapshotDir: dir });
  const analysis = analyzeKubernetes(environment, { grantHubs: true });
  const valid = validateInventory(
    buildKubernetesInventory(environment, analysis, { sourceName: 'bench synthetic kubernetes' }),
    'bench synthetic kubernetes',
  );
  await rm(dir, { recursive: true, force: true });
  snapshotDir = undefined;
  const ids = subjects(valid.nodes);

  graph = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'] ?? false,
  });
  const pid = graph.server?.pid;
  const bench = graph;
  await ensureSchema(bench.executor);
  const [published, sync] = await phase(
    'sync: load and reachability summary',
    () => publishInventory(bench.executor, valid, { summary: true, sources: ['bench synthetic kubernetes'] }),
    pid,
  );
  const summary = published.reachability;
  if (!summary) throw new Error('no reachability summary');
  api = await startBenchApi(graph);
  const served = api;

  const first = options.page;
  const questions: Question[] = [
    ['reachableFrom: deployer account', REACHABLE_FROM, ids.deployer],
    ['reachableFrom: debugger account', REACHABLE_FROM, ids.debugger],
    ['reachableFrom: pod', REACHABLE_FROM, ids.pod],
    ['reachableFrom: node', REACHABLE_FROM, ids.node],
    ['whoCanReach: pod', WHO_CAN_REACH, ids.pod],
    ['whoCanReach: secret', WHO_CAN_REACH, ids.secret],
  ].map(([name, query, id]) => ({ name, query, variables: { id, first }, paged: true }) as Question);
  questions.push(
    {
      name: 'reachableFromSummary: deployer',
      query: REACHABLE_FROM_SUMMARY,
      variables: { id: ids.deployer },
      paged: false,
    },
    {
      name: 'whoCanReachSummary: secret',
      query: WHO_CAN_REACH_SUMMARY,
      variables: { id: ids.secret },
      paged: false,
    },
    {
      name: 'path: deployer → secret',
      query: PATH,
      variables: { from: ids.deployer, to: ids.secret },
      paged: false,
    },
  );

  const answers: { name: string; rows: number; digest: string; wholeMs: number; latency: RequestFigures }[] =
    [];
  for (const q of questions) {
    // The whole answer once (which also warms the plans and the page cache), then the timed requests.
    const started = performance.now();
    const rows = await wholeAnswer(served, q);
    const wholeMs = performance.now() - started;
    const latency = await timeRequests(options.requests, () => served.ask(q.query, q.variables), pid);
    const digest = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 12);
    log(`  ${q.name}: ${rows.length} rows (${digest}), p50 ${latency.p50.toFixed(1)} ms`);
    answers.push({ name: q.name, rows: rows.length, digest, wholeMs, latency });
  }
  return {
    options,
    ids,
    loadAverage: loadavg(),
    sync,
    summary: { rows: summary.rows, delegations: summary.delegations, delegatedRows: summary.delegatedRows },
    answers,
    targets: [],
  };
}

/** Every row of the answer, read through its cursors (a connection) or as it is. */
async function wholeAnswer(served: BenchApi, q: Question): Promise<unknown[]> {
  if (!q.paged) return [Object.values(await served.ask(q.query, q.variables))[0]];
  const rows: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await served.ask(q.query, { ...q.variables, after });
    const connection = Object.values(data)[0] as {
      edges: { node: unknown }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    rows.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage) return rows;
    after = connection.pageInfo.endCursor;
  }
}

function report(result: Awaited<ReturnType<typeof measure>>): string {
  const ms = (n: number) => n.toFixed(1);
  return [
    `Kubernetes answers: ${int(options.pods)} pods, seed ${options.seed}; ${int(result.summary.rows)} REACHES rows, ${int(result.summary.delegations)} REACHES_AS; sync ${sec(result.sync.ms)} wall`,
    `Load average at the end: ${result.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
    '',
    `| question (${options.requests} requests, first page of ${options.page}) | p50 ms | p95 ms | JVM CPU ms/request | rows | rows hash | whole answer ms |`,
    '|---|---:|---:|---:|---:|---|---:|',
    ...result.answers.map(
      (a) =>
        `| ${a.name} | ${ms(a.latency.p50)} | ${ms(a.latency.p95)} | ${a.latency.neo4jCpuMs === undefined ? 'n/a' : ms(a.latency.neo4jCpuMs)} | ${int(a.rows)} | ${a.digest} | ${ms(a.wholeMs)} |`,
    ),
  ].join('\n');
}
