// Where the service accounts' stored summary rows come from, on the synthetic cluster
// (bench/synthetic-kubernetes.ts): for every service account that stores REACHES rows of its own
// after the summary's plan (src/reachability/delegation.ts), what its hop targets are, how many of
// its rows one, two or three of them give exactly (their rows one hop longer, the match a
// delegation checks), and how many accounts have the same rows or the same hop targets. In memory,
// without Neo4j.
//
//   npx tsx bench/kubernetes-account-rows.ts [--pods 10000] [--seed 42] [--max-hops 6]
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { delegatedRow, hopTargets, SummaryPlanner } from '../src/reachability/delegation.js';
import { LayeredRows, type Rows } from '../src/reachability/layers.js';
import { syntheticHopGraph } from './kubernetes-hop-graph.js';
import { benchArgs, log, positive } from './lib.js';

const args = await benchArgs(import.meta.url, { pods: { type: 'string' }, 'max-hops': { type: 'string' } });
const pods = positive('pods', args.pods, 'BENCH_PODS', 10_000);
const seed = positive('seed', args.seed, 'BENCH_SEED', 42);
const maxHops = positive('max-hops', args['max-hops'], 'BENCH_MAX_HOPS', 6);

const { graph, ids, kindOf } = await syntheticHopGraph(pods, seed);

// The plan: which principals store rows of their own, and how many.
const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
const shorter = new RouteSearch(graph, allRoutes(maxHops - 1), { routes: false });
const planner = new SummaryPlanner(graph, search, true, shorter, true);
const stored = new Int32Array(graph.size);
for (let p = 0; p < graph.size; p++)
  planner.principal(p, (row) => {
    stored[row.principal] = (stored[row.principal] as number) + 1;
  });
const delegations = planner.finish((row) => {
  stored[row.principal] = (stored[row.principal] as number) + 1;
});
// Every principal's rows (the same composition the plan made).
const layers = new LayeredRows(graph, maxHops);
const hubRows = new Map<number, Rows>();
layers.compute({ hubRows: (h, rows) => hubRows.set(h, rows) });
const rowsOf = (p: number): Rows => layers.rows(p);

const int = (n: number) => n.toLocaleString('en-US');
const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
const accounts: number[] = [];
let accountRows = 0;
let storedRows = 0;
for (let p = 0; p < graph.size; p++) {
  if (kindOf(p) !== 'K8sServiceAccount' || (stored[p] as number) === 0) continue;
  accounts.push(p);
  storedRows += stored[p] as number;
  accountRows += rowsOf(p).resources.length;
}
const stamp = new Int32Array(graph.size).fill(-1);
const slot = new Int32Array(graph.size);
// Per principal storing rows (every kind): the rows its best hop hub (a Grant every member reaches
// the same targets through, one hop) gives exactly, and the best union of hubs, ranked.
const hubCover = new Map<
  string,
  { principals: number; rows: number; stored: number; one: number; ranked: number; any: number }
