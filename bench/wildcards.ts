// Wildcard matching benchmark: the time to match adversarial policy wildcards (runs of `*?`, the
// shape that sends a backtracking regular expression into runaway: `"s3:" + "*?"*16 + "#"`) in
// Action, StringLike and Resource patterns, against the time for plain patterns (`s3:Get*`) in the
// same run, as a ratio, so the figure does not depend on how fast or loaded the machine is. The
// values do not match, the case where backtracking explodes.
//
//   npm run bench:wildcards [-- --repeat 200000 --json]
//
// Target: a pattern of 64 `*?` runs costs at most 25× the plain pattern on the same value (the
// matcher is at worst proportional to pattern length × value length, and has no exponential
// case); a missed target exits with 2.
import { parseArgs } from 'node:util';
import { actionMatches, arnMatches, globMatches } from '../src/analyzers/aws-iam/engine/index.js';
import { now, positive, printUsage, runBench } from './lib.js';

const TARGET_RATIO = 25;

interface Case {
  name: string;
  match: (pattern: string, value: string) => boolean;
  plain: [string, string];
  adversarial: (stars: number) => [string, string];
}

const CASES: Case[] = [
  {
    name: 'Action',
    match: actionMatches,
    plain: ['s3:Put*', `s3:GetObject${'Version'.repeat(8)}`],
    adversarial: (n) => [`s3:${'*?'.repeat(n)}#`, `s3:GetObject${'Version'.repeat(8)}`],
  },
  {
    name: 'StringLike',
    match: (p, v) => globMatches(p, v),
    plain: ['team-*#', `team-${'payments'.repeat(8)}`],
    adversarial: (n) => [`${'*?'.repeat(n)}#`, `team-${'payments'.repeat(8)}`],
  },
  {
    name: 'Resource ARN',
    match: arnMatches,
    plain: ['arn:aws:s3:::logs-*/*#', `arn:aws:s3:::logs-${'archive'.repeat(6)}/2024/x`],
    adversarial: (n) => [
      `arn:aws:s3:::${'*?'.repeat(n)}#`,
      `arn:aws:s3:::logs-${'archive'.repeat(6)}/2024/x`,
    ],
  },
];

/** Nanoseconds per call over `repeat` calls, after as many to warm up. */
function time(match: Case['match'], pattern: string, value: string, repeat: number): number {
  const values = Array.from({ length: 64 }, (_, i) => `${value}${i}`);
  for (let i = 0; i < repeat; i++) match(pattern, values[i % 64] as string);
  const started = now();
  for (let i = 0; i < repeat; i++) match(pattern, values[i % 64] as string);
  return ((now() - started) * 1e6) / repeat;
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: { repeat: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (flags.help) {
    await printUsage(import.meta.url);
    return 0;
  }
  const repeat = positive('repeat', flags.repeat, 'BENCH_REPEAT', 200_000);
  const rows: { case: string; stars: number; nsPerCall: number; plainNsPerCall: number; ratio: number }[] =
    [];
  for (const c of CASES) {
    const [plainPattern, plainValue] = c.plain;
    const plainNs = time(c.match, plainPattern, plainValue, repeat);
    for (const stars of [4, 8, 16, 32, 64]) {
      const [pattern, value] = c.adversarial(stars);
      const ns = time(c.match, pattern, value, repeat);
      const ratio = ns / plainNs;
      rows.push({ case: c.name, stars, nsPerCall: ns, plainNsPerCall: plainNs, ratio });
    }
  }
  const worst = Math.max(...rows.map((r) => r.ratio));
  const pass = worst <= TARGET_RATIO;
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ repeat, rows, worstRatio: worst, target: TARGET_RATIO, pass })}\n`,
    );
  } else {
    const lines = [
      `reachgraph wildcard benchmark: ${repeat.toLocaleString('en-US')} calls per pattern`,
      '',
      `${'case'.padEnd(14)}${'`*?` runs'.padStart(10)}${'adversarial'.padStart(14)}${'plain'.padStart(12)}${'ratio'.padStart(8)}`,
      ...rows.map(
        (r) =>
          `${r.case.padEnd(14)}${String(r.stars).padStart(10)}${`${r.nsPerCall.toFixed(0)} ns`.padStart(14)}${`${r.plainNsPerCall.toFixed(0)} ns`.padStart(12)}${r.ratio.toFixed(1).padStart(8)}`,
      ),
      '',
      `worst ratio adversarial / plain ${worst.toFixed(1)} (target ≤ ${TARGET_RATIO}): ${pass ? 'PASS' : 'FAIL'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return pass ? 0 : 2;
}

// Nothing to clean up: both run in memory.
await runBench(
  async () => {
    process.exitCode = await main();
  },
  async () => {},
);
