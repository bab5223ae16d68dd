import type { GraphExecutor } from '../graph/executor.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { decodeVia, levelMask, levelsOfMask, masksGranting } from '../reachability/codes.js';
import { readReachGraph } from '../reachability/read.js';
import { DEFAULT_MAX_HOPS } from './bounds.js';
import type { NodeFilter } from './filters.js';
import type { EdgeRow, GraphReader, NodeRow } from './graph-reader.js';
import {
  answerOf,
  type PairAnswer,
  type PairQuestion,
  pairAnswer,
  readRouteEdges,
  routeQuestion,
} from './pair-route.js';
import { asksEveryDataLevel, dataClass } from './route-rule.js';
import { RouteSearch } from './route-search.js';

/**
 * Who reaches what: pages of (identity, resource) answers, each with the route the route rule
 * picks, for the API, the CLI and the reports alike.
 *
 * The reachability summary holds, per (identity, resource), the answer of the route rule within its
 * own bound: the fewest hop edges of the answer's routes (to the data when any route reaches it),
 * the levels at that distance (`levelMask`), the levels within the bound (`allLevelMask`), the hop
 * types of the rule's route (`viaCode`), whether every such route needs a conditional edge, and the
 * fewest hop edges of any route (`minHops`). Without restrictions on hop types or levels (or with
 * level restrictions that keep the answer's routes, see `decide`) a row is the answer. Otherwise the summary still bounds the answer
 * (no row: no route), so only its rows are candidates, and a candidate is decided by the route
 * search between its two ends (pair-route.ts). Without a summary, or beyond its bound, the whole
 * graph is read and searched in memory.
 */

export interface ReachQuestion extends PairQuestion {
  who: NodeFilter;
  what: NodeFilter;
  /** A fixed identity (blast radius) or resource (who can reach it), with its kind's label. */
  from?: { id: string; label: string };
  to?: { id: string; label: string };
}

export interface PairRow {
  fromKey: number;
  toKey: number;
  fromNode: NodeRow;
  toNode: NodeRow;
  /** Hop edges before the ending access (0: the identity accesses the resource itself). */
  hops: number;
  levels: string[];
  viaTypes: string[];
  conditional: boolean;
  /** The rule's route, once known: by internal ids, then read with its evidence. */
  edgeKeys?: PairAnswer['edgeKeys'];
  edges?: EdgeRow[];
}

export interface SummaryStatus {
  reaches: number;
  accesses: number;
  /** The hop bound the summary was computed with. */
  maxHops: number | null;
  /** The rows have the shape this version reads (an older summary is answered by search until recomputed). */
  current: boolean;
}

export async function summaryStatus(reader: GraphReader): Promise<SummaryStatus> {
  const [row] = await reader.query<SummaryStatus>('answers/summary-status', {});
  return row ?? { reaches: 0, accesses: 0, maxHops: null, current: false };
}

/** Can the summary answer this question? (It holds every pair within its bound.) */
export async function summaryAnswers(reader: GraphReader, maxHops: number): Promise<boolean> {
  const status = await summaryStatus(reader);
  const bound = status.maxHops ?? DEFAULT_MAX_HOPS;
  return status.accesses === 0 || (status.reaches > 0 && status.current && maxHops <= bound);
}

/**
 * Up to `limit` answers in (identity id, resource id) order after `after`. Callers ask for one row
 * more than they show to learn whether a next page exists.
 */
