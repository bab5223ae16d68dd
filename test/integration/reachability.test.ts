import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { denseAwsEnvironment } from '../../bench/synthetic-aws-dense.js';
import { syntheticKubernetesRaw } from '../../bench/synthetic-kubernetes.js';
import { analyzeAws } from '../../src/analyzers/aws-iam/analyze.js';
import { analyzeKubernetes } from '../../src/analyzers/kubernetes/analyze.js';
import { RowCursor } from '../../src/answers/hop-graph.js';
import { allRoutes, RouteSearch } from '../../src/answers/route-search.js';
import { transformKubernetes } from '../../src/collectors/kubernetes/transform.js';
import { cypherFile } from '../../src/graph/cypher-files.js';
import { GraphExecutor } from '../../src/graph/executor.js';
import { loadInventory } from '../../src/graph/loader.js';
import type { InventoryInput } from '../../src/model/inventory.js';
import { ACCESS_LEVELS } from '../../src/model/properties.js';
import { HOP_TYPES } from '../../src/model/relationship-kinds.js';
import { parseInventoryText, validateInventory } from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { buildAwsInventory } from '../../src/providers/aws/inventory.js';
import { buildKubernetesInventory } from '../../src/providers/kubernetes/inventory.js';
import { decodeVia, HOP_TYPE_CODES, levelsOfMask } from '../../src/reachability/codes.js';
import { computeReachability, ReachabilityError } from '../../src/reachability/compute.js';
import { readReachGraph } from '../../src/reachability/read.js';
import { A, arn, B, estate } from '../fixtures/inventories.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

const executor: GraphExecutor = testExecutor();
const valid = (input: unknown) => validateInventory(input, 'test');

beforeEach(() => wipe(executor));
afterAll(() => executor.close());

// ── The on-demand answers the summary must equal (bounded, typed, directed path patterns) ─────────
const HOPS = HOP_TYPES.join('|');
const UNCONDITIONAL = 'WHERE NOT coalesce(h.conditional, false)';

interface Reach {
  hops: number;
  minHops: number;
  levels: string[];
  allLevels: string[];
  conditional: boolean;
}

/**
 * Per (principal, resource), over the answer's routes (those whose CAN_ACCESS grants a data level,
 * when any does; else all): shortest hop count, levels on the shortest of them, conditional; and
 * the levels on every route and the shortest hop count of any route.
 */
async function onDemand(maxHops = 6): Promise<Map<string, Reach>> {
  const toData = `WHERE any(l IN a.levels WHERE l IN ['read', 'write', 'permissions'])`;
  const shortestAll = await shortestRoutes(maxHops, '');
  const shortestData = new Map((await shortestRoutes(maxHops, toData)).map((d) => [`${d.s} > ${d.r}`, d]));
  const cleanAll = await cleanRoutes(maxHops, '');
  const cleanData = new Map((await cleanRoutes(maxHops, toData)).map((c) => [`${c.s} > ${c.r}`, c.hops]));
  const any = await executor.read<{ s: string; r: string; levels: string[][] }>(
    `MATCH (s:Principal) (()-[:${HOPS}]->()){0,${maxHops}} (x:Principal)
     WITH DISTINCT s, x
     MATCH (x)-[a:CAN_ACCESS]->(r:Resource)
     RETURN s.id AS s, r.id AS r, collect(a.levels) AS levels`,
  );
  const cleanHops = new Map(cleanAll.map((c) => [`${c.s} > ${c.r}`, c.hops]));
  const allLevels = new Map(any.map((a) => [`${a.s} > ${a.r}`, sortLevels(a.levels.flat())]));
  const out = new Map<string, Reach>();
  for (const any of shortestAll) {
    const key = `${any.s} > ${any.r}`;
    expect(out.has(key), `ALL SHORTEST groups by pair: ${key}`).toBe(false);
    const data = shortestData.get(key);
    const row = data ?? any;
    out.set(key, {
      hops: row.hops,
      minHops: any.hops,
      levels: sortLevels(row.levels.flat()),
      allLevels: allLevels.get(key) ?? [],
      conditional: (data ? cleanData : cleanHops).get(key) !== row.hops,
    });
  }
  return out;
}

