import { DATA_ACCESS_LEVELS } from '../model/properties.js';
import {
  HOP_TYPE_CODES as HOP_NAMES,
  hopTypeCode,
  hopTypeMask,
  levelMask,
  levelsOfMask,
} from '../reachability/codes.js';
import {
  type EdgeRow,
  type GraphReader,
  type HubEdgeRow,
  throughHub,
  typeAlternation,
} from './graph-reader.js';
import { accessHubOf, ENDING_LEG, type HopGraph, HopGraphBuilder, hopHubOf } from './hop-graph.js';
import { type RouteQuestion, type RouteRow, RouteSearch } from './route-search.js';

/**
 * The route between one identity and one resource, read from Neo4j without reading the graph:
 * a bidirectional breadth-first search that fetches one layer at a time (the smaller frontier
 * first) from the identity forward and from the resource's accessors backward, until they meet.
 * When they meet after a forward layers and b backward layers, every edge of every shortest route
 * has been fetched (an edge i hops from the identity is forward-fetched when i < a and else
 * backward-fetched, since its end is at most b - 1 hops from an accessor), so the one route search
 * run on what was fetched picks exactly the route it would pick on the whole graph. Routes to the
 * data come first whatever their length (route-rule.ts, rule 0), so they are searched on their own
 * first, and the other routes only when none reaches the data.
 */

/** The question as the callers ask it: type names and level names, not codes. */
export interface PairQuestion {
  maxHops: number;
  /** Hop types a route may use; null for all. */
  via: readonly string[] | null;
  /** The ending access must grant one of these; null for any. */
  levels: readonly string[] | null;
  unconditionalOnly?: boolean;
}

export function routeQuestion(q: PairQuestion): RouteQuestion {
  return {
    maxHops: q.maxHops,
    hopTypes: hopTypeMask(q.via),
    levels: levelMask(q.levels),
    unconditionalOnly: q.unconditionalOnly === true,
  };
}

interface HopRow {
  from: number;
  to: number;
  type: string;
  /** The stored edge's flag, or through a hub the target leg's. */
  conditional: boolean;
  toId?: string;
  fromId?: string;
  /** Through a Grant hub (model/grants.ts): the hub's internal id and id, and the member leg's flag. */
  hub: number | null;
  hubId: string | null;
  memberConditional: boolean;
}

/** An answer for one pair: the row's facts and the chosen route's edges (by internal ids). */
export interface PairAnswer {
  hops: number;
  levels: string[];
  viaTypes: string[];
  conditional: boolean;
  edgeKeys: RouteEdgeKey[];
}

export interface RouteEdgeKey {
  from: number;
  to: number;
  type: string;
  /** The Grant hub the pair edge goes through (model/grants.ts), by the same keys; absent for a stored edge. */
  hub?: number;
}

/** The answer for one identity and one resource (both by internal id), or null when no route fits. */
export async function pairAnswer(
  reader: GraphReader,
  from: { key: number; id: string },
  to: { key: number; id: string },
  question: PairQuestion,
): Promise<PairAnswer | null> {
  const data = DATA_ACCESS_LEVELS.filter((l) => question.levels === null || question.levels.includes(l));
  if (data.length > 0) {
    const toData = await shortestAnswer(reader, from, to, { ...question, levels: data });
    if (toData || data.length === question.levels?.length) return toData;
  }
  return shortestAnswer(reader, from, to, question);
}

/** The rule's answer among the shortest routes the question allows (the bidirectional search). */
async function shortestAnswer(
  reader: GraphReader,
  from: { key: number; id: string },
  to: { key: number; id: string },
  question: PairQuestion,
): Promise<PairAnswer | null> {
  const fetched = await fetchPairGraph(reader, from, to, question);
  if (!fetched) return null;
  const { graph, index } = fetched;
  const source = index.get(from.key);
  const target = index.get(to.key);
  if (source === undefined || target === undefined) return null;
  const filter = new Uint8Array(graph.size);
  filter[target] = 1;
  let answer: PairAnswer | null = null;
  new RouteSearch(graph, routeQuestion(question), { resourceFilter: filter }).fromPrincipal(source, (row) => {
    answer = answerOf(graph, row, 'CAN_ACCESS');
  });
  return answer;
}

/** A route row as an answer: names instead of codes, the route as edge keys. */
export function answerOf(graph: HopGraph, row: Readonly<RouteRow>, endingType: string): PairAnswer {
  return {
    hops: row.hops,
    levels: levelsOfMask(row.levels),
    viaTypes: row.via.map((code) => HOP_NAMES[code] as string),
    conditional: row.conditional,
    edgeKeys: routeEdgeKeys(graph, row.principal, row.slots, row.access, endingType),
  };
}

/** A route's edges as (from key, to key, type), for `route-edges` to read back. */
export function routeEdgeKeys(
  graph: HopGraph,
  source: number,
  slots: readonly number[],
  access: number,
  endingType: string,
): RouteEdgeKey[] {
  const edges: RouteEdgeKey[] = [];
  let at = source;
  const through = (hub: number) => (hub < 0 ? {} : { hub: graph.keys[hub] as number });
  for (const slot of slots) {
    const next = graph.hopTargets[slot] as number;
    edges.push({
      from: graph.keys[at] as number,
      to: graph.keys[next] as number,
      type: HOP_NAMES[graph.hopTypes[slot] as number] as string,
      ...through(hopHubOf(graph, slot)),
    });
    at = next;
  }
  if (access >= 0)
    edges.push({
      from: graph.keys[at] as number,
      to: graph.keys[graph.accessTargets[access] as number] as number,
      type: endingType,
      ...through(accessHubOf(graph, access)),
    });
  return edges;
}

