import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refreshActivitySummary } from '../../../src/activity/graph-summary.js';
import { GraphExecutor } from '../../../src/graph/executor.js';

// Nothing listens on port 9: a refresh that reached Neo4j would fail, and say so through `warn`.
const executor = GraphExecutor.connect(
  { uri: 'bolt://127.0.0.1:9', user: 'neo4j', password: '', database: 'neo4j' },
  { maxRetryTimeMs: 0 },
);
const work = mkdtempSync(join(tmpdir(), 'reachgraph-refresh-'));

afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the activity summary after a load', () => {
  it('is not written where there is no activity store, and nothing is a warning', async () => {
    const warnings: string[] = [];
    const wrapped: unknown[] = [];
    const result = await refreshActivitySummary(executor, join(work, 'none.duckdb'), {
      warn: (reason) => warnings.push(reason),
      around: async (write) => {
        const written = await write();
        wrapped.push(written);
        return written;
      },
    });
    expect(result).toBeUndefined();
    expect(wrapped).toEqual([undefined]);
    expect(warnings).toEqual([]);
  });

  it('hands a store it cannot open to `warn` instead of failing the load that succeeded', async () => {
    const warnings: string[] = [];
    // A directory where the DuckDB file should be: the store cannot be opened.
    const result = await refreshActivitySummary(executor, work, { warn: (reason) => warnings.push(reason) });
    expect(result).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toBe('');
  });

  it('hands a failure inside `around` (the step that logs it) to `warn` as well', async () => {
    const warnings: string[] = [];
    const result = await refreshActivitySummary(executor, work, {
      warn: (reason) => warnings.push(reason),
      around: async (write) => {
        try {
          return await write();
        } catch (error) {
          throw new Error(`step failed: ${(error as Error).message}`);
        }
      },
    });
    expect(result).toBeUndefined();
    expect(warnings[0]).toMatch(/^step failed: /);
  });
});