export async function reachRows(
  reader: GraphReader & { executor: GraphExecutor },
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<PairRow[]> {
  return (await summaryAnswers(reader, question.maxHops))
    ? fromSummary(reader, question, limit, after)
    : bySearch(reader, question, limit, after);
}

/** The route of an answer, edge by edge with its evidence (read once, then kept on the row). */
export async function routeOf(reader: GraphReader, row: PairRow, question: PairQuestion): Promise<EdgeRow[]> {
  if (row.edges) return row.edges;
  if (!row.edgeKeys) {
    const answer = await pairAnswer(
      reader,
      { key: row.fromKey, id: String(row.fromNode.props.id) },
      { key: row.toKey, id: String(row.toNode.props.id) },
      question,
    );
    row.edgeKeys = answer?.edgeKeys ?? [];
  }
  row.edges = row.edgeKeys.length ? ((await readRouteEdges(reader, row.edgeKeys)) ?? []) : [];
  return row.edges;
}

interface SummaryRow {
  fromKey: number;
  toKey: number;
  fromNode: NodeRow;
  toNode: NodeRow;
  hops: number;
  levelMask: number | null;
  viaCode: number | null;
  conditional: boolean | null;
}

async function fromSummary(
  reader: GraphReader,
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<PairRow[]> {
  const accepted: PairRow[] = [];
  let cursor = after;
  // Candidates come in batches; only undecidable ones cost a search each.
  const batch = Math.min(Math.max(limit * 2, 50), 1000);
  while (accepted.length < limit) {
    const candidates = await readCandidates(reader, question, batch, cursor);
    for (const candidate of candidates) {
      const row = await decide(reader, question, candidate);
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
  reader: GraphReader,
  question: ReachQuestion,
  limit: number,
  cursor: [string, string] | null,
): Promise<PairRow[]> {
  const params = {
    maxHops: question.maxHops,
    levelMasks: question.levels ? masksGranting(question.levels) : null,
    afterFrom: cursor?.[0] ?? null,
    afterTo: cursor?.[1] ?? null,
    limit,
  };
  const rows =
    question.from && question.to
      ? await reader.query<SummaryRow>(
          'answers/reaches-pair',
          { ...params, fromId: question.from.id, toId: question.to.id },
          { fromLabel: question.from.label, toLabel: question.to.label },
        )
      : question.to
        ? await reader.query<SummaryRow>(
            'answers/reaches-to',
            { ...params, id: question.to.id, who: question.who },
            { label: question.to.label },
          )
        : question.from
          ? await reader.query<SummaryRow>(
              'answers/reaches-from',
              { ...params, id: question.from.id, what: question.what },
              { label: question.from.label },
            )
          : await reader.query<SummaryRow>('answers/reaches', {
              ...params,
              who: question.who,
              what: question.what,
            });
  return rows.map(({ levelMask, viaCode, conditional, ...row }) => ({
    ...row,
    levels: levelsOfMask(levelMask),
    viaTypes: decodeVia(viaCode ?? 0),
    conditional: conditional === true,
  }));
}

/** A candidate is the answer as it stands unless a restriction makes its row undecidable. */
async function decide(
  reader: GraphReader,
  question: ReachQuestion,
  candidate: PairRow,
): Promise<PairRow | null> {
  const restrictedTypes = question.via !== null && HOP_TYPES.some((t) => !question.via?.includes(t));
  // The row's routes all count for the restricted question, so the row, its route included, holds
  // for it too: when every level they grant is asked for, or when they reach the data and every
  // data level is asked for (a route to the data stays one; no shorter one appears).
  const asked = levelMask(question.levels);
  const levelsDecided =
    question.levels === null ||
    candidate.levels.every((l) => question.levels?.includes(l)) ||
    (asksEveryDataLevel(asked) && dataClass(levelMask(candidate.levels), 0) === 1);
  // A tighter hop bound than the answer's route (a shorter route to metadata may still fit).
  const withinBound = candidate.hops <= question.maxHops;
  if (!restrictedTypes && levelsDecided && withinBound && !question.unconditionalOnly) return candidate;
  const answer = await pairAnswer(
    reader,
    { key: candidate.fromKey, id: String(candidate.fromNode.props.id) },
    { key: candidate.toKey, id: String(candidate.toNode.props.id) },
    question,
  );
  return answer ? { ...candidate, ...answer } : null;
}

/** Without a summary (or beyond its bound): the whole graph read once and searched in memory. */
async function bySearch(
  reader: GraphReader & { executor: GraphExecutor },
  question: ReachQuestion,
  limit: number,
  after: [string, string] | null,
): Promise<PairRow[]> {
  const { graph } = await readReachGraph(reader.executor, { pageSize: 10_000, existing: false });
  const who = question.from ? { ...question.who, ids: [question.from.id] } : question.who;
  const what = question.to ? { ...question.what, ids: [question.to.id] } : question.what;
  const [match] = await reader.query<{ identities: number[]; resources: number[] }>(
    'answers/matching-nodes',
    {
      who,
      what,
      afterFrom: after?.[0] ?? null,
      limit: 1_000_000,
    },
  );
  const index = new Map<number, number>();
  graph.keys.forEach((key, i) => {
    index.set(key, i);
  });
  const filter = new Uint8Array(graph.size);
  for (const key of match?.resources ?? []) {
    const i = index.get(key);
    if (i !== undefined) filter[i] = 1;
  }
  const search = new RouteSearch(graph, routeQuestion(question), { resourceFilter: filter });
  const rows: PairRow[] = [];
  for (const key of match?.identities ?? []) {
    const source = index.get(key);
    if (source === undefined) continue;
    const found: { to: number; answer: PairAnswer }[] = [];
    search.fromPrincipal(source, (row) => {
      const toId = graph.ids[row.resource] as string;
      if (after && graph.ids[source] === after[0] && toId <= after[1]) return;
      found.push({ to: row.resource, answer: answerOf(graph, row, 'CAN_ACCESS') });
    });
    found.sort((a, b) => ((graph.ids[a.to] as string) < (graph.ids[b.to] as string) ? -1 : 1));
    for (const { to, answer } of found) {
      rows.push({
        fromKey: key,
        toKey: graph.keys[to] as number,
        fromNode: placeholder(graph.ids[source] as string),
        toNode: placeholder(graph.ids[to] as string),
        ...answer,
      });
      if (rows.length === limit) return withNodes(reader, rows);
    }
  }
  return withNodes(reader, rows);
}

const placeholder = (id: string): NodeRow => ({ props: { id }, labels: [], elementId: '' });

/** Fills in the end nodes of rows found by search (one read for the page). */
async function withNodes(reader: GraphReader, rows: PairRow[]): Promise<PairRow[]> {
  if (rows.length === 0) return rows;
  const keys = [...new Set(rows.flatMap((r) => [r.fromKey, r.toKey]))];
  const found = await reader.query<{ key: number; node: NodeRow }>('answers/nodes-by-key', { keys });
  const byKey = new Map(found.map((f) => [f.key, f.node]));
  return rows.map((r) => ({
    ...r,
    fromNode: byKey.get(r.fromKey) ?? r.fromNode,
    toNode: byKey.get(r.toKey) ?? r.toNode,
  }));
}
