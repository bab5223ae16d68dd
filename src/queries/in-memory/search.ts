import { compareEdges, type RawEdge } from '../paths/shape.js';
import type { MemoryGraph } from './graph.js';

/**
 * Breadth-first search for path questions of one form: a start principal, then hop edges between
 * principals, then one final edge into the target. Mirrors the Cypher pattern
 * `(s:Principal) (()-[:HOPS]->(:Principal)){0,n} (x:Principal)-[final]->(target)`.
 */
export interface PathForm {
  /** Edge types followed between principals. */
  hopTypes: ReadonlySet<string>;
  /** Does this edge end a path at `target`? */
  isFinal(edge: RawEdge, target: string): boolean;
  /** Longest path, in edges (hops plus the final edge). */
  maxLength: number;
}

const PRINCIPAL = 'Principal';

/**
 * For every principal that can reach `target`, the length of its shortest path: one backward
 * breadth-first pass from the target, O(nodes + edges).
 */
export function distancesTo(graph: MemoryGraph, target: string, form: PathForm): Map<string, number> {
  const dist = new Map<string, number>();
  let frontier: string[] = [];
  for (const e of graph.in(target)) {
    if (form.isFinal(e, target) && graph.hasLabel(e.from, PRINCIPAL) && !dist.has(e.from)) {
      dist.set(e.from, 1);
      frontier.push(e.from);
    }
  }
  for (let d = 1; d < form.maxLength && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const v of frontier) {
      for (const e of graph.in(v)) {
        if (!form.hopTypes.has(e.type) || dist.has(e.from) || !graph.hasLabel(e.from, PRINCIPAL)) continue;
        dist.set(e.from, d + 1);
        next.push(e.from);
      }
    }
    frontier = next;
  }
  return dist;
}

/**
 * The shortest path from `start` to `target` whose edges, compared in order by (target id, type),
 * come first: at each step the smallest edge that still leads to the target in the remaining
 * length. Equal to taking the first of all shortest paths in `comparePaths` order, which is how the
 * Neo4j answer picks among ALL SHORTEST paths.
 */
export function firstShortestPath(
  graph: MemoryGraph,
  start: string,
  target: string,
  dist: ReadonlyMap<string, number>,
  form: PathForm,
): RawEdge[] | undefined {
  let remaining = dist.get(start);
  if (remaining === undefined) return undefined;
  const path: RawEdge[] = [];
  let at = start;
  for (; remaining > 1; remaining--) {
    const next = remaining - 1;
    const step = smallest(
      graph.out(at),
      (e) => form.hopTypes.has(e.type) && graph.hasLabel(e.to, PRINCIPAL) && dist.get(e.to) === next,
    );
    if (!step) return undefined; // cannot happen: the distances promise a next step
    path.push(step);
    at = step.to;
  }
  const last = smallest(graph.out(at), (e) => e.to === target && form.isFinal(e, target));
  if (!last) return undefined;
  path.push(last);
  return path;
}

function smallest(edges: readonly RawEdge[], keep: (e: RawEdge) => boolean): RawEdge | undefined {
  let best: RawEdge | undefined;
  for (const e of edges) if (keep(e) && (!best || compareEdges(e, best) < 0)) best = e;
  return best;
}
