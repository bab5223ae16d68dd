// Open-trust benchmark: an estate where many roles trust any AWS principal (`{"AWS": "*"}`),
// analyzed whole, with the CAN_ASSUME edge count and the time per edge family. Every principal of
// the estate may assume every such role, so an analysis that relates each caller to each role
// grows with callers × roles; Grant hubs (one per decision, with an edge into each role) grow with
// callers + roles, and the roles themselves — each a caller of all the others but not of itself —
// with roles × log2(roles) (edges/can-assume.ts, hubs per range of the group's roles).
//
//   npm run bench:open-trust [-- --roles 250,5000 --users 20 --per-pair --json]
//
// `--per-pair` writes one edge per (caller, role) pair instead: the same facts, the baseline.
//
// The estate per size: account 111111111111 with the open roles (half of them allowed
// sts:AssumeRole on `*` themselves) and `users` users without policies; account 222222222222 with
// `users` users allowed sts:AssumeRole on the first account's roles, `users` users without that
// permission, and one user allowed it on a single role.
// Target: CAN_ASSUME edges at most 2 × (principals + roles) + 2 × roles × ⌈log2 roles⌉ for every
// size; a missed target exits with 2.
import { parseArgs } from 'node:util';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import type { AwsEnvironment } from '../src/model/aws/environment.js';
import {
  account,
  allow,
  doc,
  environment,
  role,
  roleArn,
  trusts,
  user,
} from '../test/helpers/aws-environment.js';
import { log, now, positive, printUsage, runBench, seconds } from './lib.js';

const A = '111111111111';
const B = '222222222222';

function openTrustEstate(roles: number, users: number): AwsEnvironment {
  const assumeAny = doc(allow('sts:AssumeRole'));
  return environment(
    account(A, {
      roles: Array.from({ length: roles }, (_, i) =>
        role(A, `open-${i}`, trusts({ AWS: ['*'] }), i % 2 === 0 ? { policy: assumeAny } : {}),
      ),
      users: Array.from({ length: users }, (_, i) => user(A, `local-${i}`)),
    }),
    account(B, {
      users: [
        ...Array.from({ length: users }, (_, i) =>
          user(B, `allowed-${i}`, { policy: doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/*`)) }),
        ),
        ...Array.from({ length: users }, (_, i) => user(B, `denied-${i}`)),
        user(B, 'one-role', { policy: doc(allow('sts:AssumeRole', roleArn(A, 'open-0'))) }),
      ],
    }),
  );
}

const target = (principals: number, roles: number) =>
  2 * (principals + roles) + 2 * roles * Math.ceil(Math.log2(roles));

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      roles: { type: 'string' },
      users: { type: 'string' },
      'per-pair': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (flags.help) {
    await printUsage(import.meta.url);
    return 0;
  }
  const sizes = (flags.roles ?? '250,5000').split(',').map((s) => positive('roles', s, '', 250));
  const users = positive('users', flags.users, 'BENCH_USERS', 20);
  const rows = [];
  for (const roles of sizes) {
    const env = openTrustEstate(roles, users);
    const principals = roles + users * 3 + 1;
    log(
      `analyzing ${roles.toLocaleString('en-US')} open roles, ${principals.toLocaleString('en-US')} principals…`,
    );
    const started = now();
    const analysis = await analyzeAws(env, { grantHubs: flags['per-pair'] !== true });
    const ms = now() - started;
    const canAssume = analysis.edges.filter((e) => e.type === 'CAN_ASSUME').length;
    rows.push({
      roles,
      principals,
      canAssumeEdges: canAssume,
      edges: analysis.edges.length,
      seconds: seconds(ms),
      durationMs: analysis.stats.durationMs,
      target: target(principals, roles),
      pass: canAssume <= target(principals, roles),
    });
  }
  const pass = rows.every((r) => r.pass);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ users, rows, pass })}\n`);
  } else {
    const lines = [
      'reachgraph open-trust benchmark: roles trusting {"AWS": "*"}',
      '',
      `${'roles'.padStart(8)}${'principals'.padStart(12)}${'CAN_ASSUME'.padStart(12)}${'all edges'.padStart(11)}${'analysis'.padStart(10)}${'can-assume'.padStart(12)}  target`,
      ...rows.map(
        (r) =>
          `${r.roles.toLocaleString('en-US').padStart(8)}${r.principals.toLocaleString('en-US').padStart(12)}${r.canAssumeEdges.toLocaleString('en-US').padStart(12)}${r.edges.toLocaleString('en-US').padStart(11)}${`${r.seconds.toFixed(1)} s`.padStart(10)}${`${seconds(r.durationMs['can-assume'] ?? 0).toFixed(1)} s`.padStart(12)}  ${r.pass ? 'PASS' : 'FAIL'} (≤ ${r.target.toLocaleString('en-US')})`,
      ),
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
