import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
// REACHES level masks are the summary's own encoding (bit i = ACCESS_LEVELS[i]).
import { levelMask } from '../reachability/search.js';

/**
 * Routes of the reach rules, expanded in memory from one read of the hop graph instead of one
 * shortest-path search per (identity, resource) pair and level: breadth-first from each non-human
 * identity once, then every pair of that identity resolved from the CAN_ACCESS edges into its
 * resource. The route is the one the rule's definition names: the shortest (at most the summary's
 * `maxHops` hops and 12, plus the access edge), ties broken by the key
 * `endNode.id + ' ' + type + ' '` concatenated over the relationships, then by technique and reason
 * for parallel edges. Keys are extended hop by hop, keeping the least per node: for ids without
 * spaces (ARNs and the graph's other ids) that is the least key of the whole route. The rule's Cypher gets the chosen relationships (`$routes`) and builds the findings from
 * them, evidence per hop as stored.
 */

/** Strongest first: a finding reports the strongest level a route grants. */
const LEVELS_BY_RANK = ['permissions', 'write', 'read', 'tagging', 'list'] as const;
/** The longest hop chain a route query would expand. */
const MAX_CHAIN = 12;

interface Hop {
  to: string;
  toId: string;
  type: string;
  conditional: boolean;
  rel: string;
  tie: string;
}

interface Access {
  from: string;
  mask: number;
  conditional: boolean;
  rel: string;
  tie: string;
}

interface Pair {
  subject: string;
  target: string;
  mask: number;
  maxHops: number;
}

export interface RouteGraph {
  pairs: Pair[];
  hops: Map<string, Hop[]>;
  access: Map<string, { targetId: string; edges: Access[] }>;
}

/** One pair's route: the level it grants and its relationships (element ids), source to resource. */
export interface ReachRoute {
  subject: string;
  target: string;
  level: string;
  rels: string[];
  /** Conditional routes: the strongest level an unconditional route grants, if any. */
  unconditionalLevel?: string | null;
}

export type RouteKind = 'unconditional' | 'conditional';

/** The rule queries whose routes are expanded here, and which routes they take. */
const ROUTED_QUERIES: Record<string, RouteKind> = {
  'nhi-reaches-production': 'unconditional',
  'nhi-reaches-production-conditional': 'conditional',
};

export function routeKindOf(query: string): RouteKind | undefined {
  return ROUTED_QUERIES[query];
}

export async function readRouteGraph(executor: GraphExecutor, timeoutMs?: number): Promise<RouteGraph> {
  const pairs = await executor.read<{ subject: string; target: string; mask: unknown; maxHops: unknown }>(
    cypherFile('findings/route-reach-pairs'),
    {},
    { action: 'reading the REACHES rows of the reach rules', timeoutMs },
  );
  const hopRows = await executor.read<{ source: string; hops: Hop[] }>(
    cypherFile('findings/route-hop-edges'),
    {},
    { action: 'reading the hop graph for the reach routes', timeoutMs },
  );
  const accessRows = await executor.read<{
    target: string;
    targetId: string;
    access: { from: string; levels: string[]; conditional: boolean; rel: string; tie: string }[];
  }>(
    cypherFile('findings/route-access-edges'),
    {},
    { action: 'reading CAN_ACCESS edges for the reach routes', timeoutMs },
  );
  const hops = new Map<string, Hop[]>();
  for (const row of hopRows) hops.set(row.source, row.hops);
  const access = new Map<string, { targetId: string; edges: Access[] }>();
  for (const row of accessRows)
    access.set(row.target, {
      targetId: row.targetId,
      edges: row.access.map((a) => ({
        from: a.from,
        mask: levelMask(a.levels),
        conditional: a.conditional,
        rel: a.rel,
        tie: a.tie,
      })),
    });
  return {
    pairs: pairs.map((p) => ({
      subject: p.subject,
      target: p.target,
      mask: Number(p.mask ?? 0),
      maxHops: Number(p.maxHops),
    })),
    hops,
    access,
  };
}

