// Whole-sync benchmark: the dense account (bench/synthetic-aws-dense.ts) seeded into moto, then the
// built CLI's `reachgraph sync aws` against it, live, into a fresh local Neo4j (or NEO4J_URI):
// wall time, the sync's own phases (collect, analyze, inventory, load, summary), relationships written per
// type and the peak RSS of the CLI process (`/usr/bin/time -v`, else sampled from /proc).
//
//   npm run bench:sync [-- --roles 500 --seed 42 --concurrency 16 --repeat 1 --with-cartography
//                         --json --wipe-existing]
//
// --repeat R runs the sync R times, each into an emptied graph, against the same moto.
// --with-cartography also installs cartography (pinned, into its own virtualenv
// `.venv-cartography/`) and runs its AWS IAM + S3 sync, collection only, against the same moto into
// an emptied graph, for the side-by-side ratio; it is skipped, saying why, when it cannot be
// installed or run.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AwsAccountData } from '../src/model/aws/environment.js';
import { packageRoot } from '../src/package-root.js';
import { type MotoServer, startMoto } from '../test/setup/moto.js';
import {
  type BenchGraph,
  benchArgs,
  log,
  now,
  openBenchGraph,
  peakRssKb,
  positive,
  runBench,
  seconds,
  wipe,
} from './lib.js';
import { MOTO_CREDENTIALS, seedAccount } from './seed-moto.js';
import { DENSE_REGION, denseAwsEnvironment } from './synthetic-aws-dense.js';

const CARTOGRAPHY = 'cartography==0.143.0';
const HEAP_MB = 2048;
const PAGE_CACHE_MB = 1024;
const SAMPLE_MS = 200;

const args = await benchArgs(import.meta.url, {
  roles: { type: 'string' },
  concurrency: { type: 'string' },
  repeat: { type: 'string' },
  'with-cartography': { type: 'boolean', default: false },
});
const options = {
  roles: positive('roles', args.roles, 'BENCH_ROLES', 500),
  seed: positive('seed', args.seed, 'BENCH_SEED', 42),
  concurrency: positive('concurrency', args.concurrency, 'BENCH_CONCURRENCY', 16),
  repeat: positive('repeat', args.repeat, 'BENCH_REPEAT', 1),
};

const run = promisify(execFile);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${int(kb / 1024)} MB`);
const sec = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${seconds(ms).toFixed(1)} s`);

let moto: MotoServer | undefined;
let graph: BenchGraph | undefined;
let child: ChildProcess | undefined;

await runBench(main, async () => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await graph?.close();
  await moto?.stop();
});

