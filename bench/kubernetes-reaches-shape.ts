// The shape of the reachability summary on the synthetic cluster (bench/synthetic-kubernetes.ts):
// REACHES rows by kind of source and of target, and the REACHES_AS delegations the summary stores
// instead of the rows a principal merely copies from a principal it hops to (a pod or workload
// through RUNS_AS its service account; src/reachability/delegation.ts). Computed in memory with the
// summary's own route search and delegation choice, without Neo4j.
//
//   npx tsx bench/kubernetes-reaches-shape.ts [--pods 2500] [--seed 42] [--max-hops 6] [--plan-only] [--no-layers]
//
// --plan-only times the summary's plan alone (no search of every principal first, no shape by kind).
// --no-layers plans as before rows were composed in layers (src/reachability/layers.ts): searched.
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { SummaryPlanner, type SummaryRow } from '../src/reachability/delegation.js';
import { syntheticHopGraph } from './kubernetes-hop-graph.js';
import { benchArgs, positive } from './lib.js';

const args = await benchArgs(import.meta.url, {
  pods: { type: 'string' },
  'max-hops': { type: 'string' },
  'plan-only': { type: 'boolean', default: false },
  'no-layers': { type: 'boolean', default: false },
});
const pods = positive('pods', args.pods, 'BENCH_PODS', 2_500);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const maxHops = positive('max-hops', args['max-hops'], 'BENCH_MAX_HOPS', 6);

const { graph, kindOf } = await syntheticHopGraph(pods, seed);

const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
const byPair = new Map<string, number>();
const bySource = new Map<string, { principals: number; rows: number; max: number; ms: number }>();
let rows = 0;
const cpu = () => process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
let started = cpu();
for (let p = 0; p < graph.size && !args['plan-only']; p++) {
  if (!graph.isPrincipal[p]) continue;
  const k = kindOf(p);
  const s = bySource.get(k) ?? { principals: 0, rows: 0, max: 0, ms: 0 };
  const before = performance.now();
  const found = search.fromPrincipal(p, (r) => {
    const key = `${k} → ${kindOf(r.resource)}`;
    byPair.set(key, (byPair.get(key) ?? 0) + 1);
  });
  s.ms += performance.now() - before;
  rows += found;
  s.principals++;
  s.rows += found;
  s.max = Math.max(s.max, found);
  bySource.set(k, s);
}
const searchOnce = cpu() - started;
// The summary's own plan (src/reachability/delegation.ts): rows stored and delegations.
started = cpu();
const shorter = new RouteSearch(graph, allRoutes(maxHops - 1), { routes: false });
const planner = new SummaryPlanner(graph, search, true, shorter, !args['no-layers']);
const ownByKind = new Map<string, number>();
const emit = (row: Readonly<SummaryRow>) => {
  const k = kindOf(row.principal);
  ownByKind.set(k, (ownByKind.get(k) ?? 0) + 1);
};
let planned = 0;
for (let p = 0; p < graph.size; p++) planned += planner.principal(p, emit);
const delegations = planner.finish(emit);
const planCpu = cpu() - started;
const peakRss = process.resourceUsage().maxRSS / 1024;
const byDelegation = new Map<string, number>();
let chains = 0;
for (let p = 0; p < graph.size; p++) {
  const q = delegations.delegate[p] as number;
  if (q < 0) continue;
  if ((delegations.delegate[q] as number) >= 0) chains++;
  const key = `${kindOf(p)} → ${kindOf(q)}${delegations.viaDigit[p] === 0 ? ' (the same rows)' : ''}`;
  byDelegation.set(key, (byDelegation.get(key) ?? 0) + 1);
}
const stored = [...ownByKind.values()].reduce((a, b) => a + b, 0);
if (args['plan-only']) rows = planned;
else if (planned !== rows) throw new Error(`the plan found ${planned} rows, the search ${rows}`);
const int = (n: number) => n.toLocaleString('en-US');
const lines = [
  `reachability summary shape, synthetic cluster: ${int(pods)} pods (seed ${seed}), max hops ${maxHops}`,
  `REACHES rows: ${int(rows)}`,
  'by source kind (principals, rows, largest, search wall s):',
  ...[...bySource]
    .sort((a, b) => b[1].rows - a[1].rows)
    .map(
      ([k, s]) => `  ${k}: ${int(s.principals)}, ${int(s.rows)}, ${int(s.max)}, ${(s.ms / 1000).toFixed(1)}`,
    ),
  'by source → target kind:',
  ...[...byPair].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${int(n)}`),
  `REACHES_AS delegations: ${int(delegations.count)} (${int(chains)} into a principal that delegates too), standing for ${int(delegations.delegatedRows)} rows (${((100 * delegations.delegatedRows) / Math.max(rows, 1)).toFixed(1)} %); REACHES rows stored: ${int(stored)}, ${int(delegations.ownRows)} of them beside a delegation`,
  ...[...byDelegation].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${int(n)}`),
  'REACHES rows stored by source kind:',
  ...[...ownByKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${int(n)}`),
  `principals composed from the principals they hop to instead of searched: ${int(planner.timings.through)} (${int(planner.timings.layered)} in layers, ${int(planner.timings.folds)} rows folded, ${(planner.timings.composeMs / 1000).toFixed(1)} s wall)`,
  `CPU: every principal searched once ${searchOnce.toFixed(1)} s; the summary's plan ${planCpu.toFixed(1)} s (searching ${(planner.timings.searchMs / 1000).toFixed(1)} s wall, comparing and choosing ${(planner.timings.chooseMs / 1000).toFixed(1)} s wall); peak RSS ${peakRss.toFixed(0)} MB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
