import { type PairRow, type ReachQuestion, reachRows, routeOf } from '../answers/reach.js';
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
