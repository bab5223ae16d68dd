// Reachability summary benchmark: computeReachability on a synthetic estate (default 100,000
// identities and 1,000,000 hop and CAN_ACCESS edges, generated straight into Neo4j with batched
// UNWIND), first on an empty summary and then again as a refresh, next to the plain Cypher answer
// to the same question (bounded SHORTEST 1 from each principal to every resource it reaches) timed
// on a sample of principals and scaled to all of them.
//
//   npx tsx bench/reachability.ts [--identities 100000] [--edges 1000000] [--sample 200]
//                                 [--seed 7] [--max-hops 6] [--json] [--wipe-existing]
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_SAMPLE,
// BENCH_SEED. With NEO4J_URI that server is used and wiped (it must be empty, or --wipe-existing
// must say its data may go); otherwise a local Neo4j is started on a temporary store and removed.
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import type { GraphExecutor } from '../src/graph/executor.js';
import { computeReachability, type ReachabilityStats } from '../src/graph/reachability.js';
import { ensureSchema } from '../src/graph/schema.js';
import { ACCESS_LEVELS } from '../src/model/properties.js';
import { HOP_TYPES } from '../src/model/relationship-kinds.js';
import {
  type BenchGraph,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  printUsage,
  runBench,
  seconds,
} from './lib.js';
import { prng } from './synthetic-inventory.js';

const GOAL_SECONDS = 60;
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const BATCH = 20_000;

