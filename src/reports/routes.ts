import { DEFAULT_MAX_HOPS } from '../answers/bounds.js';
import type { HopGraph } from '../answers/hop-graph.js';
import { type RouteEdgeKey, routeEdgeKeys } from '../answers/pair-route.js';
import { LEVELS_BY_STRENGTH } from '../answers/route-rule.js';
import { allRoutes, RouteSearch } from '../answers/route-search.js';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { DATA_ACCESS_LEVELS } from '../model/properties.js';
import { levelMask } from '../reachability/codes.js';
import { readReachGraph } from '../reachability/read.js';
import { groupBy } from '../util/collections.js';

/**
 * Routes of the reach rules, chosen by the one route search (src/answers/route-search.ts) over
 * one read of the hop graph: per (identity, production resource) pair of the summary, the strongest
 * data level (read, write, permissions: listing and tagging touch only metadata, which is not
 * reaching the data) a route grants and the route the route rule picks among the routes granting it: only
 * unconditional ones for `nhi-reaches-production`, any for the levels that only conditional routes
 * grant (`nhi-reaches-production-conditional`). It is the route `reachgraph query reach --level L`
 * and the API's `paths(levels: [L])` give for the pair. The rule's Cypher gets the routes
 * (`$routes`) and builds the findings from them, evidence per hop as stored.
 */

/** The levels the reach rules report, strongest first. */
const REPORTED_LEVELS = LEVELS_BY_STRENGTH.filter((l) => DATA_ACCESS_LEVELS.includes(l));

interface Pair {
  subject: number;
  target: number;
  mask: number;
}

export interface RouteGraph {
  pairs: Pair[];
  graph: HopGraph;
  index: Map<number, number>;
  maxHops: number;
}

/** One pair's route: the level it grants and its edges (end nodes by internal id), source to resource. */
export interface ReachRoute {
  subject: number;
  target: number;
  level: string;
  edges: RouteEdgeKey[];
  /** Conditional routes: the strongest level an unconditional route grants, if any. */
  unconditionalLevel?: string | null;
}

export type RouteKind = 'unconditional' | 'conditional' | 'escalation';

/**
 * The rule queries whose routes the answers layer chooses, and which routes they take: reach routes
 * (planRoutes) or escalation routes (src/answers/questions.ts escalationRoutes, the routes of
 * `reachgraph query escalations`).
 */
const ROUTED_QUERIES: Record<string, RouteKind> = {
  'nhi-reaches-production': 'unconditional',
  'nhi-reaches-production-conditional': 'conditional',
  'nhi-escalates-to-admin': 'escalation',
  'gcp-impersonation-to-owner': 'escalation',
};

export function routeKindOf(query: string): RouteKind | undefined {
  return ROUTED_QUERIES[query];
}

export async function readRouteGraph(executor: GraphExecutor, timeoutMs?: number): Promise<RouteGraph> {
  const pairs = await executor.read<{ subject: number; target: number; mask: unknown; maxHops: unknown }>(
    cypherFile('findings/route-reach-pairs'),
    {},
    { action: 'reading the REACHES rows of the reach rules', timeoutMs },
  );
  const { graph } = await readReachGraph(executor, { pageSize: 10_000, existing: false });
  const index = new Map<number, number>();
  graph.keys.forEach((key, i) => {
    index.set(key, i);
  });
  return {
    pairs: pairs.map((p) => ({ subject: p.subject, target: p.target, mask: Number(p.mask ?? 0) })),
    graph,
    index,
    maxHops: Math.max(0, ...pairs.map((p) => Number(p.maxHops ?? DEFAULT_MAX_HOPS))),
  };
}

/** Routes of every pair of the reach rules: unconditional ones, or the conditional ones listed apart. */
export function planRoutes(routes: RouteGraph, kind: Exclude<RouteKind, 'escalation'>): ReachRoute[] {
  const { graph, index } = routes;
  const bySubject = groupBy(routes.pairs, (pair) => String(pair.subject));
  // One search per (level, unconditional only): each finds, per resource, the rule's route granting that level.
  const searches = new Map<string, RouteSearch>();
  const searchFor = (level: string, unconditionalOnly: boolean) => {
    const key = `${level} ${unconditionalOnly}`;
    let search = searches.get(key);
    if (!search) {
      const question = { ...allRoutes(routes.maxHops), levels: levelMask([level]), unconditionalOnly };
      search = new RouteSearch(graph, question);
      searches.set(key, search);
    }
    return search;
  };
  const found: ReachRoute[] = [];
  for (const pairs of bySubject.values()) {
    const subject = index.get((pairs[0] as Pair).subject);
    if (subject === undefined) continue;
    const present = new Map<number, Pair>();
    for (const pair of pairs) {
      const target = index.get(pair.target);
      if (target !== undefined) present.set(target, pair);
    }
    // Per pair and level, the route's edges (unconditional only, and any), searched once per level.
    const routeAt = (unconditionalOnly: boolean) => {
      const byLevel = new Map<string, Map<number, RouteEdgeKey[]>>();
      for (const level of REPORTED_LEVELS) {
        const edges = new Map<number, RouteEdgeKey[]>();
        if (pairs.some((p) => (p.mask & levelMask([level])) !== 0))
          searchFor(level, unconditionalOnly).fromPrincipal(subject, (row) => {
            if (present.has(row.resource))
              edges.set(row.resource, routeEdgeKeys(graph, subject, row.slots, row.access, 'CAN_ACCESS'));
          });
        byLevel.set(level, edges);
      }
      return byLevel;
    };
    const certain = routeAt(true);
    const any = kind === 'conditional' ? routeAt(false) : certain;
    for (const [target, pair] of present) {
      const levels = REPORTED_LEVELS.filter((l) => (pair.mask & levelMask([l])) !== 0);
      const strongest = levels.find((l) => certain.get(l)?.has(target));
      if (kind === 'unconditional') {
        if (strongest)
          found.push({
            subject: pair.subject,
            target: pair.target,
            level: strongest,
            edges: certain.get(strongest)?.get(target) ?? [],
          });
        continue;
      }
      // Only levels stronger than what an unconditional route grants need a condition.
      for (const level of levels) {
        if (level === strongest) break;
        const edges = any.get(level)?.get(target);
        if (edges) {
          found.push({
            subject: pair.subject,
            target: pair.target,
            level,
            edges,
            unconditionalLevel: strongest ?? null,
          });
          break;
        }
      }
    }
  }
  return found;
}
