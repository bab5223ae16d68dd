// Where the dense account's stored summary rows come from (bench/synthetic-aws-dense.ts): after the
// summary's own plan (src/reachability/delegation.ts), the rows each kind of principal stores, how
// many principals' rows are composed in layers, how many rows come through which Grant hub, and how
// many of a principal's rows a hub's own rows give exactly. In memory, without Neo4j.
//
//   npx tsx bench/aws-rows.ts [--roles 500] [--seed 42] [--max-hops 6] [--plan-only]
//
// --plan-only stops after the plan's figures (what a CPU profile of the plan wants).
import { analyzeAws } from '../src/analyzers/aws-iam/analyze.js';
import { MemoryGraph } from '../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { validateInventory } from '../src/model/validate.js';
import { buildAwsInventory } from '../src/providers/aws/inventory.js';
import { SummaryPlanner } from '../src/reachability/delegation.js';
import { benchArgs, log, positive } from './lib.js';
import { denseAwsEnvironment } from './synthetic-aws-dense.js';

const args = await benchArgs(import.meta.url, {
  roles: { type: 'string' },
  'max-hops': { type: 'string' },
  'plan-only': { type: 'boolean' },
});
const roles = positive('roles', args.roles, 'BENCH_ROLES', 500);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const maxHops = positive('max-hops', args['max-hops'], 'BENCH_MAX_HOPS', 6);

log(`dense account, ${roles} roles (seed ${seed}): analysing…`);
const environment = denseAwsEnvironment({ roles, seed });
const analysis = await analyzeAws(environment);
const valid = validateInventory(buildAwsInventory(environment, analysis, { sourceName: 'rows' }), 'rows');
const { graph } = MemoryGraph.fromInventory(valid).hopGraph({
  endingHops: false,
  ending: 'CAN_ACCESS',
  endsAt: ['Resource'],
});
const kindOf = (p: number) => {
  const id = graph.ids[p] as string;
  const m = /:(role|user|group|assumed-role|root|federated-user|oidc-provider|saml-provider)[/:]?/.exec(id);
  if (m) return m[1] as string;
  if (id.includes(':lambda:')) return 'lambda';
  if (id.includes(':ec2:')) return 'ec2';
  return id.split(':').slice(0, 3).join(':');
};

const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
const shorter = new RouteSearch(graph, allRoutes(maxHops - 1), { routes: false });
const started = performance.now();
const cpu0 = process.cpuUsage();
const planner = new SummaryPlanner(graph, search, true, shorter, true);
const stored = new Int32Array(graph.size);
const all = new Int32Array(graph.size);
const storedByHops = new Map<number, number>();
for (let p = 0; p < graph.size; p++)
  all[p] = planner.principal(p, (row) => {
    stored[row.principal] = (stored[row.principal] as number) + 1;
    storedByHops.set(row.hops, (storedByHops.get(row.hops) ?? 0) + 1);
  });
const delegations = planner.finish((row) => {
  stored[row.principal] = (stored[row.principal] as number) + 1;
  storedByHops.set(row.hops, (storedByHops.get(row.hops) ?? 0) + 1);
});
const cpu = process.cpuUsage(cpu0);
const int = (n: number) => n.toLocaleString('en-US');
const byKind = new Map<
  string,
  { n: number; rows: number; stored: number; delegating: number; sameRows: number; conditionalHop: number }