/** The edges of a chosen route with their properties; null when one has gone since (a sync in between). */
export async function readRouteEdges(reader: GraphReader, edges: RouteEdgeKey[]): Promise<EdgeRow[] | null> {
  const [row] = await reader.query<{ edges: HubEdgeRow[] }>('answers/route-edges', { edges });
  return row && row.edges.length === edges.length ? row.edges.map(throughHub) : null;
}

async function fetchPairGraph(
  reader: GraphReader,
  from: { key: number; id: string },
  to: { key: number; id: string },
  question: PairQuestion,
): Promise<{ graph: HopGraph; index: Map<number, number> } | null> {
  const wanted = levelMask(question.levels);
  const access = (
    await reader.query<{
      from: number;
      fromId: string;
      levels: string[];
      conditional: boolean;
      hub: number | null;
      hubId: string | null;
      memberConditional: boolean;
    }>('answers/route-access-into', { key: to.key })
  ).filter(
    (a) =>
      (wanted === 0 || (levelMask(a.levels) & wanted) !== 0) &&
      !(question.unconditionalOnly && (a.conditional || a.memberConditional)),
  );
  if (access.length === 0) return null;

  const ids = new Map<number, string>([[from.key, from.id]]);
  const hops = new Map<string, HopRow>();
  const forward = new Set<number>([from.key]);
  const backward = new Set<number>();
  for (const a of access) {
    ids.set(a.from, a.fromId);
    backward.add(a.from);
  }
  let forwardFrontier = [from.key];
  let backwardFrontier = [...backward];
  const identifiers = { hopTypes: typeAlternation(question.via) };
  const keep = (h: HopRow) =>
    !(question.unconditionalOnly && (h.conditional || h.memberConditional)) &&
    (question.via === null || question.via.includes(h.type));
  for (let depth = 0; !meets(forward, backward); depth++) {
    if (depth >= question.maxHops || forwardFrontier.length === 0 || backwardFrontier.length === 0)
      return null;
    const ahead = forwardFrontier.length <= backwardFrontier.length;
    const rows = (
      await reader.query<HopRow>(
        ahead ? 'answers/route-out-hops' : 'answers/route-in-hops',
        { keys: ahead ? forwardFrontier : backwardFrontier },
        identifiers,
      )
    ).filter(keep);
    const next: number[] = [];
    for (const h of rows) {
      hops.set(`${h.from} ${h.type} ${h.to} ${h.hub ?? ''}`, h);
      const end = ahead ? h.to : h.from;
      ids.set(end, (ahead ? h.toId : h.fromId) as string);
      const seen = ahead ? forward : backward;
      if (!seen.has(end)) {
        seen.add(end);
        next.push(end);
      }
    }
    if (ahead) forwardFrontier = next;
    else backwardFrontier = next;
  }

  const builder = new HopGraphBuilder();
  for (const [key, id] of ids) builder.addNode({ key, id, principal: true, resource: false, scope: null });
  builder.addNode({ key: to.key, id: to.id, principal: false, resource: true, scope: null });
  // Pair edges through a hub go in as the hub's legs, each once: the search sees the pair edges.
  const legs = new Set<string>();
  const once = (key: string) => !legs.has(key) && Boolean(legs.add(key));
  for (const h of [...hops.values(), ...access])
    if (h.hub !== null && h.hubId !== null) builder.addGrant(h.hub, h.hubId);
  for (const h of hops.values()) {
    const code = hopTypeCode(h.type);
    if (h.hub === null) builder.addHop(h.from, h.to, code, h.conditional);
    else {
      if (once(`m ${h.from} ${h.hub} ${code}`))
        builder.addMemberLeg(h.from, h.hub, code, h.memberConditional);
      if (once(`t ${h.hub} ${code} ${h.to}`)) builder.addHubHop(h.hub, h.to, code, h.conditional);
    }
  }
  for (const a of access) {
    if (a.hub === null) builder.addAccess(a.from, to.key, levelMask(a.levels), a.conditional);
    else {
      if (once(`m ${a.from} ${a.hub} end`))
        builder.addMemberLeg(a.from, a.hub, ENDING_LEG, a.memberConditional);
      if (once(`t ${a.hub} end`)) builder.addHubAccess(a.hub, to.key, levelMask(a.levels), a.conditional);
    }
  }
  const graph = builder.build();
  const index = new Map<number, number>();
  graph.keys.forEach((key, i) => {
    index.set(key, i);
  });
  return { graph, index };
}

function meets(forward: ReadonlySet<number>, backward: ReadonlySet<number>): boolean {
  const [small, large] = forward.size <= backward.size ? [forward, backward] : [backward, forward];
  for (const key of small) if (large.has(key)) return true;
  return false;
}