async function main(): Promise<void> {
  const result = await measure();
  const text = report(result);
  if (args.json) {
    log(text);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else process.stdout.write(`${text}\n`);
}

async function measure() {
  const cli = join(packageRoot(), 'bin', 'reachgraph.js');
  if (!existsSync(join(packageRoot(), 'dist'))) throw new Error('no dist/: run `npm run build` first');
  const environment = denseAwsEnvironment({ roles: options.roles, seed: options.seed });
  const account = environment.accounts[0] as AwsAccountData;

  log('Starting moto…');
  moto = await startMoto(log);
  log(`  moto on ${moto.endpoint}; seeding the dense account (${options.roles} roles)…`);
  let t = now();
  const calls = await seedAccount(moto.endpoint, account, options.concurrency);
  const seedMs = now() - t;
  log(`  ${calls} calls in ${seconds(seedMs).toFixed(1)} s`);

  graph = await openBenchGraph({
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    wipeExisting: args['wipe-existing'],
  });
  const { target } = graph;
  const neo4jEnv = {
    NEO4J_URI: target.uri,
    NEO4J_USER: target.user,
    NEO4J_PASSWORD: target.password,
    NEO4J_DATABASE: target.database,
  };
  const awsEnv = {
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: DENSE_REGION,
    AWS_DEFAULT_REGION: DENSE_REGION,
  };

  const syncs = [];
  for (let round = 1; round <= options.repeat; round++) {
    if (round > 1) await wipe(graph.driver, target.database);
    log(`reachgraph sync aws (run ${round} of ${options.repeat})…`);
    t = now();
    const run = await measured(
      process.execPath,
      [cli, 'sync', 'aws', '--endpoint-url', moto.endpoint, '--region', DENSE_REGION, '--no-progress'],
      { ...awsEnv, ...neo4jEnv },
    );
    const wallMs = now() - t;
    if (run.code !== 0) throw new Error(`sync exited with ${run.code}: ${run.stderr.slice(-2000)}`);
    const phases = syncPhases(run.stdout);
    const relationships = await relationshipCounts(graph);
    log(`  ${seconds(wallMs).toFixed(1)} s, peak RSS ${mb(run.peakRssKb)}`);
    syncs.push({ wallMs, peakRssKb: run.peakRssKb, rssSource: run.rssSource, phases, relationships });
  }

  let cartography:
    | { skipped: string }
    | { runs: { wallMs: number; relationships: Record<string, number> }[] } = {
    skipped: 'not asked (--with-cartography)',
  };
  if (args['with-cartography']) {
    const bin = await ensureCartography().catch((error: Error) => {
      cartography = { skipped: `cartography could not be installed: ${error.message.slice(0, 500)}` };
      return undefined;
    });
    if (bin) {
      const runs = [];
      for (let round = 1; round <= options.repeat; round++) {
        await wipe(graph.driver, target.database);
        log(`cartography AWS IAM + S3 sync (run ${round} of ${options.repeat})…`);
        t = now();
        const run = await measured(
          bin,
          [
            '--neo4j-uri',
            target.uri,
            '--selected-modules',
            'aws',
            '--aws-requested-syncs',
            'iam,s3',
            '--aws-regions',
            DENSE_REGION,
          ],
          { ...awsEnv, AWS_ENDPOINT_URL: moto.endpoint },
        );
        const wallMs = now() - t;
        if (run.code !== 0) {
          cartography = { skipped: `cartography exited with ${run.code}: ${failure(run.stderr)}` };
          break;
        }
        runs.push({ wallMs, relationships: await relationshipCounts(graph) });
      }
      if (runs.length === options.repeat) cartography = { runs };
    }
  }

  return {
    options,
    shape: {
      roles: account.roles.length,
      users: account.users.length,
      groups: account.groups.length,
      managedPolicies: account.managedPolicies.length,
      buckets: account.resources.length,
    },
    seed: { calls, ms: seedMs },
    neo4j: { version: graph.info.version, local: graph.server !== undefined },
    jvmPeakRssKb: graph.server ? await peakRssKb(graph.server.pid) : undefined,
    syncs,
    cartography,
  };
}

// ── Running and measuring a child ─────────────────────────────────────────────────────────────

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssKb: number | undefined;
  rssSource: 'time -v' | '/proc sampling';
}

/** Runs a command to its end; its peak RSS from `/usr/bin/time -v` when installed, else sampled from /proc. */
async function measured(command: string, argv: string[], env: Record<string, string>): Promise<ChildRun> {
  const timeV = existsSync('/usr/bin/time');
  const proc = spawn(timeV ? '/usr/bin/time' : command, timeV ? ['-v', command, ...argv] : argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  proc.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  let sampled = 0;
  const sampler = timeV
    ? undefined
    : setInterval(async () => {
        if (proc.pid !== undefined) sampled = Math.max(sampled, (await peakRssKb(proc.pid)) ?? 0);
      }, SAMPLE_MS);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  if (sampler) clearInterval(sampler);
  child = undefined;
  const fromTime = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1];
  return {
    code,
    stdout,
    stderr,
    peakRssKb: timeV ? (fromTime ? Number(fromTime) : undefined) : sampled || undefined,
    rssSource: timeV ? 'time -v' : '/proc sampling',
  };
}