>();
let conditionalPrincipals = 0;
for (let p = 0; p < graph.size; p++) {
  if (!graph.isPrincipal[p]) continue;
  const k = kindOf(p);
  const c = byKind.get(k) ?? { n: 0, rows: 0, stored: 0, delegating: 0, sameRows: 0, conditionalHop: 0 };
  c.n++;
  c.rows += all[p] as number;
  c.stored += stored[p] as number;
  if ((delegations.delegate[p] as number) >= 0) {
    c.delegating++;
    if (delegations.viaDigit[p] === 0) c.sameRows++;
  }
  let cond = false;
  for (let e = graph.hopOffsets[p] as number; e < (graph.hopOffsets[p + 1] as number); e++)
    if (graph.hopConditional[e]) cond = true;
  for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++)
    if (graph.hopMemberConditional[m]) cond = true;
  if (cond) {
    c.conditionalHop++;
    conditionalPrincipals++;
  }
  byKind.set(k, c);
}
const lines = [
  `dense account ${roles} roles: plan ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s (${((performance.now() - started) / 1000).toFixed(1)} s wall)`,
  `timings: ${JSON.stringify(planner.timings)}`,
  `rows ${int(all.reduce((a, b) => a + b, 0))}, stored ${int(stored.reduce((a, b) => a + b, 0))} (on hubs ${int(delegations.hubRows)}), delegations ${int(delegations.count)} (rows ${int(delegations.delegatedRows)}), principals with a conditional hop ${conditionalPrincipals}`,
  `stored by hops: ${[...storedByHops.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([h, n]) => `${h}: ${int(n)}`)
    .join(', ')}`,
  'kind: principals, rows, stored, delegating (same rows), with a conditional hop',
  ...[...byKind.entries()]
    .sort((a, b) => b[1].stored - a[1].stored)
    .map(
      ([k, c]) =>
        `  ${k}: ${c.n}, ${int(c.rows)}, ${int(c.stored)}, ${c.delegating} (${c.sameRows}), ${c.conditionalHop}`,
    ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (args['plan-only']) process.exit(0);

// Per principal: its rows by the Grant hub its chosen route leaves through (the ending edge's hub
// for a direct row, the first hop's hub otherwise), -1 for its own edges.
import { accessHubOf, hopHubOf } from '../src/answers/hop-graph.js';

const routed = new RouteSearch(graph, allRoutes(maxHops), { routes: true });
let best1 = 0;
let allHub = 0;
let total = 0;
const hubSize = new Map<number, number>();
const hubUsers = new Map<number, number>();
const perHubCount: number[] = [];
const storedOfDelegating = 0;
for (let p = 0; p < graph.size; p++) {
  if (!graph.isPrincipal[p]) continue;
  const per = new Map<number, number>();
  routed.fromPrincipal(p, (row) => {
    total++;
    const h = row.hops === 0 ? accessHubOf(graph, row.access) : hopHubOf(graph, row.slots[0] as number);
    per.set(h, (per.get(h) ?? 0) + 1);
  });
  let b = 0;
  let hubsUsed = 0;
  for (const [h, n] of per) {
    if (h < 0) continue;
    hubsUsed++;
    allHub += n;
    if (n > b) b = n;
    hubUsers.set(h, (hubUsers.get(h) ?? 0) + 1);
  }
  perHubCount[hubsUsed] = (perHubCount[hubsUsed] ?? 0) + 1;
  best1 += b;
}
for (let h = graph.hubStart; h < graph.size; h++) {
  const targets =
    (graph.accessOffsets[h + 1] as number) -
    (graph.accessOffsets[h] as number) +
    (graph.hopOffsets[h + 1] as number) -
    (graph.hopOffsets[h] as number);
  hubSize.set(h, targets);
}
let hubTargetsUsed = 0;
for (const h of hubUsers.keys()) hubTargetsUsed += hubSize.get(h) as number;
process.stdout.write(
  [
    `rows ${int(total)}; through some hub ${int(allHub)}; through each principal's best hub ${int(best1)}`,
    `hubs used ${hubUsers.size}, their legs ${int(hubTargetsUsed)}; principals by hubs they use: ${perHubCount.map((n, i) => `${i}: ${n ?? 0}`).join(', ')}`,
    `hub members used: ${[...hubUsers.values()]
      .sort((a, b) => b - a)
      .slice(0, 30)
      .join(' ')}`,
  ].join('\n') + '\n',
);
void storedOfDelegating;

// After the plan: of the principals delegating to a CAN_ACCESS hub, the other CAN_ACCESS hubs they
// are members of, whether each reaches resources disjoint from the delegate's and from the others'
// taken before it, and the rows of its principal each would give exactly (what a second delegation
// to a hub could stand for).
{
  let principalsWithOthers = 0;
  let disjointHubs = 0;
  let overlapping = 0;
  let rowsMore = 0;
  const truthOf = (p: number) => {
    const m = new Map<number, import('../src/reachability/delegation.js').SummaryRow>();
    search.fromPrincipal(p, (row) => m.set(row.resource, { ...row, via: [...row.via] }));
    return m;
  };
  for (let p = 0; p < graph.hubStart; p++) {
    const q = delegations.delegate[p] as number;
    if (q < graph.hubStart) continue;
    const taken = new Set<number>();
    for (let e = graph.accessOffsets[q] as number; e < (graph.accessOffsets[q + 1] as number); e++)
      taken.add(graph.accessTargets[e] as number);
    const truth = truthOf(p);
    let any = false;
    for (
      let m = graph.accessMemberOffsets[p] as number;
      m < (graph.accessMemberOffsets[p + 1] as number);
      m++
    ) {
      const h = graph.accessMemberHubs[m] as number;
      if (h === q) continue;
      any = true;
      const targets: number[] = [];
      for (let e = graph.accessOffsets[h] as number; e < (graph.accessOffsets[h + 1] as number); e++)
        targets.push(graph.accessTargets[e] as number);
      if (targets.some((r) => taken.has(r))) {
        overlapping++;
        continue;
      }
      disjointHubs++;
      const cond = graph.accessMemberConditional[m] as number;
      for (let e = graph.accessOffsets[h] as number; e < (graph.accessOffsets[h + 1] as number); e++) {
        const r = graph.accessTargets[e] as number;
        taken.add(r);
        const row = truth.get(r);
        // Approximation: a direct row whose levels are this hub's leg's and conditional as the leg.
        if (
          row &&
          row.hops === 0 &&
          row.levels === graph.accessLevels[e] &&
          row.conditional === (cond === 1 || graph.accessConditional[e] === 1)
        )
          rowsMore++;
      }
    }
    if (any) principalsWithOthers++;
  }
  process.stdout.write(
    `delegating to a hub and members of others: ${principalsWithOthers}; other hubs disjoint ${disjointHubs}, overlapping ${overlapping}; rows a second delegation could stand for ≈ ${int(rowsMore)}\n`,
  );
}