>();
const hubUse = new Map<number, number>();
for (let p = 0; p < graph.hubStart; p++) {
  if (!graph.isPrincipal[p] || (stored[p] as number) === 0 || !layers.member[p]) continue;
  const mine = rowsOf(p);
  for (let i = 0; i < mine.resources.length; i++) {
    stamp[mine.resources[i] as number] = p;
    slot[mine.resources[i] as number] = i;
  }
  const per: { h: number; matched: Set<number>; reached: number[] }[] = [];
  for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++) {
    const h = graph.hopMemberHubs[m] as number;
    const theirs = hubRows.get(h);
    if (!theirs) continue;
    const matched = new Set<number>();
    const reached: number[] = [];
    for (let j = 0; j < theirs.resources.length; j++) {
      const r = theirs.resources[j] as number;
      if (stamp[r] !== p) throw new Error('a hub reaches what its member does not');
      reached.push(r);
      if (delegatedRow(mine, slot[r] as number, theirs, j, -1, 0, 0)) matched.add(r);
    }
    per.push({ h, matched, reached });
  }
  per.sort((a, b) => b.matched.size - a.matched.size);
  const k = kindOf(p);
  const c = hubCover.get(k) ?? { principals: 0, rows: 0, stored: 0, one: 0, ranked: 0, any: 0 };
  c.principals++;
  c.rows += mine.resources.length;
  c.stored += stored[p] as number;
  c.one += per[0]?.matched.size ?? 0;
  if (per[0] && per[0].matched.size > 0) hubUse.set(per[0].h, (hubUse.get(per[0].h) ?? 0) + 1);
  const answered = new Set<number>();
  const any = new Set<number>();
  for (const x of per.slice(0, 3))
    for (const r of x.reached)
      if (!answered.has(r)) {
        answered.add(r);
        if (x.matched.has(r)) c.ranked++;
      }
  for (const x of per) for (const r of x.matched) any.add(r);
  c.any += any.size;
  hubCover.set(k, c);
}
let hubRowsStored = 0;
for (const h of hubUse.keys()) hubRowsStored += (hubRows.get(h) as Rows).resources.length;
const sharedHubs = [...hubUse.values()].filter((v) => v > 1).length;

