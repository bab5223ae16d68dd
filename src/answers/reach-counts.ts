import type { GraphExecutor } from '../graph/executor.js';
import { nodeKind } from '../model/node-kinds.js';
import { ACCESS_LEVELS } from '../model/properties.js';
import { levelMask } from '../reachability/codes.js';
import type { GraphReader, NodeRow } from './graph-reader.js';
import { type PairRow, type ReachQuestion, reachRows, summaryStatus } from './reach.js';

/**
 * How large an answer of `reachableFrom` (one identity's blast radius) or `whoCanReach` (who can
 * reach one resource) is, in counts instead of rows: what the explorer shows when an answer has
 * thousands of rows, each count the number of rows the same question asked with the matching
 * filter pages through (`to: {environment: PRODUCTION}`, `levels: [WRITE]`, `from: {nonHuman:
 * true}`…). From the reachability summary this is one aggregation over the rows the page query
 * reads; without a summary able to answer (none yet, or another hop bound) the counts are taken
 * over the pages of answers themselves (src/answers/reach.ts), so they never disagree with them.
 */

export interface ReachCounts {
  /** Rows of the answer: resources reached, or identities reaching. */
  total: number;
  /** Counts by the other end's environment, sensitivity, provider, kind and (identities) type. */
  byEnvironment: Record<string, number>;
  bySensitivity: Record<string, number>;
  byProvider: Record<string, number>;
  byKind: Record<string, number>;
  byNhiType: Record<string, number>;
  /** Rows with a route within the bound whose final access grants the level (a row counts once per level). */
  byLevel: Record<string, number>;
  /** Rows by the hop edges of the answer's route. */
  byHops: Record<string, number>;
  nonHuman: number;
  human: number;
}

/** A counted question: one fixed end (`from` or `to`), a filter on the other end, and the hop bound. */
export type ReachCountsQuestion = Pick<ReachQuestion, 'who' | 'what' | 'from' | 'to' | 'maxHops'>;

interface CountRow {
  environment: string;
  sensitivity: string;
  provider: string | null;
  labels: string[];
  nonHuman: boolean | null;
  nhiType: string | null;
  /** Levels within the bound (the summary's allLevelMask). */
  mask: number;
  hops: number;
  count: number;
}

const PAGE = 1_000;

export async function reachCounts(
  reader: GraphReader & { executor: GraphExecutor },
  question: ReachCountsQuestion,
): Promise<ReachCounts> {
  const end = question.from ?? question.to;
  if (!end || (question.from && question.to)) throw new Error('reach counts need exactly one fixed end');
  const status = await summaryStatus(reader);
  // The summary answers exactly with its own bound: its allLevelMask holds the levels within it.
  const exact =
    status.accesses === 0 || (status.reaches > 0 && status.current && status.maxHops === question.maxHops);
  if (exact) {
    const rows = await reader.query<CountRow>(
      question.from ? 'answers/reach-counts-from' : 'answers/reach-counts-to',
      { id: end.id, maxHops: question.maxHops, who: question.who, what: question.what },
      { label: end.label },
    );
    return tally(rows);
  }
  return countPages(reader, question);
}

/** Without a summary for this bound: every row of the answer, then every row per asked level. */
async function countPages(
  reader: GraphReader & { executor: GraphExecutor },
  question: ReachCountsQuestion,
): Promise<ReachCounts> {
  const full: ReachQuestion = { ...question, via: null, levels: null, unconditionalOnly: false };
  const rows = await allRows(reader, full);
  const masks = new Map<string, number>();
  for (const [bit, level] of ACCESS_LEVELS.entries())
    for (const row of await allRows(reader, { ...full, levels: [level] })) {
      const key = pairKey(row);
      masks.set(key, (masks.get(key) ?? 0) | (1 << bit));
    }
  return tally(
    rows.map((row) => {
      const other = otherEnd(row, question);
      const props = other.props;
      const text = (key: string) => (typeof props[key] === 'string' ? (props[key] as string) : null);
      return {
        environment: text('environment') ?? 'unknown',
        sensitivity: text('sensitivity') ?? 'unknown',
        provider: text('provider'),
        labels: other.labels,
        nonHuman: typeof props.nonHuman === 'boolean' ? props.nonHuman : null,
        nhiType: text('nhiType'),
        mask: masks.get(pairKey(row)) ?? levelMask(row.levels),
        hops: row.hops,
        count: 1,
      };
    }),
  );
}

const pairKey = (row: PairRow) => `${row.fromKey} ${row.toKey}`;
const otherEnd = (row: PairRow, question: ReachCountsQuestion): NodeRow =>
  question.from ? row.toNode : row.fromNode;

async function allRows(reader: GraphReader & { executor: GraphExecutor }, question: ReachQuestion) {
  const rows: PairRow[] = [];
  for (let after: [string, string] | null = null; ; ) {
    const page = await reachRows(reader, question, PAGE, after);
    rows.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) return rows;
    after = [String(last.fromNode.props.id), String(last.toNode.props.id)];
  }
}

/** Rows grouped by every dimension at once → one count per value of each. */
export function tally(rows: readonly CountRow[]): ReachCounts {
  const counts: ReachCounts = {
    total: 0,
    byEnvironment: {},
    bySensitivity: {},
    byProvider: {},
    byKind: {},
    byNhiType: {},
    byLevel: {},
    byHops: {},
    nonHuman: 0,
    human: 0,
  };
  const add = (into: Record<string, number>, key: string | null, n: number) => {
    if (key !== null) into[key] = (into[key] ?? 0) + n;
  };
  for (const row of rows) {
    const n = Number(row.count);
    counts.total += n;
    add(counts.byEnvironment, row.environment, n);
    add(counts.bySensitivity, row.sensitivity, n);
    add(counts.byProvider, row.provider, n);
    add(counts.byKind, row.labels.find((label) => nodeKind(label) !== undefined) ?? null, n);
    add(counts.byNhiType, row.nhiType, n);
    add(counts.byHops, String(row.hops), n);
    for (const [bit, level] of ACCESS_LEVELS.entries())
      if ((Math.trunc(row.mask) & (1 << bit)) !== 0) add(counts.byLevel, level, n);
    if (row.nonHuman === true) counts.nonHuman += n;
    else counts.human += n;
  }
  return counts;
}
