import { decodeVia, levelsOfMask, masksGranting } from '../reachability/codes.js';
import { DEFAULT_SUMMARY_MAX_HOPS } from '../reachability/compute.js';
import { HOP_EDGE_TYPES } from './enums.js';
import type { ApiGraph, EdgeRow, NodeRow } from './graph.js';
import { type EdgeRecord, type NodeRecord, toEdgeRecord, toNodeRecord } from './records.js';

/**
 * Who reaches what, answered from the per-run reachability summary (REACHES relationships) when it
 * can answer exactly, and by bounded shortest-path search otherwise.
 *
 * The summary holds, per (identity, resource), the fewest hop edges of any route within its own
 * bound (`maxHops` on each row), the levels granted at that distance (`levelMask`), the levels
 * granted at any distance within the bound (`allLevelMask`), the hop types of one shortest route
 * (`viaCode`) and whether every shortest route needs a conditional edge (see
 * src/reachability/codes.ts for the integer encodings). Without restrictions on edge types or
 * levels a summary row is the answer. With them the summary still bounds the answer from above (no
 * row: no route at all), so only its rows are candidates, and a candidate whose row cannot decide
 * the restricted question is checked by one bounded search between its two ends.
 */

/** The question: which identities reach which resources, within `maxHops` hop edges. */
export interface ReachQuestion {
  /** `$who` / `$what` filter maps (filters.ts); ignored when the endpoint is fixed. */
  who: Record<string, unknown>;
  what: Record<string, unknown>;
  /** A fixed identity (blast radius) or resource (who can reach it). */
  from?: NodeRecord;
  to?: NodeRecord;
  maxHops: number;
  /** Hop types a route may use; null for all. */
  via: string[] | null;
  /** The final access must grant one of these; null for any. */
  levels: string[] | null;
}

/** One answer row: an identity reaching a resource, and how. */
export interface ReachRow {
  from: NodeRecord;
  to: NodeRecord;
  /** Hop edges before the final access edge (0: the identity accesses the resource itself). */
  hops: number;
  levels: string[];
  viaTypes: string[];
  conditional: boolean;
  question: ReachQuestion;
  /** The explained route, once known. */
  edges?: EdgeRecord[];
}

/** A summary row as read: level sets and hop types in their stored integer forms. */
interface SummaryRow {
  fromNode: NodeRow;
  toNode: NodeRow;
  hops: number;
  levelMask: number | null;
  viaCode: number | null;
  conditional: boolean | null;
}

interface CandidateRow {
  fromNode: NodeRow;
  toNode: NodeRow;
  hops: number;
  levels: string[] | null;
  viaTypes: string[] | null;
  conditional: boolean | null;
}

export interface SummaryStatus {
  reaches: number;
  accesses: number;
  /** The hop bound the summary was computed with. */
  maxHops: number | null;
  /** The rows have the shape this version reads (an older summary is answered by search until recomputed). */
  current: boolean;
}

export async function summaryStatus(graph: ApiGraph): Promise<SummaryStatus> {
  const [row] = await graph.read<SummaryStatus>('summary-status', {});
  return row ?? { reaches: 0, accesses: 0, maxHops: null, current: false };
}

/**
 * Up to `limit` answer rows in (identity id, resource id) order after `after`. Callers ask for one
 * row more than they show to learn whether a next page exists.
 */