// Per account: its hop targets, and per target the resources whose row it gives exactly.
const targetKinds = new Map<string, number>();
const targetCounts = new Map<string, { accounts: number; rows: number }>();
const bucket = (n: number) => (n <= 3 ? `${n}` : n <= 20 ? '4–20' : n <= 128 ? '21–128' : '> 128');
const cover = [0, 0, 0, 0];
const coverRanked = [0, 0, 0, 0];
const coverAll = { rows: 0 };
const rowHash = new Map<string, { accounts: number; rows: number }>();
const targetSetHash = new Map<string, { accounts: number; rows: number }>();
const allTargetsCount = { exceed: 0 };
for (const p of accounts) {
  const mine = rowsOf(p);
  const n = mine.resources.length;
  for (let i = 0; i < n; i++) {
    stamp[mine.resources[i] as number] = p;
    slot[mine.resources[i] as number] = i;
  }
  const t = hopTargets(graph, p);
  const seen = new Set<number>();
  const kinds = new Map<string, number>();
  const matchSets: { q: number; matched: Set<number>; reached: Set<number>; outside: number }[] = [];
  for (let c = 0; c < t.length; c += 3) {
    const q = t[c] as number;
    if (seen.has(q)) continue;
    seen.add(q);
    const k = kindOf(q);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    const theirs = rowsOf(q);
    const matched = new Set<number>();
    const reached = new Set<number>();
    let outside = 0;
    const digit = (t[c + 1] as number) + 1;
    for (let j = 0; j < theirs.resources.length; j++) {
      const r = theirs.resources[j] as number;
      if (stamp[r] !== p) {
        outside++;
        continue;
      }
      reached.add(r);
      if (delegatedRow(mine, slot[r] as number, theirs, j, q, digit, t[c + 2] as number)) matched.add(r);
    }
    matchSets.push({ q, matched, reached, outside });
  }
  if (seen.size > 128) allTargetsCount.exceed++;
  if (process.env.TARGETS && ids[p]?.endsWith(process.env.TARGETS)) {
    const top = [...matchSets].sort((a, b) => b.matched.size - a.matched.size).slice(0, 4);
    log(
      `${ids[p]} (${n} rows): ${top.map((m) => `${ids[m.q]} ${m.matched.size}/${m.reached.size}+${m.outside}`).join('; ')}`,
    );
  }
  const b = bucket(seen.size);
  const tc = targetCounts.get(b) ?? { accounts: 0, rows: 0 };
  tc.accounts++;
  tc.rows += stored[p] as number;
  targetCounts.set(b, tc);
  for (const [k, v] of kinds) targetKinds.set(k, (targetKinds.get(k) ?? 0) + v);
  // Greedy union of up to three targets reaching nothing outside p's rows: any of them matching.
  const eligible = matchSets.filter((m) => m.outside === 0);
  const union = new Set<number>();
  const chosen = new Set<number>();
  for (let k = 1; k <= 3; k++) {
    let best: (typeof eligible)[number] | undefined;
    let gain = 0;
    for (const m of eligible) {
      if (chosen.has(m.q)) continue;
      let g = 0;
      for (const r of m.matched) if (!union.has(r)) g++;
      if (g > gain) {
        gain = g;
        best = m;
      }
    }
    if (best) {
      chosen.add(best.q);
      for (const r of best.matched) union.add(r);
    }
    cover[k] = (cover[k] as number) + union.size;
  }
  // Ranked: a resource answers from the first chosen target reaching it, which must match.
  const answered = new Set<number>();
  let ranked = 0;
  const taken = new Set<number>();
  for (let k = 1; k <= 3; k++) {
    let best: (typeof eligible)[number] | undefined;
    let gain = 0;
    for (const m of eligible) {
      if (taken.has(m.q)) continue;
      let g = 0;
      for (const r of m.matched) if (!answered.has(r)) g++;
      if (g > gain) {
        gain = g;
        best = m;
      }
    }
    if (best) {
      taken.add(best.q);
      for (const r of best.reached)
        if (!answered.has(r)) {
          answered.add(r);
          if (best.matched.has(r)) ranked++;
        }
    }
    coverRanked[k] = (coverRanked[k] as number) + ranked;
  }
  const all = new Set<number>();
  for (const m of eligible) for (const r of m.matched) all.add(r);
  coverAll.rows += all.size;
  // Identical rows (every field), and the same set of hop targets.
  const parts: string[] = [];
  const order = Array.from(mine.resources.keys()).sort(
    (a, b) => (mine.resources[a] as number) - (mine.resources[b] as number),
  );
  for (const i of order)
    parts.push(
      `${mine.resources[i]}:${mine.hops[i]}:${mine.minHops[i]}:${mine.levels[i]}:${mine.allLevels[i]}:${mine.conditional[i]}:${mine.firstHop[i]}:${mine.via[i]}`,
    );
  const key = parts.join(',');
  const rh = rowHash.get(key) ?? { accounts: 0, rows: 0 };
  rh.accounts++;
  rh.rows = n;
  rowHash.set(key, rh);
  const tkey = [...seen].sort((a, b) => a - b).join(',');
  const th = targetSetHash.get(tkey) ?? { accounts: 0, rows: 0 };
  th.accounts++;
  th.rows += stored[p] as number;
  targetSetHash.set(tkey, th);
}
const groups = (m: Map<string, { accounts: number; rows: number }>) => {
  let shared = 0;
  let accountsIn = 0;
  let saved = 0;
  for (const g of m.values())
    if (g.accounts > 1) {
      shared++;
      accountsIn += g.accounts;
      saved += g.rows * (g.accounts - 1);
    }
  return { shared, accountsIn, saved };
};
const same = groups(rowHash);
const sameTargets = groups(targetSetHash);
const largest = [...rowHash.values()].sort((a, b) => b.accounts * b.rows - a.accounts * a.rows).slice(0, 5);
// The accounts storing the most rows: their id, hop targets by kind (every hop edge and hub pair
// edge, uncapped), rows, rows stored and the best single target's exact rows.
const detail = accounts
  .map((p) => ({ p, stored: stored[p] as number }))
  .sort((a, b) => b.stored - a.stored)
  .filter((_, i) => i < Number(process.env.DETAIL ?? 12))
  .map(({ p, stored: s }) => {
    const kinds = new Map<string, number>();
    const all = new Set<number>();
    const add = (e: number) => {
      const q = graph.hopTargets[e] as number;
      if (q === p || all.has(q)) return;
      all.add(q);
      kinds.set(kindOf(q), (kinds.get(kindOf(q)) ?? 0) + 1);
    };
    for (let e = graph.hopOffsets[p] as number; e < (graph.hopOffsets[p + 1] as number); e++) add(e);
    const hubs: string[] = [];
    for (let m = graph.hopMemberOffsets[p] as number; m < (graph.hopMemberOffsets[p + 1] as number); m++) {
      const hub = graph.hopMemberHubs[m] as number;
      hubs.push(`${ids[hub]}(${(graph.hopOffsets[hub + 1] as number) - (graph.hopOffsets[hub] as number)})`);
      for (let e = graph.hopOffsets[hub] as number; e < (graph.hopOffsets[hub + 1] as number); e++) add(e);
    }
    const own = (graph.accessOffsets[p + 1] as number) - (graph.accessOffsets[p] as number);
    return `  ${ids[p]}: rows ${int(rowsOf(p).resources.length)}, stored ${int(s)}, delegate ${delegations.delegate[p]}, own edges ${own}, own hop edges ${(graph.hopOffsets[p + 1] as number) - (graph.hopOffsets[p] as number)}, targets ${all.size} (${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); hubs ${hubs.slice(0, 6).join(' ')}${hubs.length > 6 ? ` …${hubs.length}` : ''}`;
  });
