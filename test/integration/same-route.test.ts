import { afterAll, describe, expect, it } from 'vitest';
import type { AccessPathAnswer } from '../../src/answers/answer-types.js';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { ACCESS_LEVELS, DATA_ACCESS_LEVELS } from '../../src/model/properties.js';
import { parseInventoryText, type ValidInventory } from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { planRoutes, readRouteGraph } from '../../src/reports/routes.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlData, tokenApi } from '../helpers/graphql.js';
import { seededRandom } from '../helpers/random.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

/**
 * One route for one question, whoever answers it: on seeded random estates full of ties (equally
 * short routes through different nodes, parallel hops of different types, conditional and
 * unconditional edges, access edges of different strengths), the CLI (from Neo4j and from the
 * snapshot in memory), the API (`via` and `hops`) and the reports give the same route, hop by hop,
 * for every pair; and that route ends in access to the data whenever any route reaches the data,
 * however much shorter a route to metadata only is.
 */

const executor = testExecutor();
const TOKEN = 'rg_same_route';
const api = tokenApi(executor, TOKEN);
afterAll(() => executor.close());

const ACCOUNT = '111111111111';
const role = (i: number) => `arn:aws:iam::${ACCOUNT}:role/r${String(i).padStart(2, '0')}`;
const bucket = (j: number) => `arn:aws:s3:::b${j}`;

function randomEstate(seed: number): ValidInventory {
  const next = seededRandom(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const roles = 14;
  const buckets = 5;
  const evidence = (conditional: boolean) => [
    {
      source: 'trust-policy',
      ref: 'generated',
      statement: '0',
      reason: 'generated edge for the same-route test',
      ...(conditional ? { conditions: ['aws:SourceIp'] } : {}),
    },
  ];
  const seen = new Set<string>();
  const relationships: unknown[] = [];
  for (let k = 0; k < 45; k++) {
    const from = pick(roles);
    const to = pick(roles);
    // Both hop types between the same two roles now and then: parallel hops to break ties between.
    const type = next() < 0.35 ? 'CAN_ESCALATE' : 'CAN_ASSUME';
    if (from === to || seen.has(`${type} ${from} ${to}`)) continue;
    seen.add(`${type} ${from} ${to}`);
    relationships.push({
      type,
      from: role(from),
      to: role(to),
      ...(type === 'CAN_ESCALATE' ? { properties: { technique: 'iam-005' } } : {}),
      evidence: evidence(next() < 0.3),
    });
  }
  for (let k = 0; k < 22; k++) {
    const from = pick(roles);
    const to = pick(buckets);
    if (seen.has(`CAN_ACCESS ${from} ${to}`)) continue;
    seen.add(`CAN_ACCESS ${from} ${to}`);
    const levels = ACCESS_LEVELS.filter(() => next() < 0.35);
    relationships.push({
      type: 'CAN_ACCESS',
      from: role(from),
      to: bucket(to),
      properties: { levels: levels.length ? levels : ['read'] },
      evidence: evidence(next() < 0.25),
    });
  }
  const inventory = {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: `same-route-${seed}` },
    scopes: [{ id: `aws:${ACCOUNT}`, provider: 'aws', complete: true }],
    nodes: [
      ...Array.from({ length: roles }, (_, i) => ({
        id: role(i),
        kind: 'AwsRole',
        scope: `aws:${ACCOUNT}`,
        properties: { name: `r${i}`, nonHuman: true, nhiType: 'role' },
      })),
      ...Array.from({ length: buckets }, (_, j) => ({
        id: bucket(j),
        kind: 'AwsS3Bucket',
        scope: `aws:${ACCOUNT}`,
        properties: { name: `b${j}`, environment: 'production' },
      })),
    ],
    relationships,
  };
  return parseInventoryText(JSON.stringify(inventory), `same-route-${seed}`);
}

/** A route as text: `TYPE>to|TYPE>to|…`, the last hop the access edge. */
const routeText = (hops: { type: string; to: string }[]) => hops.map((h) => `${h.type}>${h.to}`).join('|');

