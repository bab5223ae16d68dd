import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/graph/loader.js';
import { ACCESS_LEVELS } from '../../../src/model/properties.js';
import { parseInventoryText } from '../../../src/model/validate.js';
import { computeReachability } from '../../../src/reachability/compute.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlData, tokenApi } from '../../helpers/graphql.js';
import { seededRandom } from '../../helpers/random.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_random';
const api = tokenApi(executor, TOKEN);
afterAll(() => executor.close());

/** Roles trusting each other at random (some only under a condition), some granted access to buckets. */
function randomInventory(seed: number) {
  const next = seededRandom(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const role = (i: number) => `arn:aws:iam::111111111111:role/r${i}`;
  const bucket = (j: number) => `arn:aws:s3:::b${j}`;
  const roles = 24;
  const buckets = 8;
  const evidence = (conditional: boolean) => [
    {
      source: 'trust-policy',
      ref: 'generated',
      statement: '0',
      reason: 'generated edge for a property test',
      ...(conditional ? { conditions: ['aws:SourceIp'] } : {}),
    },
  ];
  const pairs = new Set<string>();
  const relationships: unknown[] = [];
  for (let k = 0; k < 40; k++) {
    const from = pick(roles);
    const to = pick(roles);
    if (from === to || pairs.has(`${from}>${to}`)) continue;
    pairs.add(`${from}>${to}`);
    relationships.push({
      type: 'CAN_ASSUME',
      from: role(from),
      to: role(to),
      evidence: evidence(next() < 0.3),
    });
  }
  for (let k = 0; k < 16; k++) {
    const from = pick(roles);
    const to = pick(buckets);
    if (pairs.has(`${from}>b${to}`)) continue;
    pairs.add(`${from}>b${to}`);
    const levels = ACCESS_LEVELS.filter(() => next() < 0.4);
    relationships.push({
      type: 'CAN_ACCESS',
      from: role(from),
      to: bucket(to),
      properties: { levels: levels.length ? levels : ['read'] },
      evidence: evidence(next() < 0.2),
    });
  }
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: `random-${seed}` },
    scopes: [{ id: 'aws:111111111111', provider: 'aws', complete: true }],
    nodes: [
      ...Array.from({ length: roles }, (_, i) => ({
        id: role(i),
        kind: 'AwsRole',
        scope: 'aws:111111111111',
        properties: { name: `r${i}`, nonHuman: true, nhiType: 'role' },
      })),
      ...Array.from({ length: buckets }, (_, j) => ({
        id: bucket(j),
        kind: 'AwsS3Bucket',
        scope: 'aws:111111111111',
        properties: { name: `b${j}`, environment: 'production' },
      })),
    ],
    relationships,
  };
}

const QUERY = `query($maxHops: Int, $levels: [AccessLevel!], $after: String) {
  paths(from: {nonHuman: true}, to: {environment: PRODUCTION}, maxHops: $maxHops, levels: $levels, first: 100, after: $after) {
    edges { node { from { name } to { name } length levels conditional hops { edge { type } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every row, as `from -> to (hops) [levels] conditional`; with a levels filter, hops only. */
async function answers(variables: Record<string, unknown>): Promise<string[]> {
  const rows: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Json = await graphqlData(api, QUERY, { token: TOKEN, variables: { ...variables, after } });
    for (const { node } of data.paths.edges) {
      // The explained route has exactly the length the row claims.
      expect(node.hops, `${node.from.name} -> ${node.to.name} ${JSON.stringify(variables)}`).toHaveLength(
        node.length,
      );
      rows.push(
        variables.levels
          ? `${node.from.name} -> ${node.to.name} (${node.length - 1})`
          : `${node.from.name} -> ${node.to.name} (${node.length - 1}) [${node.levels}]${node.conditional ? ' conditional' : ''}`,
      );
    }
    if (!data.paths.pageInfo.hasNextPage) return rows;
    after = data.paths.pageInfo.endCursor;
  }
}

const QUESTIONS = [{ maxHops: 6 }, { maxHops: 2 }, { maxHops: 6, levels: ['WRITE', 'PERMISSIONS'] }];

describe('on random graphs, the summary answers what bounded search answers', () => {
  it.each([11, 23, 47, 91])('seed %i', async (seed) => {
    await wipe(executor);
    const inventory = parseInventoryText(JSON.stringify(randomInventory(seed)), `random-${seed}`);
    const { runId } = await loadInventory(executor, inventory);
    const searched = [];
    for (const question of QUESTIONS) searched.push(await answers(question));
    await computeReachability(executor, { runId });
    const summarised = [];
    for (const question of QUESTIONS) summarised.push(await answers(question));
    expect(summarised).toEqual(searched);
    expect(searched[0]?.length).toBeGreaterThan(0);
  });
});