/** The sync's phases from its text output: the run line and the reachability summary line. */
function syncPhases(stdout: string) {
  const num = (re: RegExp) => {
    const m = stdout.match(re)?.[1];
    return m === undefined ? undefined : Number(m) * 1000;
  };
  const loadWithSummaryMs = num(/load ([\d.]+) s\)/);
  const summaryMs = num(/reachability summary: .* in ([\d.]+) s/);
  return {
    totalMs: num(/ in ([\d.]+) s \(collect/),
    collectMs: num(/collect ([\d.]+) s/),
    analyzeMs: num(/analyze ([\d.]+) s/),
    inventoryMs: num(/inventory ([\d.]+) s/),
    loadMs:
      loadWithSummaryMs !== undefined && summaryMs !== undefined
        ? loadWithSummaryMs - summaryMs
        : loadWithSummaryMs,
    summaryMs,
  };
}

async function relationshipCounts(g: BenchGraph): Promise<Record<string, number>> {
  const { records } = await g.driver.executeQuery(
    'MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY n DESC',
    {},
    { database: g.target.database },
  );
  return Object.fromEntries(records.map((r) => [r.get('type') as string, Number(r.get('n'))]));
}

// ── cartography ───────────────────────────────────────────────────────────────────────────────

/** cartography in `.venv-cartography/` (its own virtualenv: its boto3 pins differ from moto's). */
async function ensureCartography(): Promise<string> {
  const venv = join(packageRoot(), '.venv-cartography');
  const bin = join(venv, 'bin', 'cartography');
  const marker = join(venv, `.${CARTOGRAPHY}`);
  if (existsSync(bin) && existsSync(marker)) return bin;
  log(`installing ${CARTOGRAPHY} into ${venv}…`);
  if (!existsSync(join(venv, 'bin', 'pip'))) await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', CARTOGRAPHY], {
    timeout: 1_200_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  await run('touch', [marker]);
  return bin;
}

/** Why a Python run failed: its exception lines (a traceback's last line names the call), else the tail. */
function failure(stderr: string): string {
  const errors = stderr
    .split('\n')
    .filter((line) => /^\S*(Error|Exception)\b|^\S+: /.test(line) && !line.startsWith('\t'))
    .slice(-3);
  return (errors.length ? errors.join(' | ') : stderr).slice(-1500);
}

// ── Report ────────────────────────────────────────────────────────────────────────────────────

type Result = Awaited<ReturnType<typeof measure>>;

function report(r: Result): string {
  const s = r.shape;
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(', ');
  const lines = [
    `reachgraph sync aws against moto, dense account: ${int(s.roles)} roles, ${int(s.users)} users, ${int(s.groups)} groups, ${int(s.managedPolicies)} managed policies, ${int(s.buckets)} buckets (seed ${r.options.seed})`,
    `moto seeded with ${int(r.seed.calls)} calls in ${sec(r.seed.ms)} (${r.options.concurrency} at a time); Neo4j ${r.neo4j.version}${r.neo4j.local ? ` (local, heap ${HEAP_MB} MB, page cache ${PAGE_CACHE_MB} MB)` : ''}`,
    '',
  ];
  for (const [i, x] of r.syncs.entries()) {
    const p = x.phases;
    lines.push(
      `sync run ${i + 1}: ${sec(x.wallMs)} wall; collect ${sec(p.collectMs)}, analyze ${sec(p.analyzeMs)}, inventory ${sec(p.inventoryMs)}, load ${sec(p.loadMs)}, summary ${sec(p.summaryMs)}; peak RSS ${mb(x.peakRssKb)} (${x.rssSource})`,
      `  ${int(total(x.relationships))} relationships: ${counts(x.relationships)}`,
    );
  }
  if ('runs' in r.cartography) {
    for (const [i, c] of r.cartography.runs.entries()) {
      const ours = r.syncs[i]?.wallMs ?? 0;
      lines.push(
        `cartography run ${i + 1}: ${sec(c.wallMs)} wall, ${int(total(c.relationships))} relationships; reachgraph/cartography ${(ours / c.wallMs).toFixed(2)}×`,
      );
    }
  } else lines.push(`cartography: skipped: ${r.cartography.skipped}`);
  lines.push('', `Neo4j JVM peak RSS ${mb(r.jvmPeakRssKb)}`);
  return lines.join('\n');
}
