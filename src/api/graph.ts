import type { NodeFilter } from '../answers/filters.js';
import { type HubEdgeRow, throughHub } from '../answers/graph-reader.js';
import { cypherFile, render } from '../graph/cypher-files.js';
import { GraphError } from '../graph/errors.js';
import { DEADLINE_PASSED, type GraphExecutor } from '../graph/executor.js';
import { ApiError } from './errors.js';
import type { ApiMetrics } from './metrics.js';
import { type EdgeRecord, kindsForId, type NodeRecord, toEdgeRecord, toNodeRecord } from './records.js';
import type { TokenScope } from './token-scope.js';

type Row = Record<string, unknown>;
export type NodeRow = { props: Record<string, unknown>; labels: string[]; elementId: string };
export type EdgeRow = { type: string; props: Record<string, unknown>; from: NodeRow; to: NodeRow };

const TIMEOUT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
]);

export interface ApiGraphOptions {
  /** Only this part of the estate (a scoped token's request); absent: all of it. */
  scope?: TokenScope;
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
  forRequest(now = Date.now(), scope: TokenScope | null = null): ApiGraph {
    const { requestTimeoutMs } = this.options;
    if (requestTimeoutMs === undefined && scope === null) return this;
    return new ApiGraph(
      requestTimeoutMs === undefined ? this.executor : this.executor.withDeadline(now + requestTimeoutMs),
      { ...this.options, ...(scope ? { scope } : {}) },
    );
  }

  /** The token scope this graph answers within; undefined: the whole estate. */
  get scope(): TokenScope | undefined {
    return this.options.scope;
  }

  read<T = Row>(name: string, params: Row, identifiers?: Record<string, string>): Promise<T[]> {
    return this.query<T>(`api/${name}`, params, identifiers);
  }

  /** Any named file under cypher/ (the answers layer reads through this, timed and bounded alike). */
  async query<T = Row>(path: string, params: Row, identifiers?: Record<string, string>): Promise<T[]> {
    const file = cypherFile(path);
    const query = identifiers ? render(file, identifiers) : file.text;
    const scoped = this.narrowed(params);
    return this.timed(path, () =>
      this.executor.read<T>(query, scoped, {
        action: `answering an API request (cypher/${file.path}.cypher)`,
        timeoutMs: this.options.timeoutMs,
        metadata: { query: file.path },
      }),
    );
  }

  /**
   * The one place a token's scope reaches the Cypher answers: every node filter the API or the
   * answers layer sends (`$who`, `$what`, src/answers/filters.ts) is narrowed to the scope's units,
   * so identity and resource lists, path pages, blast radius and who-can-reach only start and end
   * inside it, and pages stay full. (Routes between two such ends are read whole; see
   * docs/api.md#scoped-tokens.)
   */
  private narrowed(params: Row): Row {
    const { scope } = this.options;
    if (!scope) return params;
    const out: Row = { ...params };
    for (const key of ['who', 'what']) if (isNodeFilter(params[key])) out[key] = scope.narrow(params[key]);
    return out;
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

  /**
   * A node of one of the given categories by id, found through its kind's unique index; null when
   * the graph has none or it lies outside the token's scope (so a scoped token cannot tell the two
   * apart: every lookup by id, `node`, `reachableFrom`, `whoCanReach`, a finding's node, goes here).
   */
  async node(id: string, categories: readonly string[]): Promise<NodeRecord | null> {
    for (const kind of kindsForId(id, categories)) {
      const [row] = await this.read<NodeRow>('node-by-id', { id }, { label: kind.label });
      if (row) {
        const record = toNodeRecord(row);
        return this.visible(record) ? record : null;
      }
    }
    return null;
  }

  /** Is the node inside the token's scope (always, without one)? */
  visible(record: NodeRecord): boolean {
    const { scope } = this.options;
    return (
      !scope || scope.contains({ id: record.id, labels: [record.kind], properties: record.props as never })
    );
  }

  /** The relationship `from -type-> to`, trying each kind the endpoint ids admit; null outside the scope. */
  async edge(from: string, type: string, to: string): Promise<EdgeRecord | null> {
    const record = await this.anyEdge(from, type, to);
    return record && this.visible(record.from) && this.visible(record.to) ? record : null;
  }

  private async anyEdge(from: string, type: string, to: string): Promise<EdgeRecord | null> {
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

/** A node filter of the filter language (not some other map parameter that happens to be named so). */
function isNodeFilter(value: unknown): value is NodeFilter {
  return typeof value === 'object' && value !== null && 'within' in value && 'properties' in value;
}