const lines = [
  `service accounts' summary rows, synthetic cluster: ${int(pods)} pods (seed ${seed}), max hops ${maxHops}`,
  `delegations ${int(delegations.count)}; service accounts storing rows: ${int(accounts.length)}, ${int(storedRows)} rows stored (${int(accountRows)} rows in all, ${int(accountRows - storedRows)} through a delegation)`,
  'by number of hop targets (accounts, rows stored):',
  ...[...targetCounts]
    .sort((a, b) => b[1].rows - a[1].rows)
    .map(([k, v]) => `  ${k}: ${int(v.accounts)}, ${int(v.rows)}`),
  `hop targets by kind (summed over accounts): ${[...targetKinds].map(([k, v]) => `${k} ${int(v)}`).join(', ')}`,
  `rows one hop longer given exactly by the best 1, 2, 3 targets (greedy union; targets reaching nothing the account does not): ${cover
    .slice(1)
    .map((c) => `${int(c)} (${pct(c, accountRows)})`)
    .join(', ')}; by every such target: ${int(coverAll.rows)} (${pct(coverAll.rows, accountRows)})`,
  `the same, ranked (a resource answers from the first target reaching it): ${coverRanked
    .slice(1)
    .map((c) => `${int(c)} (${pct(c, accountRows)})`)
    .join(', ')}`,
  `accounts with identical rows: ${int(same.accountsIn)} in ${int(same.shared)} sets, ${int(same.saved)} rows repeated (${pct(same.saved, accountRows)}); largest: ${largest.map((g) => `${g.accounts} × ${int(g.rows)}`).join(', ')}`,
  `accounts with the same hop targets: ${int(sameTargets.accountsIn)} in ${int(sameTargets.shared)} sets`,
  'principals storing rows, by kind: principals, rows in all, stored, given by their best hop hub, by their best three hubs ranked, by any hub:',
  ...[...hubCover].map(
    ([k, c]) =>
      `  ${k}: ${int(c.principals)}, ${int(c.rows)}, ${int(c.stored)}, ${int(c.one)}, ${int(c.ranked)}, ${int(c.any)}`,
  ),
  `best hubs: ${int(hubUse.size)} (${int(sharedHubs)} the best of more than one principal), ${int(hubRowsStored)} rows of their own`,
  ...[...hubUse]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(
      ([h, v]) =>
        `  ${ids[h]}: best of ${v}, ${int((hubRows.get(h) as Rows).resources.length)} rows, ${(graph.hopOffsets[h + 1] as number) - (graph.hopOffsets[h] as number)} targets`,
    ),
  'accounts storing the most rows:',
  ...detail,
];
process.stdout.write(`${lines.join('\n')}\n`);