const { values: args } = parseArgs({
  options: {
    identities: { type: 'string' },
    edges: { type: 'string' },
    sample: { type: 'string' },
    seed: { type: 'string' },
    'max-hops': { type: 'string' },
    json: { type: 'boolean', default: false },
    'wipe-existing': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  await printUsage(import.meta.url);
  process.exit(0);
}
const options = {
  identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 100_000),
  edges: positive('edges', args.edges, 'BENCH_EDGES', 1_000_000),
  sample: positive('sample', args.sample, 'BENCH_SAMPLE', 200),
  seed: positive('seed', args.seed, 'BENCH_SEED', 7),
  maxHops: positive('max-hops', args['max-hops'], '', 6),
};

// ── The synthetic estate ──────────────────────────────────────────────────────────────────────
/**
 * Accounts of 500 identities: 40 % roles, 35 % users, 20 % functions (workloads that run as a
 * role), 5 % OIDC subjects (CI pipelines federating into a role), and 100 data resources. Users
 * assume one or two roles, 15 % of roles chain to another role, 2 % can escalate to one, 5 % of
 * trust edges reach into another account; the rest of the edge budget is CAN_ACCESS from roles
 * (70 %), users (20 %) and functions (10 %) to resources of their account, 10 % conditional.
 */
function syntheticEstate(identities: number, edges: number, seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const accounts = Math.max(1, Math.round(identities / 500));
  const perAccount = Math.ceil(identities / accounts);
  const account = (a: number) => String(100000000000 + a);
  // Node numbers: one list per kind; edges refer to (kind, index) through global numbers.
  const kinds = {
    role: [] as number[][],
    user: [] as number[][],
    fn: [] as number[][],
    oidc: [] as number[][],
    resource: [] as number[][],
  };
  const nodes: { label: string; extra: string[]; ids: string[] }[] = [
    { label: 'AwsRole', extra: ['Principal'], ids: [] },
    { label: 'AwsUser', extra: ['Principal'], ids: [] },
    { label: 'AwsLambdaFunction', extra: ['Principal', 'Workload', 'Resource'], ids: [] },
    { label: 'OidcSubject', extra: ['Principal'], ids: [] },
    { label: 'AwsS3Bucket', extra: ['Resource'], ids: [] },
  ];
  const numbers: number[][] = [[], [], [], [], []];
  let total = 0;
  const add = (kind: number, id: string) => {
    (nodes[kind] as { ids: string[] }).ids.push(id);
    (numbers[kind] as number[]).push(total);
    return total++;
  };
  for (let a = 0; a < accounts; a++) {
    const acct = account(a);
    const count = Math.min(perAccount, identities - a * perAccount);
    const share = (f: number) => Math.round(count * f);
    kinds.role.push(Array.from({ length: share(0.4) }, (_, i) => add(0, `arn:aws:iam::${acct}:role/r${i}`)));
    kinds.user.push(Array.from({ length: share(0.35) }, (_, i) => add(1, `arn:aws:iam::${acct}:user/u${i}`)));
    kinds.fn.push(
      Array.from({ length: share(0.2) }, (_, i) => add(2, `arn:aws:lambda:eu-west-1:${acct}:function:f${i}`)),
    );
    kinds.oidc.push(
      Array.from({ length: count - share(0.4) - share(0.35) - share(0.2) }, (_, i) =>
        add(3, `oidc:github:repo:acme/r${a}-${i}:ref:refs/heads/main`),
      ),
    );
    kinds.resource.push(Array.from({ length: 100 }, (_, i) => add(4, `arn:aws:s3:::bucket-${acct}-${i}`)));
  }
  const pickIn = (list: number[][], a: number) => {
    const inAccount = list[a] as number[];
    return inAccount[int(inAccount.length)] as number;
  };
  const roleFor = (a: number) => pickIn(kinds.role, next() < 0.05 ? int(accounts) : a);

  const hops = HOP_TYPES.map((type) => ({
    type,
    from: [] as number[],
    to: [] as number[],
    conditional: [] as boolean[],
  }));
  const hop = (type: string, from: number, to: number) => {
    const list = hops.find((h) => h.type === type) as (typeof hops)[number];
    list.from.push(from);
    list.to.push(to);
    list.conditional.push(next() < 0.1);
  };
  for (let a = 0; a < accounts; a++) {
    for (const u of kinds.user[a] as number[]) {
      hop('CAN_ASSUME', u, roleFor(a));
      if (next() < 0.5) hop('CAN_ASSUME', u, roleFor(a));
    }
    for (const r of kinds.role[a] as number[]) {
      if (next() < 0.15) hop('CAN_ASSUME', r, roleFor(a));
      if (next() < 0.02) hop('CAN_ESCALATE', r, roleFor(a));
    }
    for (const f of kinds.fn[a] as number[]) hop('RUNS_AS', f, pickIn(kinds.role, a));
    for (const o of kinds.oidc[a] as number[]) hop('FEDERATES_TO', o, roleFor(a));
  }
  const hopCount = hops.reduce((n, h) => n + h.from.length, 0);
  const access = {
    from: [] as number[],
    to: [] as number[],
    levels: [] as string[][],
    conditional: [] as boolean[],
  };
  const seen = new Set<number>();
  while (access.from.length < edges - hopCount) {
    const a = int(accounts);
    const roll = next();
    const from = pickIn(roll < 0.7 ? kinds.role : roll < 0.9 ? kinds.user : kinds.fn, a);
    const to = pickIn(kinds.resource, a);
    const key = from * 2 ** 20 + to;
    if (seen.has(key)) continue;
    seen.add(key);
    access.from.push(from);
    access.to.push(to);
    access.levels.push(ACCESS_LEVELS.filter((_, i) => i === 0 || next() < 0.35));
    access.conditional.push(next() < 0.1);
  }
  return { nodes, numbers, hops, access, total, accounts };
}

async function generate(
  executor: GraphExecutor,
  estate: ReturnType<typeof syntheticEstate>,
): Promise<number[]> {
  // Internal ids by node number, from the CREATE itself.
  const internal = new Array<number>(estate.total);
  for (const [k, kind] of estate.nodes.entries()) {
    const numbers = estate.numbers[k] as number[];
    for (let i = 0; i < kind.ids.length; i += BATCH) {
      const ids = kind.ids.slice(i, i + BATCH);
      const rows = await executor.write<{ key: number }>(
        `UNWIND $ids AS id CREATE (n:${kind.label}:Entity:${kind.extra.join(':')} {id: id, name: id, nonHuman: true, environment: 'production'})
         RETURN toFloat(id(n)) AS key`,
        { ids },
      );
      rows.forEach((row, j) => {
        internal[numbers[i + j] as number] = row.key;
      });
    }
  }
  const relationships = async (
    type: string,
    from: number[],
    to: number[],
    props: Record<string, unknown>[],
  ) => {
    for (let i = 0; i < from.length; i += BATCH) {
      const rows = from.slice(i, i + BATCH).map((f, j) => ({
        a: neo4j.int(internal[f] as number),
        b: neo4j.int(internal[to[i + j] as number] as number),
        p: props[i + j],
      }));
      await executor.write(
        `UNWIND $rows AS row MATCH (a) WHERE id(a) = row.a MATCH (b) WHERE id(b) = row.b
         CREATE (a)-[r:${type}]->(b) SET r = row.p`,
        { rows },
      );
    }
  };
  for (const h of estate.hops) {
    await relationships(
      h.type,
      h.from,
      h.to,
      h.conditional.map((conditional) => ({ conditional, reason: 'synthetic', scope: 'aws:bench' })),
    );
  }
  const { access } = estate;
  await relationships(
    'CAN_ACCESS',
    access.from,
    access.to,
    access.levels.map((levels, i) => ({ levels, conditional: access.conditional[i], scope: 'aws:bench' })),
  );
  return internal;
}

// ── Measure ───────────────────────────────────────────────────────────────────────────────────
async function cypherBaseline(bench: BenchGraph, sample: number, maxHops: number) {
  const principals = await bench.executor.read<{ id: string }>(
    'MATCH (s:Principal) RETURN s.id AS id ORDER BY id',
  );
  const step = Math.max(1, Math.floor(principals.length / sample));
  const ids = principals
    .filter((_, i) => i % step === 0)
    .slice(0, sample)
    .map((p) => p.id);
  const started = now();
  const [row] = await bench.executor.read<{ pairs: number }>(
    `UNWIND $ids AS sid
     MATCH (s:Principal {id: sid})
     CALL (s) {
       MATCH p = SHORTEST 1 (s) (()-[:${HOP_TYPES.join('|')}]->()){0,${maxHops}} (:Principal)-[:CAN_ACCESS]->(r:Resource)
       RETURN r, length(p) AS hops
     }
     RETURN count(*) AS pairs`,
    { ids },
  );
  const ms = now() - started;
  return { sample: ids.length, pairs: row?.pairs ?? 0, ms, scaledMs: (ms * principals.length) / ids.length };
}

async function measure() {
  const bench = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'] ?? false,
  });
  const closing = () => bench.close();
  cleanupHook = closing;
  await ensureSchema(bench.executor);
  log(`Generating ${options.identities} identities and ${options.edges} edges (seed ${options.seed})…`);
  let t = now();
  const estate = syntheticEstate(options.identities, options.edges, options.seed);
  await generate(bench.executor, estate);
  const generateMs = now() - t;
  log(`  generated in ${seconds(generateMs).toFixed(1)} s (${estate.accounts} accounts)`);

  const runs: { label: string; stats: ReachabilityStats }[] = [];
  for (const label of ['first (empty summary)', 'refresh (every row exists)']) {
    log(`Summary: ${label}…`);
    t = now();
    const stats = await computeReachability(bench.executor, {
      maxHops: options.maxHops,
      onProgress: (p) => {
        if (p.phase === 'searching' && p.done === p.total) log(`  searched ${p.total} principals`);
      },
    });
    log(`  ${stats.rows} rows in ${seconds(now() - t).toFixed(1)} s`);
    runs.push({ label, stats });
  }
  log(`Cypher baseline on ${options.sample} principals…`);
  const baseline = await cypherBaseline(bench, options.sample, options.maxHops);
  const rss = {
    nodeKb: await peakRssKb(process.pid),
    neo4jKb: bench.server ? await peakRssKb(bench.server.pid) : undefined,
  };
  await closing();
  return { options, generateMs, runs, baseline, rss };
}