async function shortestRoutes(maxHops: number, where: string) {
  return executor.read<{ s: string; r: string; hops: number; levels: string[][] }>(
    `MATCH p = ALL SHORTEST (s:Principal) (()-[:${HOPS}]->()){0,${maxHops}} (x:Principal)-[a:CAN_ACCESS ${where}]->(r:Resource)
     RETURN s.id AS s, r.id AS r, length(p) - 1 AS hops, collect(a.levels) AS levels`,
  );
}

async function cleanRoutes(maxHops: number, where: string) {
  const clean = where
    ? `${where} AND NOT coalesce(a.conditional, false)`
    : 'WHERE NOT coalesce(a.conditional, false)';
  return executor.read<{ s: string; r: string; hops: number }>(
    `MATCH p = SHORTEST 1 (s:Principal) (()-[h:${HOPS} ${UNCONDITIONAL}]->()){0,${maxHops}}
       (x:Principal)-[a:CAN_ACCESS ${clean}]->(r:Resource)
     RETURN s.id AS s, r.id AS r, length(p) - 1 AS hops`,
  );
}

const sortLevels = (levels: string[]) => ACCESS_LEVELS.filter((l) => levels.includes(l)) as string[];

interface SummaryRow extends Reach {
  s: string;
  r: string;
  firstHop: string;
  viaTypes: string[];
  /** The resource's scope. */
  scope: string | null;
  firstSeen: string;
  digest: number;
}

/**
 * Every answer of the summary, its integer encodings decoded: the REACHES rows and those the
 * REACHES_AS delegations stand for, read through the one expansion every reader uses.
 */
async function summary(): Promise<SummaryRow[]> {
  const rows = await executor.read<
    Omit<SummaryRow, 'levels' | 'allLevels' | 'viaTypes'> & {
      levelMask: number;
      allLevelMask: number;
      viaCode: number;
    }
  >(
    `MATCH (s:Principal)
     ${cypherFile('reachability/summary-rows').text}
     RETURN s.id AS s, r.id AS r, x.hops AS hops, x.minHops AS minHops, x.levelMask AS levelMask,
       x.allLevelMask AS allLevelMask, x.conditional AS conditional, x.firstHop AS firstHop, x.viaCode AS viaCode,
       r.scope AS scope, x.firstSeen AS firstSeen, x.digest AS digest ORDER BY s, r`,
  );
  return rows.map(({ levelMask, allLevelMask, viaCode, ...row }) => ({
    ...row,
    levels: levelsOfMask(levelMask),
    allLevels: levelsOfMask(allLevelMask),
    viaTypes: decodeVia(viaCode),
  }));
}

/** The summary equals the on-demand answers, and each row's route (first hop, hop types) exists. */
async function expectSummaryMatchesOnDemand(maxHops = 6): Promise<number> {
  const rows = await summary();
  const expected = await onDemand(maxHops);
  const got = new Map(
    rows.map((r) => [
      `${r.s} > ${r.r}`,
      {
        hops: r.hops,
        minHops: r.minHops,
        levels: r.levels,
        allLevels: r.allLevels,
        conditional: r.conditional,
      },
    ]),
  );
  expect(got).toEqual(expected);

  const [check] = await executor.read<{ missing: string[] }>(
    `UNWIND $rows AS row
     MATCH (s:Principal {id: row.s}), (r:Resource {id: row.r})
     OPTIONAL CALL (s, r, row) {
       MATCH p = (s)-[rels:${HOPS}*0..${maxHops}]->(x:Principal)-[a:CAN_ACCESS]->(r)
       WHERE size(rels) = row.hops AND [rel IN rels | type(rel)] = row.viaTypes
         AND CASE size(rels) WHEN 0 THEN row.firstHop = r.id ELSE endNode(rels[0]).id = row.firstHop END
         AND (row.conditional OR all(rel IN relationships(p) WHERE NOT coalesce(rel.conditional, false)))
       RETURN p LIMIT 1
     }
     WITH row, p WHERE p IS NULL
     RETURN collect(row.s + ' > ' + row.r) AS missing`,
    { rows },
  );
  expect(check?.missing).toEqual([]);
  return rows.length;
}

// ── Seeded random estates ───────────────────────────────────────────────────────────────────────
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Roles and Lambda functions in two accounts, buckets, random hop edges of every type (CAN_ASSUME
 * into roles, RUNS_AS from functions), random CAN_ACCESS with random levels; a quarter of the edges
 * conditional. `drop` removes some edges, to re-run against a changed estate.
 */
