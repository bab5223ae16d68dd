import { type HubEdgeRow, throughHub } from '../answers/graph-reader.js';
import { cypherFile, render } from '../graph/cypher-files.js';
import { GraphError } from '../graph/errors.js';
import { DEADLINE_PASSED, type GraphExecutor } from '../graph/executor.js';
import { ApiError } from './errors.js';
import type { ApiMetrics } from './metrics.js';
import { type EdgeRecord, kindsForId, type NodeRecord, toEdgeRecord, toNodeRecord } from './records.js';

type Row = Record<string, unknown>;
export type NodeRow = { props: Record<string, unknown>; labels: string[]; elementId: string };
export type EdgeRow = { type: string; props: Record<string, unknown>; from: NodeRow; to: NodeRow };

const TIMEOUT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
]);

export interface ApiGraphOptions {
  /** Transaction timeout of each query. */
  timeoutMs: number;
  /** What one request may take in all; `forRequest` sets its deadline from it. */
  requestTimeoutMs?: number;
  metrics?: ApiMetrics;
}

/**
 * The API's only way into Neo4j: named files under cypher/api/, run as read transactions through
 * the GraphExecutor with the configured timeout, timed into the metrics.
 */
export class ApiGraph {
  constructor(
    readonly executor: GraphExecutor,
    private readonly options: ApiGraphOptions,
  ) {}

  /**
   * This graph for one request: every query it runs, directly or through the answers layer, shares
   * one deadline, so a request of many fields (aliases) is bounded in total, not per query.
   */
  forRequest(now = Date.now()): ApiGraph {
    const { requestTimeoutMs } = this.options;
    return requestTimeoutMs === undefined
      ? this
      : new ApiGraph(this.executor.withDeadline(now + requestTimeoutMs), this.options);
  }

  read<T = Row>(name: string, params: Row, identifiers?: Record<string, string>): Promise<T[]> {
    return this.query<T>(`api/${name}`, params, identifiers);
  }

  /** Any named file under cypher/ (the answers layer reads through this, timed and bounded alike). */
  async query<T = Row>(path: string, params: Row, identifiers?: Record<string, string>): Promise<T[]> {
    const file = cypherFile(path);
    const query = identifiers ? render(file, identifiers) : file.text;
    return this.timed(path, () =>
      this.executor.read<T>(query, params, {
        action: `answering an API request (cypher/${file.path}.cypher)`,
        timeoutMs: this.options.timeoutMs,
        metadata: { query: file.path },
      }),
    );
  }

  /** Time `work` (Neo4j queries named `query`) into the metrics; a timeout becomes a clear API error. */
  async timed<T>(query: string, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return await work();
    } catch (error) {
      outcome = 'error';
      const { deadline } = this.executor;
      if (
        error instanceof GraphError &&
        deadline !== undefined &&
        (error.code === DEADLINE_PASSED ||
          (error.code && TIMEOUT_CODES.has(error.code) && Date.now() >= deadline))
      ) {
        outcome = 'timeout';
        throw new ApiError(
          `the request ran past its time limit of ${this.options.requestTimeoutMs} ms; ask fewer fields at once, narrow the filters or ask for smaller pages`,
          'REQUEST_TIMEOUT',
        );
      }
      if (error instanceof GraphError && error.code && TIMEOUT_CODES.has(error.code)) {
        outcome = 'timeout';
        throw new ApiError(
          `the query ran past its time limit of ${this.options.timeoutMs} ms; narrow the filters, lower maxHops or ask for a smaller page`,
          'QUERY_TIMEOUT',
        );
      }
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.metrics?.neo4jSeconds.observe({ query, outcome }, seconds);
    }
  }

  /** A node of one of the given categories by id, found through its kind's unique index. */
  async node(id: string, categories: readonly string[]): Promise<NodeRecord | null> {
    for (const kind of kindsForId(id, categories)) {
      const [row] = await this.read<NodeRow>('node-by-id', { id }, { label: kind.label });
      if (row) return toNodeRecord(row);
    }
    return null;
  }

  /** The relationship `from -type-> to`, trying each kind the endpoint ids admit. */
  async edge(from: string, type: string, to: string): Promise<EdgeRecord | null> {
    for (const fromKind of kindsForId(from, ['principal', 'resource', 'credential', 'workload'])) {
      for (const toKind of kindsForId(to, ['principal', 'resource', 'credential', 'permission'])) {
        const [row] = await this.read<HubEdgeRow>(
          'edge',
          { from, to },
          { fromLabel: fromKind.label, toLabel: toKind.label, type },
        );
        if (row) return toEdgeRecord(throughHub(row));
      }
    }
    return null;
  }

  async healthy(): Promise<boolean> {
    const [row] = await this.read<{ ok: number }>('health', {});
    return row?.ok === 1;
  }
}
