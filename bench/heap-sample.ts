// Where the analysis's memory goes, sampled with V8's heap profiler through the inspector on the
// dense account (bench/synthetic-aws-dense.ts), into two profiles for bench/profile-top.ts:
//
//   <dir>/analyze-allocated-<S>.heapprofile  everything one analysis allocates, collected or not
//   <dir>/analyze-live-<S>.heapprofile       what a second analysis and its validated inventory
//                                            still hold when both are built
//
//   npx tsx bench/heap-sample.ts [--roles 500] [--seed 42] [--dir /tmp]
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { log, positive, printUsage } from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';

const SAMPLING_INTERVAL = 65_536;

const { values: args } = parseArgs({
  options: {
    roles: { type: 'string' },
    seed: { type: 'string' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  await printUsage(import.meta.url);
  process.exit(0);
}
const roles = positive('roles', args.roles, 'BENCH_ROLES', 500);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const dir = args.dir ?? '/tmp';
const environment = denseAwsEnvironment({ roles, seed });

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
const sample = async (name: string, collected: boolean, work: () => Promise<unknown>) => {
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL,
    ...(collected ? { includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } : {}),
  });
  const kept = await work();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const file = join(dir, `${name}-${roles}.heapprofile`);
  await writeFile(file, JSON.stringify(profile));
  log(`${file} written`);
  return kept;
};

log(`dense account, ${roles} roles (seed ${seed})`);
await sample('analyze-allocated', true, () => analyzeAws(environment));
const kept = await sample('analyze-live', false, async () => {
  const analysis = await analyzeAws(environment);
  return validateInventory(
    buildAwsInventory(environment, analysis, { sourceName: 'heap sample' }),
    'heap sample',
  );
});
log(
  `${(kept as { relationships: unknown[] }).relationships.length} relationships; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
);
session.disconnect();
