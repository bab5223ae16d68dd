import { type PairRow, type ReachQuestion, reachRows, routeOf } from '../answers/reach.js';
import { ApiError } from './errors.js';
import type { ApiGraph } from './graph.js';
import { type EdgeRecord, type NodeRecord, toEdgeRecord, toNodeRecord } from './records.js';

/** An answer of the reach questions as the resolvers see it: the answers layer's row, with records. */
export interface ReachRow extends PairRow {
  from: NodeRecord;
  to: NodeRecord;
  question: ReachQuestion;
}

/** A page of answers (see src/answers/reach.ts), one row more than asked to learn of a next page. */
export async function apiReachRows(
  graph: ApiGraph,
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<ReachRow[]> {
  const rows = await reachRows(graph, question, limit, after);
  return rows.map((row) => ({
    ...row,
    from: toNodeRecord(row.fromNode),
    to: toNodeRecord(row.toNode),
    question,
  }));
}

/** The row's route, edge by edge: the same route its `via` names. */
export async function routeRecords(graph: ApiGraph, row: ReachRow): Promise<EdgeRecord[]> {
  return (await routeOf(graph, row, row.question)).map(toEdgeRecord);
}

/** The node categories of a reach question's two ends: the identity it starts from, the resource it ends at. */
const END_CATEGORY = { identity: 'principal', resource: 'resource' } as const;
export type ReachEndSide = keyof typeof END_CATEGORY;

/** The node an end of a reach question names by id, or null. */
export function findReachEnd(graph: ApiGraph, side: ReachEndSide, id: unknown): Promise<NodeRecord | null> {
  return graph.node(String(id), [END_CATEGORY[side]]);
}

/** The end of a reach question, from the node `findReachEnd` found; NOT_FOUND when it found none. */
export function reachEndOf(
  side: ReachEndSide,
  id: unknown,
  node: NodeRecord | null,
): { id: string; label: string } {
  if (!node) throw new ApiError(`no ${side} with id "${id}"`, 'NOT_FOUND');
  return { id: node.id, label: node.kind };
}

/** The end of a reach question the id names: `findReachEnd`, then `reachEndOf`. */
export async function reachEnd(
  graph: ApiGraph,
  side: ReachEndSide,
  id: unknown,
): Promise<{ id: string; label: string }> {
  return reachEndOf(side, id, await findReachEnd(graph, side, id));
}
