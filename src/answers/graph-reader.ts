import { cypherFile, render } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { pairEdge } from './answer-shape.js';

/** How the answers read Neo4j: a named file under cypher/, its parameters and placeholders. */
export interface GraphReader {
  query<T>(path: string, params: Record<string, unknown>, identifiers?: Record<string, string>): Promise<T[]>;
}

/** Reads through the executor, with an optional transaction timeout (the CLI, the reports). */
export function executorReader(executor: GraphExecutor, options: { timeoutMs?: number } = {}): GraphReader {
  return {
    query: <T>(path: string, params: Record<string, unknown>, identifiers?: Record<string, string>) => {
      const file = cypherFile(path);
      return executor.read<T>(identifiers ? render(file, identifiers) : file.text, params, {
        action: `answering a question (cypher/${path}.cypher)`,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        metadata: { query: path },
      });
    },
  };
}

/** A node as the answer queries return it. */
export interface NodeRow {
  props: Record<string, unknown>;
  labels: string[];
  elementId: string;
}

/** An edge as the answer queries return it: its properties and both end nodes. */
export interface EdgeRow {
  type: string;
  props: Record<string, unknown>;
  from: NodeRow;
  to: NodeRow;
  /** The Grant hub (model/grants.ts) a pair edge goes through; its props are then the pair edge's. */
  grant?: string;
}

/**
 * Relationship types as a Cypher alternation (`CAN_ASSUME|RUNS_AS`) for a `{{hopTypes}}`
 * placeholder: rendered from the vocabulary, so no Cypher file types the hop list by hand.
 */
export function typeAlternation(types: readonly string[] | null): string {
  return (types ?? HOP_TYPES).join('|');
}

/**
 * An edge as a query that sees through Grant hubs returns it: a stored edge (`memberProps` null),
 * or a hub's target leg with its member leg's properties as `memberProps` and the hub's id.
 */
export interface HubEdgeRow extends EdgeRow {
  memberProps?: Record<string, unknown> | null;
  grant?: string;
}

/** The pair edge a hub's two legs stand for (model/grants.ts), the hub named; a stored edge as it is. */
export function throughHub({ memberProps, grant, ...edge }: HubEdgeRow): EdgeRow {
  if (!memberProps || !grant) return edge;
  const from = String(edge.from.props.id);
  const to = String(edge.to.props.id);
  const pair = pairEdge(
    { from, to: grant, type: edge.type, properties: memberProps },
    { from: grant, to, type: edge.type, properties: edge.props },
  );
  return { ...edge, props: { ...pair.properties }, grant };
}

/** A property stored as JSON (objects the answers decide from); a bad one names the node and what to do. */
export function storedJson<T>(props: Record<string, unknown>, key: string, fallback: T, remedy: string): T {
  const value = props[key];
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new Error(`${String(props.id)}: the stored ${key} is not JSON; ${remedy}`);
  }
}
