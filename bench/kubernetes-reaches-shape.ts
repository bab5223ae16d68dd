// The shape of the reachability summary on the synthetic cluster (bench/synthetic-kubernetes.ts):
// REACHES rows by kind of source and of target, and how many of them a principal whose one way
// out is a single hop (a pod or workload through RUNS_AS its service account) merely copies from
// the principal it enters: rows identical to that principal's, one hop longer. Computed in memory
// with the summary's own route search, without Neo4j.
//
//   npx tsx bench/kubernetes-reaches-shape.ts [--pods 2500] [--seed 42] [--max-hops 6]
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { MemoryGraph } from '../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { transformKubernetes } from '../src/collectors/kubernetes/transform.js';
import { validateInventory } from '../src/model/validate.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { benchArgs, log, positive } from './lib.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

const args = await benchArgs(import.meta.url, {
  pods: { type: 'string' },
  'max-hops': { type: 'string' },
});
const pods = positive('pods', args.pods, 'BENCH_PODS', 2_500);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const maxHops = positive('max-hops', args['max-hops'], 'BENCH_MAX_HOPS', 6);

log(`synthetic cluster, ${pods} pods (seed ${seed}): analysing…`);
const { raw } = syntheticKubernetesRaw({ pods, seed });
const environment = transformKubernetes(raw);
const analysis = await analyzeKubernetes(environment);
const valid = validateInventory(
  buildKubernetesInventory(environment, analysis, { sourceName: 'shape' }),
  'shape',
);
const memory = MemoryGraph.fromInventory(valid);
const { graph, ids } = memory.hopGraph({ endingHops: false, ending: 'CAN_ACCESS', endsAt: ['Resource'] });
const kindOf = (i: number) => memory.node(ids[i] as string)?.kind ?? '?';

type Row = {
  hops: number;
  minHops: number;
  levels: number;
  allLevels: number;
  conditional: boolean;
  firstHop: number;
  via: number[];
};
const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
const rowsOf = (p: number) => {
  const out = new Map<number, Row>();
  search.fromPrincipal(p, (r) =>
    out.set(r.resource, {
      hops: r.hops,
      minHops: r.minHops,
      levels: r.levels,
      allLevels: r.allLevels,
      conditional: r.conditional,
      firstHop: r.firstHop,
      via: [...r.via],
    }),
  );
  return out;
};
const byPair = new Map<string, number>();
const bySource = new Map<string, { principals: number; rows: number; max: number }>();
let rows = 0;
let delegable = 0;
let delegableRows = 0;
const delegatesTo = new Map<number, number>();
const byDelegation = new Map<string, number>();
function* hopTargetsOf(p: number): Generator<[number, number, boolean]> {
  for (let e = graph.hopOffsets[p] as number; e < (graph.hopOffsets[p + 1] as number); e++)
    yield [graph.hopTargets[e] as number, graph.hopTypes[e] as number, graph.hopConditional[e] === 1];
  for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++) {
    const h = graph.hopMemberHubs[m] as number;
    const c = graph.hopMemberConditional[m] === 1;
    for (let e = graph.hopOffsets[h] as number; e < (graph.hopOffsets[h + 1] as number); e++)
      yield [graph.hopTargets[e] as number, graph.hopTypes[e] as number, c || graph.hopConditional[e] === 1];
  }
}
const cache = new Map<number, Map<number, Row>>();
const rowsCached = (p: number) => {
  let r = cache.get(p);
  if (!r) {
    r = rowsOf(p);
    cache.set(p, r);
  }
  return r;
};
for (let p = 0; p < graph.size; p++) {
  if (!graph.isPrincipal[p]) continue;
  const mine = rowsOf(p);
  rows += mine.size;
  const k = kindOf(p);
  const s = bySource.get(k) ?? { principals: 0, rows: 0, max: 0 };
  s.principals++;
  s.rows += mine.size;
  s.max = Math.max(s.max, mine.size);
  bySource.set(k, s);
  for (const r of mine.keys()) {
    const key = `${k} → ${kindOf(r)}`;
    byPair.set(key, (byPair.get(key) ?? 0) + 1);
  }
  // Any hop target q of p (own edge or through a hub) whose rows, one hop longer, are p's.
  const mine2 = mine;
  for (const [q, type, cond] of hopTargetsOf(p)) {
    const theirs = rowsCached(q);
    if (theirs.size !== mine2.size) continue;
    let same = true;
    for (const [r, x] of theirs) {
      const y = mine2.get(r);
      if (
        !y ||
        y.hops !== x.hops + 1 ||
        y.minHops !== x.minHops + 1 ||
        y.levels !== x.levels ||
        y.allLevels !== x.allLevels ||
        y.conditional !== (x.conditional || cond) ||
        y.firstHop !== q ||
        y.via.join() !== [type, ...x.via].join()
      ) {
        same = false;
        break;
      }
    }
    if (same) {
      delegable++;
      delegableRows += mine.size;
      delegatesTo.set(p, q);
      const key = `${k} → ${kindOf(q)}`;
      byDelegation.set(key, (byDelegation.get(key) ?? 0) + 1);
      break;
    }
  }
}
const int = (n: number) => n.toLocaleString('en-US');
const lines = [
  `reachability summary shape, synthetic cluster: ${int(pods)} pods (seed ${seed}), max hops ${maxHops}`,
  `REACHES rows: ${int(rows)}`,
  'by source kind (principals, rows, largest):',
  ...[...bySource]
    .sort((a, b) => b[1].rows - a[1].rows)
    .map(([k, s]) => `  ${k}: ${int(s.principals)}, ${int(s.rows)}, ${int(s.max)}`),
  'by source → target kind:',
  ...[...byPair].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${int(n)}`),
  `principals whose rows are exactly those of a principal they hop to, one hop longer: ${int(delegable)}, ${int(delegableRows)} rows (${((100 * delegableRows) / Math.max(rows, 1)).toFixed(1)} %)`,
  ...[...byDelegation].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${int(n)}`),
  `rows stored when one delegation stands for them (chains allowed): ${int(rows - delegableRows)}`,
  `  and when a delegate may not delegate itself: ${int(rows - [...delegatesTo].filter(([, q]) => !delegatesTo.has(q)).reduce((n, [p]) => n + (cache.get(p)?.size ?? rowsOf(p).size), 0))}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