/** Shortest hop chains from one source: per reached node its distance, key and last hop. */
interface Reached {
  dist: number;
  key: string;
  via: Hop | null;
  from: string | null;
}

function expand(graph: RouteGraph, source: string, depth: number, unconditionalOnly: boolean) {
  const reached = new Map<string, Reached>([[source, { dist: 0, key: '', via: null, from: null }]]);
  let frontier = [source];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const node of frontier) {
      const at = reached.get(node) as Reached;
      for (const hop of graph.hops.get(node) ?? []) {
        if (unconditionalOnly && hop.conditional) continue;
        const key = `${at.key}${hop.toId} ${hop.type} `;
        const seen = reached.get(hop.to);
        if (seen === undefined) {
          reached.set(hop.to, { dist: d + 1, key, via: hop, from: node });
          next.push(hop.to);
        } else if (
          seen.dist === d + 1 &&
          (key < seen.key ||
            (key === seen.key && hop.tie + hop.rel < (seen.via as Hop).tie + (seen.via as Hop).rel))
        ) {
          reached.set(hop.to, { dist: d + 1, key, via: hop, from: node });
        }
      }
    }
    frontier = next;
  }
  return reached;
}

/** The shortest route granting `level` to the pair's resource, or null. */
function route(
  graph: RouteGraph,
  reached: Map<string, Reached>,
  pair: Pair,
  level: string,
  unconditionalOnly: boolean,
): string[] | null {
  const bit = levelMask([level]);
  const limit = Math.min(pair.maxHops, MAX_CHAIN);
  let best: { at: Reached; edge: Access } | null = null;
  for (const edge of graph.access.get(pair.target)?.edges ?? []) {
    if ((edge.mask & bit) === 0 || (unconditionalOnly && edge.conditional)) continue;
    const at = reached.get(edge.from);
    if (at === undefined || at.dist > limit) continue;
    if (
      best === null ||
      at.dist < best.at.dist ||
      (at.dist === best.at.dist &&
        (at.key < best.at.key ||
          (at.key === best.at.key && edge.tie + edge.rel < best.edge.tie + best.edge.rel)))
    )
      best = { at, edge };
  }
  if (best === null) return null;
  const rels = [best.edge.rel];
  for (let node = best.edge.from; ; ) {
    const at = reached.get(node) as Reached;
    if (at.via === null || at.from === null) break;
    rels.push(at.via.rel);
    node = at.from;
  }
  return rels.reverse();
}

/** Routes of every pair of the reach rules: unconditional ones, or the conditional ones listed apart. */
export function planRoutes(graph: RouteGraph, kind: RouteKind): ReachRoute[] {
  const bySubject = new Map<string, Pair[]>();
  for (const pair of graph.pairs) {
    const list = bySubject.get(pair.subject);
    if (list) list.push(pair);
    else bySubject.set(pair.subject, [pair]);
  }
  const routes: ReachRoute[] = [];
  for (const [subject, pairs] of bySubject) {
    const depth = Math.min(MAX_CHAIN, Math.max(...pairs.map((p) => p.maxHops)));
    const unconditional = expand(graph, subject, depth, true);
    const any = kind === 'conditional' ? expand(graph, subject, depth, false) : unconditional;
    for (const pair of pairs) {
      const levels = LEVELS_BY_RANK.filter((l) => (pair.mask & levelMask([l])) !== 0);
      let strongest: { level: string; rels: string[] } | null = null;
      for (const level of levels) {
        const rels = route(graph, unconditional, pair, level, true);
        if (rels) {
          strongest = { level, rels };
          break;
        }
      }
      if (kind === 'unconditional') {
        if (strongest)
          routes.push({ subject, target: pair.target, level: strongest.level, rels: strongest.rels });
        continue;
      }
      // Only levels stronger than what an unconditional route grants need a condition.
      for (const level of levels) {
        if (strongest && level === strongest.level) break;
        const rels = route(graph, any, pair, level, false);
        if (rels) {
          routes.push({
            subject,
            target: pair.target,
            level,
            rels,
            unconditionalLevel: strongest?.level ?? null,
          });
          break;
        }
      }
    }
  }
  return routes;
}
