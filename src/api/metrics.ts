import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one API instance, in a registry of its own (two servers in one process,
 * as in tests, never share or double-register series).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'path' | 'status'>;
  readonly requestSeconds: Histogram<'path'>;
  readonly neo4jSeconds: Histogram<'query' | 'outcome'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    this.requests = new Counter({
      name: 'reachgraph_api_requests_total',
      help: 'HTTP requests answered, by path and status code.',
      labelNames: ['path', 'status'],
      registers: [this.registry],
    });
    this.requestSeconds = new Histogram({
      name: 'reachgraph_api_request_duration_seconds',
      help: 'Time to answer an HTTP request, by path.',
      labelNames: ['path'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.neo4jSeconds = new Histogram({
      name: 'reachgraph_neo4j_query_duration_seconds',
      help: 'Time spent in Neo4j per named query (cypher/api/…), by outcome.',
      labelNames: ['query', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [this.registry],
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'reachgraph_' });
  }

  /** Known paths keep their name; anything else is one label value, so scanners cannot grow the series. */
  static pathLabel(pathname: string): string {
    return ['/graphql', '/healthz', '/metrics'].includes(pathname) ? pathname : 'other';
  }
}