function randomEstate(seed: number, drop: (index: number) => boolean = () => false): InventoryInput {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const account = () => (next() < 0.5 ? A : B);
  const roles = Array.from({ length: 18 }, (_, i) => ({ id: arn(account(), `role/r${i}`), kind: 'AwsRole' }));
  const functions = Array.from({ length: 5 }, (_, i) => ({
    id: `arn:aws:lambda:eu-west-1:${account()}:function:f${i}`,
    kind: 'AwsLambdaFunction',
  }));
  const buckets = Array.from({ length: 8 }, (_, i) => ({
    id: `arn:aws:s3:::bucket-${i}`,
    kind: 'AwsS3Bucket',
  }));
  const principals = [...roles, ...functions];
  const scopeOf = (id: string) => `aws:${id.match(/\d{12}/)?.[0] ?? (next() < 0.5 ? A : B)}`;
  const nodes = [
    ...principals.map((p) => ({
      id: p.id,
      kind: p.kind,
      scope: scopeOf(p.id),
      properties: { name: p.id.split(/[/:]/).pop() as string, nonHuman: true, nhiType: 'role' },
    })),
    ...buckets.map((b, i) => ({
      id: b.id,
      kind: b.kind,
      scope: i % 2 ? `aws:${A}` : `aws:${B}`,
      properties: { name: `bucket-${i}`, environment: 'production' },
    })),
  ];
  const evidence = (ref: string) => {
    const conditional = next() < 0.25;
    return [
      {
        source: 'identity-policy' as const,
        ref,
        statement: '#0',
        reason: 'random',
        ...(conditional ? { conditions: ['aws:SourceIp'] } : {}),
      },
    ];
  };
  const relationships: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const add = (type: string, from: string, to: string, properties: Record<string, unknown> = {}) => {
    const key = `${type} ${from} ${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    relationships.push({ type, from, to, properties, evidence: evidence(from) });
  };
  for (let i = 0; i < 40; i++) {
    const type = pick(HOP_TYPES);
    if (type === 'CAN_ASSUME') add(type, pick(principals).id, pick(roles).id);
    else if (type === 'RUNS_AS') add(type, pick(functions).id, pick(roles).id);
    else if (type === 'CAN_ESCALATE')
      add(type, pick(principals).id, pick(principals).id, { technique: 'iam-attach-role-policy' });
    else add(type, pick(principals).id, pick(principals).id);
  }
  for (let i = 0; i < 22; i++) {
    const levels = ACCESS_LEVELS.filter(() => next() < 0.4);
    add('CAN_ACCESS', pick(principals).id, pick([...buckets, ...functions]).id, {
      levels: levels.length ? levels : ['read'],
    });
  }
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: `random-${seed}` },
    scopes: [
      { id: `aws:${A}`, provider: 'aws' },
      { id: `aws:${B}`, provider: 'aws' },
    ],
    nodes,
    relationships: relationships.filter((_, i) => !drop(i)),
  } as unknown as InventoryInput;
}

describe('reachability summary against a real Neo4j', () => {
  it('equals the on-demand path answer on the sample inventory and the fixture estate', async () => {
    const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
    await loadInventory(executor, parseInventoryText(text, 'sample'));
    const stats = await computeReachability(executor);
    expect(stats.rows).toBeGreaterThan(0);
    expect(await expectSummaryMatchesOnDemand()).toBe(stats.rows - stats.hubRows + stats.delegatedRows);
    // The search's share is a part of the search and write phase (the clocks are not mixed).
    expect(stats.timings.searchMs).toBeGreaterThanOrEqual(0);
    expect(stats.timings.searchMs).toBeLessThanOrEqual(stats.timings.searchAndWriteMs + 1);

    await wipe(executor);
    await loadInventory(executor, valid(estate(1)));
    await computeReachability(executor);
    expect(await expectSummaryMatchesOnDemand()).toBeGreaterThan(0);
    // app (account B) assumes ci, ci assumes deployer, deployer writes the bucket.
    const rows = await summary();
    expect(rows.find((r) => r.s === arn(B, 'role/app'))).toMatchObject({
      r: 'arn:aws:s3:::prod-data',
      hops: 2,
      firstHop: arn(A, 'role/ci'),
      viaTypes: ['CAN_ASSUME', 'CAN_ASSUME'],
      levels: ['read', 'write'],
      conditional: false,
      scope: `aws:${A}`,
    });
  });

  it('equals the on-demand answer on seeded random estates (hops, levels, conditional, routes)', async () => {
    const seen = {
      conditional: 0,
      unconditional: 0,
      deep: 0,
      widerAllLevels: 0,
      dataBeyondMetadata: 0,
      delegations: 0,
    };
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      await wipe(executor);
      await loadInventory(executor, valid(randomEstate(seed)));
      const stats = await computeReachability(executor, { batchSize: 7, pageSize: 5 });
      expect(stats.rows, `seed ${seed}`).toBeGreaterThan(0);
      expect(await expectSummaryMatchesOnDemand(), `seed ${seed}`).toBe(
        stats.rows - stats.hubRows + stats.delegatedRows,
      );
      seen.delegations += stats.delegations;
      for (const row of await summary()) {
        seen[row.conditional ? 'conditional' : 'unconditional']++;
        if (row.hops >= 3) seen.deep++;
        if (row.allLevels.length > row.levels.length) seen.widerAllLevels++;
        if (row.minHops < row.hops) seen.dataBeyondMetadata++;
      }
    }
    // The estates exercise every distinction the summary makes.
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  });

  it('honours a smaller hop bound', async () => {
    await loadInventory(executor, valid(randomEstate(7)));
    const stats = await computeReachability(executor, { maxHops: 1 });
    expect(await expectSummaryMatchesOnDemand(1)).toBe(stats.rows - stats.hubRows + stats.delegatedRows);
    const [bound] = await executor.read<{ hops: number[] }>(
      'MATCH ()-[x:REACHES]->() RETURN collect(DISTINCT x.maxHops) AS hops',
    );
    expect(bound?.hops).toEqual([1]);
  });

  it('marks a pair conditional only when every shortest route is', async () => {
    await loadInventory(executor, valid(conditionalEstate()));
    await computeReachability(executor);
    const rows = new Map((await summary()).map((r) => [`${r.s} > ${r.r}`, r]));
    // Two 1-hop routes to the bucket: through a conditional trust and through a plain one.
    expect(rows.get(`${arn(A, 'role/start')} > arn:aws:s3:::prod-data`)).toMatchObject({
      hops: 1,
      conditional: false,
      firstHop: arn(A, 'role/plain'),
    });
    // Direct but conditional access; the unconditional route is one hop longer: still conditional.
    expect(rows.get(`${arn(A, 'role/plain')} > arn:aws:s3:::logs`)).toMatchObject({
      hops: 0,
      conditional: true,
    });
    await expectSummaryMatchesOnDemand();
  });

  it('re-running is idempotent and keeps firstSeen; a removed edge removes its rows', async () => {
    const first = await loadInventory(executor, valid(randomEstate(11)));
    await computeReachability(executor, { runId: first.runId, delegation: false });
    const before = await summary();
    const ids = () =>
      executor.read<{ id: string }>('MATCH ()-[x:REACHES]->() RETURN elementId(x) AS id ORDER BY id');
    const idsBefore = await ids();
    const again = await computeReachability(executor, { runId: 'run-again', delegation: false });
    // Nothing changed: nothing is written, every row stays as it was.
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: before.length, deleted: 0 });
    expect(await summary()).toEqual(before);
    expect(await ids()).toEqual(idsBefore);

    // The same estate without some edges: their rows go, the others keep their firstSeen.
    const second = await loadInventory(executor, valid(randomEstate(11, (i) => i % 3 === 0)));
    const stats = await computeReachability(executor, { runId: second.runId, delegation: false });
    const now = await summary();
    expect(stats.deleted).toBeGreaterThan(0);
    expect(stats.created).toBe(countNew(before, now));
    expect(now.length).toBe(before.length - stats.deleted + stats.created);
    expect(stats.rows).toBe(now.length);
    await expectSummaryMatchesOnDemand();
    const firstSeen = new Map(before.map((r) => [`${r.s} > ${r.r}`, r.firstSeen]));
    for (const row of now) {
      const earlier = firstSeen.get(`${row.s} > ${row.r}`);
      if (earlier) expect(row.firstSeen).toBe(earlier);
    }
  });

  it('delegations: answers equal the rows written out; a re-run confirms them; own rows beside a delegation, the same rows, chains of up to four', async () => {
    // A seeded synthetic cluster: its pods and workloads reach secrets through their service accounts.
    const environment = transformKubernetes(syntheticKubernetesRaw({ pods: 400, seed: 5 }).raw);
    const cluster = buildKubernetesInventory(environment, await analyzeKubernetes(environment), {
      sourceName: 'cluster',
    });
    await loadInventory(executor, valid(cluster));
    const strip = (list: SummaryRow[]) => list.map(({ digest: _d, firstSeen: _f, ...rest }) => rest);
    const written = await computeReachability(executor, { runId: 'run-1', delegation: false });
    expect(written.delegations).toBe(0);
    const rows = await summary();
    expect(rows.length).toBe(written.rows);

    const first = await computeReachability(executor, { runId: 'run-2' });
    expect(first.delegations).toBeGreaterThan(0);
    expect(first.rows - first.hubRows + first.delegatedRows).toBe(written.rows);
    expect(first.deleted).toBe(first.delegatedRows);
    expect(strip(await summary())).toEqual(strip(rows));
    // Nodes keep the rows their own pods give shorter beside their delegation; DaemonSet pods delegate
    // to their node, which delegates; accounts that may create privileged pods (every node) take the
    // same rows as one of them (via digit 0), and their pods delegate to them: chains of up to four.
    const [mixed] = await executor.read<{
      both: number;
      same: number;
      sameInChains: number;
      sameFirst: number;
      four: number;
      longer: number;
    }>(
      `CALL () { MATCH (s)-[:REACHES_AS]->() WHERE EXISTS { (s)-[:REACHES]->() } RETURN count(s) AS both }
       CALL () { MATCH ()-[d:REACHES_AS {viaDigit: 0}]->() RETURN count(d) AS same }
       CALL () { MATCH ()-[:REACHES_AS]->()-[:REACHES_AS {viaDigit: 0}]->() RETURN count(*) AS sameInChains }
       CALL () { MATCH ()-[:REACHES_AS {viaDigit: 0}]->()-[:REACHES_AS]->() RETURN count(*) AS sameFirst }
       CALL () { MATCH ()-[:REACHES_AS*4]->() RETURN count(*) AS four }
       CALL () { MATCH ()-[:REACHES_AS*5]->() RETURN count(*) AS longer }
       RETURN both, same, sameInChains, sameFirst, four, longer`,
    );
    expect(mixed?.both).toBeGreaterThan(0);
    expect(mixed?.same).toBeGreaterThan(0);
    expect(mixed?.sameInChains).toBeGreaterThan(0);
    expect(mixed?.sameFirst).toBeGreaterThan(0);
    expect(mixed?.four).toBeGreaterThan(0);
    expect(mixed?.longer).toBe(0);

    const again = await computeReachability(executor, { runId: 'run-3' });
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0, delegations: first.delegations });
    expect(strip(await summary())).toEqual(strip(rows));

    const back = await computeReachability(executor, { runId: 'run-4', delegation: false });
    expect(back.deleted).toBe(first.delegations + first.hubRows);
    expect(strip(await summary())).toEqual(strip(rows));
  }, 300_000);

  it('delegations to CAN_ACCESS hubs: on a dense AWS account, answers equal the rows written out; a re-run confirms them', async () => {
    // Roles and users reaching buckets through one s3:* statement (a CAN_ACCESS Grant hub), with
    // conditional trust and escalation hops: their direct rows through the hub are stored once, on it.
    const environment = denseAwsEnvironment({ roles: 60, seed: 3 });
    const account = buildAwsInventory(environment, await analyzeAws(environment), { sourceName: 'dense' });
    await loadInventory(executor, valid(account));
    const strip = (list: SummaryRow[]) => list.map(({ digest: _d, firstSeen: _f, ...rest }) => rest);
    const written = await computeReachability(executor, { runId: 'run-1', delegation: false });
    expect(written.hubRows).toBe(0);
    const rows = await summary();
    expect(rows.length).toBe(written.rows);

    const first = await computeReachability(executor, { runId: 'run-2' });
    expect(first.hubRows).toBeGreaterThan(0);
    expect(first.rows - first.hubRows + first.delegatedRows).toBe(written.rows);
    expect(strip(await summary())).toEqual(strip(rows));
    const [hubs] = await executor.read<{ delegating: number; conditional: number; hubRows: number }>(
      `CALL () { MATCH (:Principal)-[d:REACHES_AS {viaDigit: 0}]->(:Grant) RETURN count(d) AS delegating,
                   count(CASE WHEN d.conditional THEN 1 END) AS conditional }
       CALL () { MATCH (:Grant)-[x:REACHES]->() RETURN count(x) AS hubRows }
       RETURN delegating, conditional, hubRows`,
    );
    expect(hubs?.delegating).toBeGreaterThan(0);
    expect(hubs?.hubRows).toBe(first.hubRows);

    const again = await computeReachability(executor, { runId: 'run-3' });
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0, delegations: first.delegations });
    expect(strip(await summary())).toEqual(strip(rows));

    const back = await computeReachability(executor, { runId: 'run-4', delegation: false });
    expect(back.deleted).toBe(first.delegations + first.hubRows);
    expect(strip(await summary())).toEqual(strip(rows));
  }, 300_000);

  it("on dense AWS accounts, every answer read through the fragment is the full search's over the graph read back", async () => {
    // Conditional trust (MFA, ExternalId), conditional escalations and trust-class and escalation
    // hubs with conditional legs: every principal's rows are composed in layers (layers.ts), none
    // searched, and stored with delegations. Each answer as every reader gets it (the fragment) must
    // be what the route search gives that principal over the graph as loaded.
    for (const seed of [4, 5]) {
      await wipe(executor);
      const environment = denseAwsEnvironment({ roles: 60, seed });
      const account = buildAwsInventory(environment, await analyzeAws(environment), { sourceName: 'dense' });
      await loadInventory(executor, valid(account));
      const stats = await computeReachability(executor, { runId: `run-${seed}` });
      expect(stats.delegations).toBeGreaterThan(0);
      const { graph } = await readReachGraph(executor, { pageSize: 1_000, existing: false });
      const search = new RouteSearch(graph, allRoutes(6), { routes: false });
      const expected: Omit<SummaryRow, 'scope' | 'firstSeen' | 'digest'>[] = [];
      let conditionalHops = 0;
      for (let p = 0; p < graph.size; p++) {
        if (!graph.isPrincipal[p]) continue;
        const cursor = new RowCursor(graph, false);
        cursor.open(p);
        while (cursor.next()) if (cursor.conditional) conditionalHops++;
        search.fromPrincipal(p, (row) =>
          expected.push({
            s: graph.ids[p] as string,
            r: graph.ids[row.resource] as string,
            hops: row.hops,
            minHops: row.minHops,
            levels: levelsOfMask(row.levels),
            allLevels: levelsOfMask(row.allLevels),
            conditional: row.conditional,
            firstHop: graph.ids[row.firstHop] as string,
            viaTypes: row.via.map((code) => HOP_TYPE_CODES[code] as string),
          }),
        );
      }
      expect(conditionalHops, `seed ${seed}`).toBeGreaterThan(0);
      const order = (a: { s: string; r: string }, b: { s: string; r: string }) =>
        a.s < b.s ? -1 : a.s > b.s ? 1 : a.r < b.r ? -1 : a.r > b.r ? 1 : 0;
      const got = (await summary()).map(({ scope: _s, firstSeen: _f, digest: _d, ...rest }) => rest);
      expect(got.length, `seed ${seed}`).toBe(expected.length);
      expect(got.sort(order), `seed ${seed}`).toEqual(expected.sort(order));
    }
  }, 300_000);

  it('rows of other scopes are left alone when scopes are given', async () => {
    await loadInventory(executor, valid(randomEstate(12)));
    await computeReachability(executor, { runId: 'run-all', delegation: false });
    const all = await summary();
    // Spoil every row's digest: a computation rewrites exactly the rows it is responsible for.
    await executor.write('MATCH ()-[x:REACHES]->() SET x.digest = 0');
    const stats = await computeReachability(executor, { runId: 'run-a', scopes: [`aws:${A}`] });
    const rows = await summary();
    const inA = (r: SummaryRow) => r.scope === `aws:${A}`;
    expect(rows.filter(inA).length).toBeGreaterThan(0);
    expect(rows.filter((r) => !inA(r)).length).toBeGreaterThan(0);
    for (const row of rows) expect(row.digest !== 0).toBe(inA(row));
    const strip = (list: SummaryRow[]) => list.map(({ digest: _, ...rest }) => rest);
    expect(strip(rows)).toEqual(strip(all));
    expect(stats).toMatchObject({
      rows: rows.filter(inA).length,
      updated: rows.filter(inA).length,
      deleted: 0,
    });
  });

  it('a machine too busy to hand a write its connection in time slows the summary down, never fails it', async () => {
    await loadInventory(executor, valid(randomEstate(14)));
    const expected = await computeReachability(executor, { runId: 'run-quiet', delegation: false });
    const rows = await summary();
    await executor.write('MATCH ()-[x:REACHES]->() DELETE x');
    // A driver whose connections must come within 200 ms, and a machine that keeps this process's
    // event loop from turning for 600 ms right after each of the first summary writes starts (the
    // search of a large cluster, or other work on a shared machine): their connections time out.
    const fresh = GraphExecutor.connect(testNeo4j(), { connectionAcquisitionTimeoutMs: 200 });
    let hogs = 0;
    const busyExecutor = new Proxy(fresh, {
      get(target, key, receiver) {
        if (key === 'write')
          return (...args: Parameters<GraphExecutor['write']>) => {
            const written = target.write(...args);
            if (String(args[2]?.action).startsWith('writing reachability') && hogs++ < 3)
              setImmediate(() => {
                const until = Date.now() + 600;
                while (Date.now() < until);
              });
            return written;
          };
        return Reflect.get(target, key, receiver);
      },
    });
    try {
      const stats = await computeReachability(busyExecutor, {
        runId: 'run-busy',
        delegation: false,
        batchSize: 2,
      });
      expect(hogs).toBeGreaterThanOrEqual(3);
      expect(stats).toMatchObject({ rows: expected.rows, created: expected.rows });
    } finally {
      await fresh.close();
    }
    const strip = (list: SummaryRow[]) => list.map(({ digest: _d, firstSeen: _f, ...rest }) => rest);
    expect(strip(await summary())).toEqual(strip(rows));
  });

  /** The executor, with its `count`-th write whose action starts with `action` failing. */
  function failingAt(action: string, count: number): { executor: GraphExecutor; attempts: string[] } {
    const attempts: string[] = [];
    let seen = 0;
    const failing = new Proxy(executor, {
      get(target, key, receiver) {
        if (key === 'write')
          return (...args: Parameters<GraphExecutor['write']>) => {
            const what = String(args[2]?.action);
            attempts.push(what);
            if (what.startsWith(action) && ++seen === count)
              return Promise.reject(new Error('connection reset'));
            return target.write(...args);
          };
        return Reflect.get(target, key, receiver);
      },
    });
    return { executor: failing, attempts };
  }

  it('a computation failing while it writes rows deletes nothing', async () => {
    await loadInventory(executor, valid(randomEstate(13)));
    await computeReachability(executor, { runId: 'run-good' });
    const before = await summary();
    // Rows now stale, and (another hop bound) every other row to rewrite: several batches of writes.
    await executor.write('MATCH ()-[a:CAN_ACCESS]->() WITH a LIMIT 5 DELETE a');
    const failing = failingAt('writing reachability', 2);
    const error = await computeReachability(failing.executor, {
      runId: 'run-bad',
      batchSize: 3,
      maxHops: 5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReachabilityError);
    expect(String(error)).toMatch(/no summary row was deleted: connection reset/);
    expect(failing.attempts.filter((a) => a.startsWith('deleting'))).toEqual([]);
    // Rows written before the failure were only refreshed or added: every answer before is still there.
    const after = new Set((await summary()).map((r) => `${r.s} > ${r.r}`));
    for (const row of before) expect(after.has(`${row.s} > ${row.r}`), `${row.s} > ${row.r}`).toBe(true);
  });

  it('a computation failing during its cleanup has written every row; the next deletes the stale rest', async () => {
    await loadInventory(executor, valid(randomEstate(13)));
    await computeReachability(executor, { runId: 'run-good' });
    // Nothing reaches two resources any more: their stored rows are stale.
    await executor.write(
      `MATCH ()-[:REACHES]->(r:Resource) WITH DISTINCT r LIMIT 2
       MATCH ()-[a:CAN_ACCESS]->(r) DELETE a`,
    );
    const failing = failingAt('deleting stale', 2);
    const error = await computeReachability(failing.executor, { runId: 'run-bad', batchSize: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReachabilityError);
    expect(String(error)).toMatch(
      /every row was written; 1 stale summary rows were deleted, the others go with the next computation: connection reset/,
    );
    const next = await computeReachability(executor, { runId: 'run-next' });
    expect(next).toMatchObject({ created: 0, updated: 0 });
    expect(next.deleted).toBeGreaterThan(0);
    expect(await expectSummaryMatchesOnDemand()).toBe(next.rows - next.hubRows + next.delegatedRows);
  });

  it('publishInventory with `summary` recomputes it for the run, and inventories cannot carry REACHES', async () => {
    const result = await publishInventory(executor, valid(estate(1)), { summary: true });
    expect(result.reachability?.rows).toBeGreaterThan(0);
    const rows = await summary();
    expect(result.reachability?.runId).toBe(result.runId);
    expect(rows.length).toBe(
      (result.reachability?.rows ?? 0) -
        (result.reachability?.hubRows ?? 0) +
        (result.reachability?.delegatedRows ?? 0),
    );

    // The next load of a changed estate: the loader's own cleanup leaves REACHES to the summary.
    const second = await publishInventory(executor, valid(estate(2)), { summary: true });
    expect(second.deleted.REACHES).toBeUndefined();
    await expectSummaryMatchesOnDemand();
    const kept = (await summary()).find((r) => r.s === arn(A, 'role/ci'));
    expect(kept?.firstSeen).toBe(rows.find((r) => r.s === arn(A, 'role/ci'))?.firstSeen);

    const bad = {
      ...estate(1),
      relationships: [{ type: 'REACHES', from: arn(A, 'role/ci'), to: 'arn:aws:s3:::prod-data' }],
    };
    expect(() => valid(bad)).toThrow(/unknown relationship type "REACHES"/);
  });
});

function countNew(before: SummaryRow[], now: SummaryRow[]): number {
  const old = new Set(before.map((r) => `${r.s} > ${r.r}`));
  return now.filter((r) => !old.has(`${r.s} > ${r.r}`)).length;
}

/** start → (conditional) risky → bucket, start → plain → bucket; plain → logs directly but conditionally. */
function conditionalEstate(): InventoryInput {
  const role = (name: string) => ({
    id: arn(A, `role/${name}`),
    kind: 'AwsRole',
    scope: `aws:${A}`,
    properties: { name, nonHuman: true, nhiType: 'role' },
  });
  const bucket = (name: string) => ({
    id: `arn:aws:s3:::${name}`,
    kind: 'AwsS3Bucket',
    scope: `aws:${A}`,
    properties: { name, environment: 'production' },
  });
  const edge = (type: string, from: string, to: string, conditions?: string[], levels?: string[]) => ({
    type,
    from,
    to,
    properties: levels ? { levels } : {},
    evidence: [
      {
        source: 'trust-policy',
        ref: to,
        statement: '#0',
        reason: `${from} to ${to}`,
        ...(conditions ? { conditions } : {}),
      },
    ],
  });
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'conditional' },
    scopes: [{ id: `aws:${A}`, provider: 'aws' }],
    nodes: [role('start'), role('risky'), role('plain'), role('logger'), bucket('prod-data'), bucket('logs')],
    relationships: [
      edge('CAN_ASSUME', arn(A, 'role/start'), arn(A, 'role/risky'), ['aws:SourceIp']),
      edge('CAN_ASSUME', arn(A, 'role/start'), arn(A, 'role/plain')),
      edge('CAN_ACCESS', arn(A, 'role/risky'), 'arn:aws:s3:::prod-data', undefined, ['write']),
      edge('CAN_ACCESS', arn(A, 'role/plain'), 'arn:aws:s3:::prod-data', undefined, ['read']),
      edge('CAN_ACCESS', arn(A, 'role/plain'), 'arn:aws:s3:::logs', ['aws:MultiFactorAuthPresent'], ['read']),
      edge('CAN_ASSUME', arn(A, 'role/plain'), arn(A, 'role/logger')),
      edge('CAN_ACCESS', arn(A, 'role/logger'), 'arn:aws:s3:::logs', undefined, ['read']),
    ],
  } as InventoryInput;
}
