// Report benchmark: the risk report (every rule of rules/) on a synthetic estate (default 20,000
// identities and 200,000 hop and CAN_ACCESS edges, the generator of bench/reachability.ts) after its
// reachability summary is computed. Measures each rule alone (runFindings on that rule: findings and
// time), then the whole report (buildReport) without and with recording it, as `reachgraph report` runs
// it (a recording failure is reported, not fatal). The baseline,
// measured in the same run, is reading the same REACHES rows the reach rules start from (non-human
// identity → production resource) with a plain query: a rule's time over it is what its routes cost.
//
// Two additions to the generated estate give the path rules work to do: each account node, with 1 %
// of the roles administering it (so nhi-can-escalate-to-admin has targets), and `--chains N` extra
// role → role CAN_ASSUME edges per role within its account (default 0), which multiplies the routes
// between an identity and a resource.
//
//   npx tsx bench/report.ts [--identities 20000] [--edges 200000] [--chains 0] [--seed 7] [--json]
//                           [--no-record] [--wipe-existing]
//
// --no-record skips the recorded report (recording tens of thousands of findings in one transaction
// can take minutes, or exceed Neo4j's transaction memory).
//
// Every option also reads from the environment: BENCH_IDENTITIES, BENCH_EDGES, BENCH_CHAINS,
// BENCH_SEED. With
// NEO4J_URI that server is used and wiped (it must be empty, or --wipe-existing must say its data may
// go); otherwise a local Neo4j is started on a temporary store and removed. Exit code 1 on an error.
import { availableParallelism } from 'node:os';
import { computeReachability } from '../src/reachability/compute.js';
import { buildReport } from '../src/reports/build.js';
import { runFindings } from '../src/reports/findings.js';
import { effectiveRules } from '../src/reports/rules/config.js';
import { loadRules } from '../src/reports/rules/registry.js';
import { type BenchGraph, benchArgs, log, now, openBenchGraph, positive, runBench, seconds } from './lib.js';
import { prng } from './synthetic-inventory.js';
import { type SyntheticEstate, seedEstate } from './synthetic-reach.js';

const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;

const args = await benchArgs(import.meta.url, {
  identities: { type: 'string' },
  edges: { type: 'string' },
  chains: { type: 'string' },
  'no-record': { type: 'boolean', default: false },
});
const options = {
  identities: positive('identities', args.identities, 'BENCH_IDENTITIES', 20_000),
  edges: positive('edges', args.edges, 'BENCH_EDGES', 200_000),
  seed: positive('seed', args.seed, 'BENCH_SEED', 7),
  chains:
    args.chains === '0' || process.env.BENCH_CHAINS === '0'
      ? 0
      : positive('chains', args.chains, 'BENCH_CHAINS', 0),
};

/** The rows the reach rules expand, read and counted without routes. */
const REACH_ROWS = `MATCH (s:Principal {nonHuman: true})-[x:REACHES]->(r:Resource {environment: 'production'})
RETURN s.id AS subject, r.id AS target, x.allLevelMask AS mask, x.maxHops AS maxHops`;

/** Accounts, administered by every hundredth role of each (role ids end in /r<number>). */
const ACCOUNTS_AND_ADMINS = `MATCH (r:AwsRole) WHERE toInteger(split(r.id, ':role/r')[1]) % 100 = 0
WITH r, split(r.id, ':')[4] AS account
MERGE (a:AwsAccount {id: 'aws:account:' + account})
ON CREATE SET a:Resource:Entity, a.name = account, a.provider = 'aws', a.scope = 'aws:' + account
CREATE (r)-[:ADMINISTERS {evidence: '[{"source":"identity-policy","ref":"synthetic","reason":"synthetic"}]', scope: 'aws:bench'}]->(a)
RETURN count(*) AS admins`;

/** `chains` more CAN_ASSUME edges from every role to roles of its account, from the estate's seed. */
function addChains(estate: SyntheticEstate, chains: number, seed: number): void {
  if (chains === 0) return;
  const next = prng(seed + 2);
  const roles = estate.nodes[0] as SyntheticEstate['nodes'][number];
  const numbers = estate.numbers[0] as number[];
  const byAccount = new Map<string, number[]>();
  roles.ids.forEach((id, i) => {
    const account = id.split(':')[4] as string;
    const list = byAccount.get(account) ?? [];
    list.push(numbers[i] as number);
    byAccount.set(account, list);
  });
  const assume = estate.hops.find((h) => h.type === 'CAN_ASSUME') as SyntheticEstate['hops'][number];
  for (const list of byAccount.values())
    for (const from of list)
      for (let k = 0; k < chains; k++) {
        assume.from.push(from);
        assume.to.push(list[Math.floor(next() * list.length)] as number);
        assume.conditional.push(next() < 0.1);
      }
}

let cleanupHook: () => Promise<void> = async () => {};

