import { afterAll, describe, expect, it } from 'vitest';
import type { AccessPathAnswer, EscalationAnswer, PathHop } from '../../src/answers/answer-types.js';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { cypherFile } from '../../src/graph/cypher-files.js';
import { expandGrants } from '../../src/model/grants.js';
import { type InventoryInput, InventorySchema } from '../../src/model/inventory.js';
import { validateInventory } from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlData, tokenApi } from '../helpers/graphql.js';
import { HUB_ACCOUNT, HUB_ACCOUNT_NODE, hubBucket, hubbedEstate, hubRole } from '../helpers/hubbed-estate.js';

/**
 * Grant hubs in Neo4j: an inventory with hubs and its expanded twin (expandGrants), loaded one
 * after the other into an empty graph, give the same summary rows and the same explained routes,
 * who-can lists, escalations and administrators; the loader's scoped cleanup removes stale hubs.
 */

const executor = testExecutor();
afterAll(() => executor.close());
const TOKEN = 'rg_grant_hubs';
const api = tokenApi(executor, TOKEN);

/** Every role's and bucket's derived edges out and in, and `explain` of each, through the API. */
async function apiEdges(ids: string[]): Promise<unknown[]> {
  const query = `query($id: ID!) { node(id: $id) {
    out: edges(direction: OUT, first: 40) { edges { node { id type from { id } to { id } reason conditional evidence { ref reason } } } }
    in: edges(direction: IN, first: 40) { edges { node { id type from { id } to { id } reason conditional evidence { ref reason } } } }
  } }`;
  const answers: unknown[] = [];
  for (const id of ids) {
    answers.push((await graphqlData(api, query, { token: TOKEN, variables: { id } })).node);
  }
  return answers;
}

interface Answers {
  summary: string[];
  reach: AccessPathAnswer[];
  certain: AccessPathAnswer[];
  whoCan: AccessPathAnswer[][];
  escalations: EscalationAnswer[];
  admins: unknown[];
  api: unknown[];
}

const withoutGrant = ({ grant: _, ...hop }: PathHop): PathHop => hop;
const plain = <T extends { path: PathHop[] }>(answers: T[]) =>
  answers.map((a) => ({ ...a, path: a.path.map(withoutGrant) }));

async function answersOf(input: InventoryInput, source: string): Promise<Answers> {
  await wipe(executor);
  await publishInventory(executor, validateInventory(input, source), { summary: true });
  const summary = (
    await executor.read<{ row: string }>(
      // Through the one expansion every reader uses: a principal's rows may stand on a Grant hub.
      `MATCH (s:Principal)
       ${cypherFile('reachability/summary-rows').text}
       RETURN s.id + ' > ' + r.id + ' | ' + x.hops + ' ' + x.minHops + ' ' + x.levelMask + ' ' + x.allLevelMask + ' ' +
              x.conditional + ' ' + x.firstHop + ' ' + x.viaCode AS row`,
    )
  )
    .map((r) => r.row)
    .sort();
  const q = new GraphPathQueries(executor);
  const all = { from: 'nonHuman=true', to: 'environment=production' };
  return {
    summary,
    reach: await q.reach(all),
    certain: await q.reach({ ...all, certain: true }),
    whoCan: await Promise.all([0, 1, 2, 3].map((j) => q.whoCan({ resource: hubBucket(j) }))),
    escalations: await q.escalations(),
    admins: await q.admins({ account: HUB_ACCOUNT }),
    api: await apiEdges([hubRole(0), hubRole(3), hubRole(7), hubBucket(0), hubBucket(2), HUB_ACCOUNT_NODE]),
  };
}

describe('Grant hubs in Neo4j', () => {
  it.each([1, 2, 3, 4])('seed %i: the hubbed inventory answers as its expanded twin', async (seed) => {
    const input = hubbedEstate(seed);
    const hubbed = await answersOf(input, `hubbed-${seed}`);
    const expanded = await answersOf(expandGrants(InventorySchema.parse(input)), `expanded-${seed}`);
    expect(hubbed.summary.length).toBeGreaterThan(0);
    expect(hubbed.summary.some((row) => row.includes('grant:'))).toBe(false);
    expect(hubbed.summary).toEqual(expanded.summary);
    // Explanations: the same routes, hop by hop, with both legs' evidence on a hop through a hub.
    expect(plain(hubbed.reach)).toEqual(plain(expanded.reach));
    expect(plain(hubbed.certain)).toEqual(plain(expanded.certain));
    expect(hubbed.whoCan.map(plain)).toEqual(expanded.whoCan.map(plain));
    expect(plain(hubbed.escalations)).toEqual(plain(expanded.escalations));
    expect(hubbed.admins).toEqual(expanded.admins);
    expect(hubbed.api).toEqual(expanded.api);
    expect(JSON.stringify(hubbed.api)).not.toContain('grant:');
    expect(hubbed.reach.some((a) => a.path.some((h) => h.grant?.startsWith('grant:')))).toBe(true);
  });

  it('the scoped cleanup removes stale Grant hubs and their legs', async () => {
    await wipe(executor);
    const first = hubbedEstate(21);
    await publishInventory(executor, validateInventory(first, 'first'));
    const second = hubbedEstate(22);
    await publishInventory(executor, validateInventory(second, 'second'));
    const grants = await executor.read<{ id: string }>('MATCH (g:Grant) RETURN g.id AS id ORDER BY id');
    const expected = (second.nodes ?? []).filter((n) => n.kind === 'Grant').map((n) => n.id);
    expect(grants.map((g) => g.id)).toEqual([...expected].sort());
    const [legs] = await executor.read<{ n: number }>('MATCH (:Grant)-[r]-() RETURN count(r) AS n');
    const expectedLegs = (second.relationships ?? []).filter(
      (r) => r.from.startsWith('grant:') || r.to.startsWith('grant:'),
    ).length;
    expect(legs?.n).toBe(expectedLegs);
  });
});
