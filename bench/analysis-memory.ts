// The analysis's memory and CPU at each edge family's end, on the dense account, and its whole output
// as digest lines (the lines test/unit/aws-scenarios/analysis-digest.test.ts pins) to compare two
// codes line by line:
//
//   npx tsx bench/analysis-memory.ts [--roles 1000] [--seed 42] [--out FILE] [--gc]
//                                    [--families can-access,…] [--progress 500]
//
// `--families` runs only those edge families (a later family that reads an earlier one's facts
// derives them itself); `--progress N` logs the readings every N principals a family derives, so a
// run stopped early says how far it got.
//
// It runs with the heap growing factor `reachgraph` sets (src/heap-growth.ts) unless node is given
// `--heap-growing-percent=N`. Per family: CPU seconds so far (user + system of this process), the V8 heap in use (after a full
// collection with --gc, which needs `node --expose-gc`), and the process's peak RSS so far (VmHWM).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { EDGE_FAMILIES } from '../src/analyzers/aws-iam/edges/registry.js';
import type { Authorizer } from '../src/analyzers/aws-iam/types.js';
import { boundHeapGrowth } from '../src/heap-growth.js';
import { analysisLines } from './analysis-lines.js';
import { log, mb, positive, printUsage, processCpuMs } from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';

const { values: args } = parseArgs({
  options: {
    roles: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    gc: { type: 'boolean', default: false },
    families: { type: 'string' },
    progress: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  await printUsage(import.meta.url);
  process.exit(0);
}
// The heap growth `reachgraph` runs with (src/main.ts), unless node's flags set one.
const heapGrowingPercent = boundHeapGrowth();
const roles = positive('roles', args.roles, 'BENCH_ROLES', 1000);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const collect = args.gc ? (globalThis as { gc?: () => void }).gc : undefined;
if (args.gc && !collect) throw new Error('--gc needs node --expose-gc');

// The analysis is one synchronous call: each family's end is read synchronously inside it.
const syncReading = (label: string) => {
  collect?.();
  const heap = process.memoryUsage().heapUsed;
  const status = readFileSync('/proc/self/status', 'utf8');
  const peak = Number(status.match(/^VmHWM:\s+(\d+)\s+kB/m)?.[1] ?? process.resourceUsage().maxRSS);
  log(
    `${label.padEnd(40)} cpu ${(processCpuMs() / 1000).toFixed(1)} s  heap ${mb(heap / 1024)}  peak RSS ${mb(peak)}`,
  );
};
log(
  `dense account, ${roles} roles (seed ${seed}), heap limit ${mb(getHeapStatistics().heap_size_limit / 1024)}, heap growing percent ${heapGrowingPercent ?? 'as given'}`,
);
const environment = denseAwsEnvironment({ roles, seed });
syncReading('generated');
const progress = args.progress === undefined ? undefined : positive('progress', args.progress, '', 500);
/** The authorizer with its principal list logging a reading every `every` principals a loop reaches. */
const counting = (authorizer: Authorizer, name: string, every: number): Authorizer =>
  new Proxy(authorizer, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'principals') return typeof value === 'function' ? value.bind(target) : value;
      return () => {
        const list = target.principals();
        const watched = [...list];
        Object.defineProperty(watched, Symbol.iterator, {
          *value() {
            for (let i = 0; i < list.length; i++) {
              if (i > 0 && i % every === 0) syncReading(`  ${name}: ${i} of ${list.length} principals`);
              yield list[i];
            }
          },
        });
        return watched;
      };
    },
  });
for (const family of EDGE_FAMILIES) {
  const derive = family.derive;
  (family as { derive: typeof derive }).derive = (authorizer, options) => {
    const watched =
      progress !== undefined && (options as { from?: string } | undefined)?.from === undefined
        ? counting(authorizer, family.name, progress)
        : authorizer;
    const output = derive(watched, options);
    // The what-if states derive one principal's edges with a family too (`from`): not a family's end.
    if ((options as { from?: string } | undefined)?.from === undefined) {
      syncReading(`${family.name} (${output.edges.length} edges)`);
      // The escalation's what-if states: techniques run in a state, and left out as its change cannot affect them.
      const whatIf = (output as { whatIf?: { techniquesRun: number; techniquesSkipped: number } }).whatIf;
      if (whatIf)
        log(`  what-if states: ${whatIf.techniquesRun} technique runs, ${whatIf.techniquesSkipped} left out`);
    }
    return output;
  };
}
const analysis = await analyzeAws(environment, {
  asOf: new Date('2026-06-01T00:00:00Z'),
  ...(args.families ? { families: args.families.split(',') } : {}),
});
syncReading(`analysis (${analysis.stats.evaluations} evaluations)`);
// What the analysis stores: derived edges by type (hub legs included) and the Grant hubs.
const byType = new Map<string, number>();
for (const e of analysis.edges) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
log(
  `stored: ${analysis.edges.length} derived edges (${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')}), ${
    analysis.nodes.filter((n) => n.kind === 'Grant').length
  } Grant hubs`,
);
if (args.out) {
  await writeFile(args.out, analysisLines(analysis));
  log(`${args.out} written`);
}