const QUERY = `query($levels: [AccessLevel!], $certain: Boolean, $after: String, $maxHops: Int) {
  paths(from: {nonHuman: true}, to: {environment: PRODUCTION}, maxHops: $maxHops, levels: $levels, certain: $certain, first: 50, after: $after) {
    edges { node { from { id } to { id } via hops { edge { type } to { id } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The API's route per pair, from `hops`; `via` must name the same hop types. */
async function apiRoutes(
  variables: { levels?: string[]; certain?: boolean; maxHops?: number } = {},
): Promise<Map<string, string>> {
  const routes = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const data: Json = await graphqlData(api, QUERY, {
      token: TOKEN,
      variables: { maxHops: 6, ...variables, after },
    });
    for (const { node } of data.paths.edges) {
      const hops = node.hops.map((h: Json) => ({ type: h.edge.type, to: h.to.id }));
      const key = `${node.from.id} ${node.to.id}`;
      expect(node.via, `via of ${key}`).toEqual(hops.slice(0, -1).map((h: { type: string }) => h.type));
      routes.set(key, routeText(hops));
    }
    if (!data.paths.pageInfo.hasNextPage) return routes;
    after = data.paths.pageInfo.endCursor;
  }
}

const cliRoutes = (answers: AccessPathAnswer[]) =>
  new Map(answers.map((a) => [`${a.principal} ${a.resource}`, routeText(a.path)]));

describe('the same route from the CLI, the API and the reports', () => {
  it.each([3, 17, 29, 58, 101])('seed %i', async (seed) => {
    await wipe(executor);
    const valid = randomEstate(seed);
    await publishInventory(executor, valid, { summary: true });
    const graph = new GraphPathQueries(executor);
    const memory = new MemoryPathQueries(MemoryGraph.fromInventory(valid));
    const question = { from: 'nonHuman=true', to: 'environment=production' };

    // Every pair: CLI from Neo4j (whole-graph search), CLI from the snapshot, API via/hops (pair search).
    const cli = cliRoutes(await graph.reach(question));
    expect(cli.size).toBeGreaterThan(5);
    expect(cliRoutes(await memory.reach(question))).toEqual(cli);
    expect(await apiRoutes()).toEqual(cli);

    // Rule 0: where any route reaches the data, the answer's route ends in data access.
    const answers = await graph.reach(question);
    for (const level of DATA_ACCESS_LEVELS)
      for (const a of await graph.reach({ ...question, level })) {
        const answer = answers.find((b) => b.principal === a.principal && b.resource === a.resource);
        expect(
          answer?.levels.some((l) => DATA_ACCESS_LEVELS.includes(l as never)),
          `${a.principal} ${a.resource}`,
        ).toBe(true);
      }
    // A tighter bound than the summary's: a route to metadata may answer where the data is too far.
    const near = { ...question, maxHops: 1 };
    const cliNear = cliRoutes(await graph.reach(near));
    expect(cliRoutes(await memory.reach(near))).toEqual(cliNear);
    expect(await apiRoutes({ maxHops: 1 })).toEqual(cliNear);

    // Restricted questions: the same again, and what the reports show for them.
    const report = await readRouteGraph(executor);
    const idOf = (key: number) => report.graph.ids[report.index.get(key) as number] as string;
    // Each restricted question is asked once of each answerer.
    const asked = new Map<string, Promise<Map<string, string>[]>>();
    const ask = (level: string, certain: boolean) => {
      const key = `${level} ${certain}`;
      if (!asked.has(key)) {
        const options = { ...question, level, certain };
        asked.set(
          key,
          Promise.all([
            graph.reach(options).then(cliRoutes),
            memory.reach(options).then(cliRoutes),
            apiRoutes({ levels: [level.toUpperCase()], certain }),
          ]),
        );
      }
      return asked.get(key) as Promise<Map<string, string>[]>;
    };
    for (const [kind, certain] of [
      ['unconditional', true],
      ['conditional', false],
    ] as const) {
      for (const route of planRoutes(report, kind)) {
        const pair = `${idOf(route.subject)} ${idOf(route.target)}`;
        const reportRoute = routeText(route.edges.map((e) => ({ type: e.type, to: idOf(e.to) })));
        const [fromGraph, fromMemory, fromApi] = await ask(route.level, certain);
        expect(fromGraph?.get(pair), `CLI ${kind} ${pair}`).toBe(reportRoute);
        expect(fromMemory?.get(pair), `snapshot ${kind} ${pair}`).toBe(reportRoute);
        expect(fromApi?.get(pair), `API ${kind} ${pair}`).toBe(reportRoute);
      }
    }
  });
});