async function measure() {
  const bench: BenchGraph = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'] ?? false,
  });
  cleanupHook = () => bench.close();
  const { executor } = bench;
  const { generateMs } = await seedEstate(executor, options, {
    amend: (e) => addChains(e, options.chains, options.seed),
    after: async () => {
      await executor.write(ACCOUNTS_AND_ADMINS);
    },
  });

  log('Computing the reachability summary…');
  const summary = await computeReachability(executor, {});
  log(`  ${summary.rows} rows in ${seconds(summary.durationMs).toFixed(1)} s`);

  // Twice: the first read warms the page cache and compiles the plan, the second is the baseline.
  await executor.read(REACH_ROWS);
  let t = now();
  const reachRows = (await executor.read(REACH_ROWS)).length;
  const baselineMs = now() - t;
  log(`Baseline: ${reachRows} REACHES rows (non-human → production) read in ${baselineMs.toFixed(0)} ms`);

  const rules = effectiveRules(loadRules());
  const at = new Date();
  const perRule: { rule: string; findings: number; ms: number; ratio: number }[] = [];
  for (const rule of rules) {
    log(`Rule ${rule.id}…`);
    t = now();
    const findings = await runFindings(executor, [rule], { now: at });
    const ms = now() - t;
    perRule.push({ rule: rule.id, findings: findings.length, ms, ratio: ms / Math.max(baselineMs, 1) });
    log(`  ${findings.length} finding(s) in ${seconds(ms).toFixed(1)} s`);
  }

  log('The whole report, not recorded (buildReport, record: false)…');
  t = now();
  const unrecorded = await buildReport(executor, { record: false, now: at });
  const unrecordedMs = now() - t;
  log(`  ${unrecorded.findings.length} active finding(s) in ${seconds(unrecordedMs).toFixed(1)} s`);
  let recorded: { findings: number; ms: number } | { error: string; ms: number } | null = null;
  if (!args['no-record']) recorded = await recordedReport(executor, at);
  await cleanupHook();
  cleanupHook = async () => {};
  return {
    options,
    machine: { cpus: availableParallelism() },
    estate: {
      principals: summary.principals,
      resources: summary.resources,
      hopEdges: summary.hopEdges,
      accessEdges: summary.accessEdges,
      reachesRows: summary.rows,
    },
    generateMs,
    summaryMs: summary.durationMs,
    baseline: { reachRows, ms: baselineMs },
    perRule,
    report: {
      findings: unrecorded.findings.length,
      suppressed: unrecorded.suppressed.length,
      ms: unrecordedMs,
      recorded,
    },
  };
}

/** The whole report, recorded; a failure to record is reported, not fatal: it is part of the result. */
async function recordedReport(executor: BenchGraph['executor'], at: Date) {
  log('The whole report, recorded (buildReport, record: true)…');
  const t = now();
  try {
    const report = await buildReport(executor, { record: true, now: at });
    const ms = now() - t;
    log(`  ${report.findings.length} active finding(s) in ${seconds(ms).toFixed(1)} s`);
    return { findings: report.findings.length, ms };
  } catch (error) {
    const failed = { error: (error as Error).message, ms: now() - t };
    log(`  failed after ${seconds(failed.ms).toFixed(1)} s: ${failed.error}`);
    return failed;
  }
}

type Result = Awaited<ReturnType<typeof measure>>;

function table(result: Result): string {
  const e = result.estate;
  const s = (ms: number) => `${seconds(ms).toFixed(2)} s`;
  return [
    `Report benchmark (${result.options.chains} extra trust chain(s) per role): ${e.principals} identities, ${e.resources} resources, ${e.hopEdges} hop edges, ${e.accessEdges} CAN_ACCESS edges, ${e.reachesRows} REACHES rows; ${result.machine.cpus} CPUs`,
    `Baseline: the ${result.baseline.reachRows} REACHES rows non-human → production read in ${s(result.baseline.ms)}`,
    '',
    '| rule | findings | time | × baseline |',
    '|---|---:|---:|---:|',
    ...result.perRule.map((r) => `| ${r.rule} | ${r.findings} | ${s(r.ms)} | ${r.ratio.toFixed(1)} |`),
    '',
    `Whole report (buildReport, not recorded): ${result.report.findings} active finding(s), ${result.report.suppressed} suppressed, in ${s(result.report.ms)} (${(result.report.ms / Math.max(result.baseline.ms, 1)).toFixed(1)}× baseline)`,
    result.report.recorded === null
      ? 'Whole report, recorded: skipped (--no-record)'
      : 'error' in result.report.recorded
        ? `Whole report, recorded: FAILED after ${s(result.report.recorded.ms)}: ${result.report.recorded.error}`
        : `Whole report, recorded: ${s(result.report.recorded.ms)} (${(result.report.recorded.ms / Math.max(result.baseline.ms, 1)).toFixed(1)}× baseline)`,
  ].join('\n');
}

await runBench(
  async () => {
    const result = await measure();
    const text = table(result);
    if (args.json) {
      log(text);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else process.stdout.write(`${text}\n`);
  },
  () => cleanupHook(),
);
