import { afterAll, describe, expect, it } from 'vitest';
import { ApiMetrics } from '../../../src/api/metrics.js';
import { offlineApi, TOKEN } from '../api/helpers.js';

const api = offlineApi();
afterAll(() => api.executor.close());

describe('job metrics', () => {
  it('are left out, with reachgraph_job_metrics_up 0, when the graph cannot be read, and the scrape still answers', async () => {
    const started = performance.now();
    const response = await api.yoga.fetch('http://localhost/metrics', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^reachgraph_job_metrics_up 0$/m);
    expect(text).not.toMatch(/^reachgraph_job_runs_total\{/m);
    expect(text).not.toMatch(/^reachgraph_job_last_success_timestamp_seconds\{/m);
    // The other metrics are unaffected, and the scrape did not wait for the driver's retries.
    expect(text).toContain('reachgraph_api_requests_total');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('read the figures once per scrape and show each job and status', async () => {
    const metrics = new ApiMetrics();
    let reads = 0;
    metrics.trackJobRuns(async () => {
      reads++;
      return {
        runs: [
          { job: 'nightly', status: 'failed', count: 2 },
          { job: 'nightly', status: 'succeeded', count: 5 },
        ],
        lastSuccess: [{ job: 'nightly', timestampSeconds: 1_767_225_600.5 }],
      };
    });
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('reachgraph_job_runs_total{job="nightly",status="failed"} 2');
    expect(text).toContain('reachgraph_job_runs_total{job="nightly",status="succeeded"} 5');
    expect(text).toContain('reachgraph_job_last_success_timestamp_seconds{job="nightly"} 1767225600.5');
    expect(text).toMatch(/^reachgraph_job_metrics_up 1$/m);
    // Counts come from the records at each scrape, not accumulated in the process.
    await metrics.registry.metrics();
    expect(reads).toBe(2);
    expect(await metrics.registry.metrics()).toContain('status="succeeded"} 5');
  });
});
