import { describe, expect, it } from 'vitest';
import { syntheticKubernetesRaw } from '../../../bench/synthetic-kubernetes.js';
import { analyzeKubernetes } from '../../../src/analyzers/kubernetes/analyze.js';
import type { HopGraph } from '../../../src/answers/hop-graph.js';
import { MemoryGraph } from '../../../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../../../src/answers/route-search.js';
import { collectKubernetes } from '../../../src/collectors/kubernetes/collect.js';
import { transformKubernetes } from '../../../src/collectors/kubernetes/transform.js';
import type { KubernetesEnvironment } from '../../../src/model/kubernetes/environment.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildKubernetesInventory } from '../../../src/providers/kubernetes/inventory.js';
import { encodeVia } from '../../../src/reachability/codes.js';
import { findDelegations } from '../../../src/reachability/delegation.js';
import { K8S_FIXTURE_ROOT } from '../kubernetes-collector/expected.js';

// The delegations a computation stores, expanded as cypher/reachability/summary-rows.cypher expands
// them (hops + 1, the hop's via digit first, firstHop the delegate, conditional or'ed), give back
// every row the route search gives each principal, and nothing else.

async function hopGraph(environment: KubernetesEnvironment): Promise<HopGraph> {
  const analysis = await analyzeKubernetes(environment);
  const valid = validateInventory(buildKubernetesInventory(environment, analysis, { sourceName: 't' }), 't');
  return MemoryGraph.fromInventory(valid).hopGraph({
    endingHops: false,
    ending: 'CAN_ACCESS',
    endsAt: ['Resource'],
  }).graph;
}

type Row = [number, number, number, number, number, boolean, number, number];

function rowsOf(search: RouteSearch, graph: HopGraph, p: number): Row[] {
  const rows: Row[] = [];
  search.fromPrincipal(p, (r) =>
    rows.push([
      r.resource,
      r.hops,
      r.minHops,
      r.levels,
      r.allLevels,
      r.conditional,
      r.firstHop,
      encodeVia(r.via),
    ]),
  );
  expect(graph.isPrincipal[p]).toBe(1);
  return rows.sort((a, b) => a[0] - b[0]);
}

function expectExpansionExact(graph: HopGraph): number {
  const maxHops = 6;
  const search = new RouteSearch(graph, allRoutes(maxHops), { routes: false });
  const delegations = findDelegations(graph, search);
  let count = 0;
  let rows = 0;
  for (let p = 0; p < graph.size; p++) {
    const q = delegations.delegate[p] as number;
    if (q < 0) continue;
    count++;
    // No chains, and the delegate is a principal of its own.
    expect(delegations.delegate[q]).toBe(-1);
    const digit = delegations.viaDigit[p] as number;
    const conditional = delegations.conditional[p] === 1;
    const expanded = rowsOf(search, graph, q).map(
      ([r, hops, minHops, levels, allLevels, cond, , via]): Row => [
        r,
        hops + 1,
        minHops + 1,
        levels,
        allLevels,
        cond || conditional,
        q,
        digit * 8 ** hops + via,
      ],
    );
    const own = rowsOf(search, graph, p);
    expect(expanded).toEqual(own);
    expect(own.length).toBe(delegations.rows[p]);
    expect(own.length).toBeGreaterThan(1);
    rows += own.length;
  }
  expect(count).toBe(delegations.count);
  expect(rows).toBe(delegations.delegatedRows);
  return count;
}

describe('summary delegations (REACHES_AS)', () => {
  it('expand to exactly the rows of each delegating principal: the EKS fixture', async () => {
    // Alice holds her two rows; the privileged pod and the deployer reach one secret through the node
    // (db-credentials, which the node's pods reference): one row each, which no delegation saves.
    const graph = await hopGraph(await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT }));
    expect(expectExpansionExact(graph)).toBe(0);
  });

  it('expand to exactly the rows of each delegating principal: seeded synthetic clusters', async () => {
    for (const seed of [1, 2]) {
      const { raw } = syntheticKubernetesRaw({ pods: 300, seed });
      const graph = await hopGraph(transformKubernetes(raw));
      expect(expectExpansionExact(graph), `seed ${seed}`).toBeGreaterThan(0);
    }
  }, 120_000);
});