export async function reachRows(
  graph: ApiGraph,
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<ReachRow[]> {
  const status = await summaryStatus(graph);
  const bound = status.maxHops ?? DEFAULT_SUMMARY_MAX_HOPS;
  const summaryAnswers =
    status.accesses === 0 || (status.reaches > 0 && status.current && question.maxHops <= bound);
  return summaryAnswers
    ? fromSummary(graph, question, limit, after)
    : onDemand(graph, question, limit, after);
}

async function fromSummary(
  graph: ApiGraph,
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<ReachRow[]> {
  const accepted: ReachRow[] = [];
  let cursor = after;
  // Candidates come in batches; only undecidable ones cost a search each.
  const batch = Math.min(Math.max(limit * 2, 50), 1000);
  while (accepted.length < limit) {
    const candidates = await readCandidates(graph, question, batch, cursor);
    for (const candidate of candidates) {
      const row = await decide(graph, question, candidate);
      if (row) accepted.push(row);
      if (accepted.length === limit) break;
    }
    const last = candidates.at(-1);
    if (candidates.length < batch || !last) break;
    cursor = [String(last.fromNode.props.id), String(last.toNode.props.id)];
  }
  return accepted;
}

async function readCandidates(
  graph: ApiGraph,
  question: ReachQuestion,
  limit: number,
  cursor: [string, string] | null,
): Promise<CandidateRow[]> {
  const params = {
    maxHops: question.maxHops,
    levelMasks: question.levels ? masksGranting(question.levels) : null,
    afterFrom: cursor?.[0] ?? null,
    afterTo: cursor?.[1] ?? null,
    limit,
  };
  const rows = question.to
    ? await graph.read<SummaryRow>(
        'reaches-to',
        { ...params, id: question.to.id },
        { label: question.to.kind },
      )
    : question.from
      ? await graph.read<SummaryRow>(
          'reaches-from',
          { ...params, id: question.from.id },
          { label: question.from.kind },
        )
      : await graph.read<SummaryRow>('reaches', { ...params, who: question.who, what: question.what });
  return rows.map(({ levelMask, viaCode, ...row }) => ({
    ...row,
    levels: levelsOfMask(levelMask),
    viaTypes: decodeVia(viaCode ?? 0),
  }));
}

/** A candidate is the answer as it stands unless a restriction makes its row undecidable. */
async function decide(
  graph: ApiGraph,
  question: ReachQuestion,
  candidate: CandidateRow,
): Promise<ReachRow | null> {
  const from = toNodeRecord(candidate.fromNode);
  const to = toNodeRecord(candidate.toNode);
  const levels = candidate.levels ?? [];
  const restrictedTypes = question.via !== null && HOP_EDGE_TYPES.some((t) => !question.via?.includes(t));
  // Every level granted at the shortest distance is one asked for: the shortest routes all count,
  // so hops, levels and the conditional flag of the row hold for the restricted question too.
  const levelsDecided = question.levels === null || levels.every((l) => question.levels?.includes(l));
  if (!restrictedTypes && levelsDecided) {
    return {
      from,
      to,
      hops: candidate.hops,
      levels,
      viaTypes: candidate.viaTypes ?? [],
      conditional: candidate.conditional === true,
      question,
    };
  }
  const edges = await explainRoute(graph, from, to, question);
  return edges ? rowFromRoute(from, to, edges, question) : null;
}

/** Without a summary (or beyond its bound): bounded shortest-path search for the whole page. */
async function onDemand(
  graph: ApiGraph,
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<ReachRow[]> {
  const rows = await graph.read<CandidateRow>('paths-on-demand', {
    who: question.who,
    what: question.what,
    fromId: question.from?.id ?? null,
    toId: question.to?.id ?? null,
    via: question.via ?? HOP_EDGE_TYPES,
    levels: question.levels,
    maxHops: question.maxHops,
    afterFrom: after?.[0] ?? null,
    afterTo: after?.[1] ?? null,
    limit,
  });
  return rows.map((row) => ({
    from: toNodeRecord(row.fromNode),
    to: toNodeRecord(row.toNode),
    hops: row.hops,
    levels: row.levels ?? [],
    viaTypes: row.viaTypes ?? [],
    conditional: row.conditional === true,
    question,
  }));
}

/**
 * One shortest route from an identity to a resource under the question's restrictions, as edges
 * (hops, then the final access), preferring a route without conditional edges among the shortest.
 */
export async function explainRoute(
  graph: ApiGraph,
  from: NodeRecord,
  to: NodeRecord,
  question: Pick<ReachQuestion, 'maxHops' | 'via' | 'levels'>,
): Promise<EdgeRecord[] | null> {
  const [row] = await graph.read<{ edges: EdgeRow[] }>('path-between', {
    from: from.id,
    fromElement: from.elementId,
    to: to.id,
    toElement: to.elementId,
    via: question.via ?? HOP_EDGE_TYPES,
    levels: question.levels,
    maxHops: question.maxHops,
  });
  return row ? row.edges.map(toEdgeRecord) : null;
}

function rowFromRoute(
  from: NodeRecord,
  to: NodeRecord,
  edges: EdgeRecord[],
  question: ReachQuestion,
): ReachRow {
  const access = edges.at(-1);
  const levels = access && Array.isArray(access.props.levels) ? (access.props.levels as string[]) : [];
  return {
    from,
    to,
    hops: edges.length - 1,
    levels,
    viaTypes: edges.slice(0, -1).map((e) => e.type),
    conditional: edges.some((e) => e.props.conditional === true),
    question,
    edges,
  };
}
