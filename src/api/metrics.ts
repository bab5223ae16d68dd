import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobRunStats } from '../records/job-runs.js';

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

  private jobRunsTracked = false;

  /**
   * Scheduler figures (`reachgraph_job_runs_total`, `reachgraph_job_last_success_timestamp_seconds`),
   * read from the JobRun records at scrape time, so they hold whichever process ran the jobs and
   * survive restarts. When they cannot be read, those series are left out and
   * `reachgraph_job_metrics_up` is 0. The three metrics of one scrape share one read.
   */
  trackJobRuns(read: () => Promise<JobRunStats>, onError?: (error: unknown) => void): void {
    if (this.jobRunsTracked) return;
    this.jobRunsTracked = true;
    let inFlight: Promise<JobRunStats | null> | null = null;
    const stats = () => {
      inFlight ??= read()
        .catch((error: unknown) => {
          onError?.(error);
          return null;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    };
    new Counter({
      name: 'reachgraph_job_runs_total',
      help: 'Scheduler job runs recorded in the graph, by job and status (succeeded, failed).',
      labelNames: ['job', 'status'],
      registers: [this.registry],
      async collect() {
        const current = await stats();
        this.reset();
        for (const run of current?.runs ?? []) this.inc({ job: run.job, status: run.status }, run.count);
      },
    });
    new Gauge({
      name: 'reachgraph_job_last_success_timestamp_seconds',
      help: 'When the last successful run of each scheduler job finished (Unix time).',
      labelNames: ['job'],
      registers: [this.registry],
      async collect() {
        const current = await stats();
        this.reset();
        for (const last of current?.lastSuccess ?? []) this.set({ job: last.job }, last.timestampSeconds);
      },
    });
    new Gauge({
      name: 'reachgraph_job_metrics_up',
      help: '1 when the scheduler job figures could be read from the graph at this scrape, else 0.',
      registers: [this.registry],
      async collect() {
        this.set((await stats()) === null ? 0 : 1);
      },
    });
  }

  /** Known paths keep their name; anything else is one label value, so scanners cannot grow the series. */
  static pathLabel(pathname: string): string {
    return ['/graphql', '/healthz', '/metrics'].includes(pathname) ? pathname : 'other';
  }
}
