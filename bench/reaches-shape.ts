// The shape of the reachability summary on the dense account (bench/synthetic-aws-dense.ts): how
// many REACHES rows there are by hop count, how many end with a CAN_ACCESS edge through a Grant hub
// or start with a hop through one, and how many rows a summary would hold if it stored, per
// principal, the last principal of each route (principal → principal rows) with that principal's
// own access edges, instead of one row per (principal, resource). Computed in memory with the
// summary's own route search, without Neo4j.
//
//   npx tsx bench/reaches-shape.ts [--roles 500] [--seed 42] [--max-hops 6]
import { parseArgs } from 'node:util';
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { accessHubOf, hopHubOf } from '../src/answers/hop-graph.js';
import { MemoryGraph } from '../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { log, positive, printUsage } from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';

const { values: args } = parseArgs({
  options: {
    roles: { type: 'string' },
    seed: { type: 'string' },
    'max-hops': { type: 'string' },
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
const maxHops = positive('max-hops', args['max-hops'], 'BENCH_MAX_HOPS', 6);

log(`dense account, ${roles} roles (seed ${seed}): analysing…`);
const environment = denseAwsEnvironment({ roles, seed });
const analysis = await analyzeAws(environment);
const valid = validateInventory(buildAwsInventory(environment, analysis, { sourceName: 'shape' }), 'shape');
const { graph } = MemoryGraph.fromInventory(valid).hopGraph({
  endingHops: false,
  ending: 'CAN_ACCESS',
  endsAt: ['Resource'],
});

const byHops = new Map<number, number>();
let rows = 0;
let endThroughHub = 0;
let startThroughHub = 0;
// Rows stored per (principal, the route's last principal) instead of per (principal, resource).
let lastPrincipalPairs = 0;
const search = new RouteSearch(graph, allRoutes(maxHops), { routes: true });
let principals = 0;
for (let p = 0; p < graph.size; p++) {
  if (!graph.isPrincipal[p]) continue;
  principals++;
  const lasts = new Set<number>();
  search.fromPrincipal(p, (row) => {
    rows++;
    byHops.set(row.hops, (byHops.get(row.hops) ?? 0) + 1);
    if (accessHubOf(graph, row.access) >= 0) endThroughHub++;
    const first = row.slots[0];
    if (first !== undefined && hopHubOf(graph, first) >= 0) startThroughHub++;
    const last = row.slots.at(-1);
    lasts.add(last === undefined ? p : (graph.hopTargets[last] as number));
  });
  lastPrincipalPairs += lasts.size;
}
let ownAccess = 0;
for (let p = 0; p < graph.size; p++)
  if (graph.isPrincipal[p])
    ownAccess += (graph.accessOffsets[p + 1] as number) - (graph.accessOffsets[p] as number);
let hubAccess = 0;
for (let h = graph.hubStart; h < graph.size; h++)
  hubAccess += (graph.accessOffsets[h + 1] as number) - (graph.accessOffsets[h] as number);

const pct = (n: number) => `${((100 * n) / Math.max(rows, 1)).toFixed(1)} %`;
const int = (n: number) => n.toLocaleString('en-US');
const lines = [
  `reachability summary shape, dense account: ${roles} roles (seed ${seed}), max hops ${maxHops}`,
  `${int(principals)} principals, ${int(graph.size - graph.hubStart)} hub rows, ${int(ownAccess)} CAN_ACCESS edges, ${int(hubAccess)} CAN_ACCESS hub legs`,
  `REACHES rows: ${int(rows)}`,
  ...[...byHops.entries()]
    .sort(([a], [b]) => a - b)
    .map(
      ([hops, n]) =>
        `  ${hops === 0 ? 'direct (one CAN_ACCESS edge)' : `${hops} hop edge${hops === 1 ? '' : 's'} first`}: ${int(n)} (${pct(n)})`,
    ),
  `rows whose CAN_ACCESS comes through a Grant hub: ${int(endThroughHub)} (${pct(endThroughHub)})`,
  `rows whose first hop comes through a Grant hub: ${int(startThroughHub)} (${pct(startThroughHub)})`,
  `(principal, last principal of the route) pairs: ${int(lastPrincipalPairs)}; with the CAN_ACCESS edges they end with: ${int(lastPrincipalPairs + ownAccess)} (${pct(lastPrincipalPairs + ownAccess)} of the rows)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
