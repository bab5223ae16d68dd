// The top functions of a V8 profile written by `node --cpu-prof` (self CPU time) or `--heap-prof`
// (sampled allocation bytes), so a benchmark's profile can be read without a browser:
//
//   NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:aws -- --profile dense --no-load
//   npx tsx bench/profile-top.ts /tmp/prof/CPU.….cpuprofile [--top 25]
//
// Each line: share of the total, the figure, the function and where it is (path relative to the
// project when inside it).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/package-root.js';
import { positive, printUsage } from './lib.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

const { values: args, positionals } = parseArgs({
  options: { top: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  allowPositionals: true,
  strict: true,
});
if (args.help || positionals.length !== 1) {
  await printUsage(import.meta.url);
  process.exit(args.help ? 0 : 1);
}
const top = positive('top', args.top, '', 25);
const file = positionals[0] as string;
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile | { head: HeapNode };

const root = `file://${packageRoot()}/`;
const label = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'}  ${f.url.replace(root, '').replace(/^.*node_modules\//, 'node_modules/')}:${f.lineNumber + 1}`;

const totals = new Map<string, number>();
let unit: string;
if ('head' in profile) {
  unit = 'MB allocated (sampled)';
  const walk = (node: HeapNode) => {
    const key = label(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
} else {
  unit = 's self CPU';
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const [i, id] of profile.samples.entries()) {
    const node = byId.get(id);
    if (!node) continue;
    const key = label(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
}
const sum = [...totals.values()].reduce((a, b) => a + b, 0);
const scale = 'head' in profile ? 1024 * 1024 : 1_000_000;
process.stdout.write(`${file}: ${(sum / scale).toFixed(1)} ${unit} in all\n`);
for (const [key, value] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(
    `${((value / sum) * 100).toFixed(1).padStart(5)} %  ${(value / scale).toFixed(1).padStart(8)}  ${key}\n`,
  );