let cleanupHook: () => Promise<void> = async () => {};

function report(result: Awaited<ReturnType<typeof measure>>): string {
  const { runs, baseline } = result;
  const first = runs[0]?.stats as ReachabilityStats;
  const lines = [
    `Reachability summary: ${first.principals} principals, ${first.resources} resources, ${first.hopEdges} hop edges, ${first.accessEdges} CAN_ACCESS edges, max ${first.maxHops} hops`,
    '',
    '| run | rows | read | search + write | cleanup | total |',
    '|---|---:|---:|---:|---:|---:|',
    ...runs.map(
      ({ label, stats: s }) =>
        `| ${label} | ${s.rows} | ${seconds(s.timings.readMs).toFixed(1)} s | ${seconds(s.timings.searchAndWriteMs).toFixed(1)} s | ${seconds(s.timings.cleanupMs).toFixed(1)} s | ${seconds(s.durationMs).toFixed(1)} s |`,
    ),
    '',
    `Cypher SHORTEST 1 per principal, ${baseline.sample} principals: ${seconds(baseline.ms).toFixed(1)} s for ${baseline.pairs} pairs; scaled to all ${first.principals}: ${seconds(baseline.scaledMs).toFixed(0)} s`,
    `Summary vs Cypher (scaled): ${(baseline.scaledMs / first.durationMs).toFixed(1)}x faster`,
    `Goal: summary under ${GOAL_SECONDS} s: ${runs.every((r) => r.stats.durationMs < GOAL_SECONDS * 1000) ? 'met' : 'NOT met'}`,
    `Peak RSS: Node ${fmtMb(result.rss.nodeKb)}, Neo4j ${fmtMb(result.rss.neo4jKb)}`,
  ];
  return lines.join('\n');
}

const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

await runBench(
  async () => {
    const result = await measure();
    const table = report(result);
    if (args.json) {
      log(table);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else process.stdout.write(`${table}\n`);
    if (result.runs.some((r) => r.stats.durationMs >= GOAL_SECONDS * 1000)) process.exitCode = 2;
  },
  () => cleanupHook(),
);
